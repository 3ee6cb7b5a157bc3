package io.github.sssfiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where tests find the project's shared data ({@code ../shared} beside the checkout, or the folder
 * named by the {@code sss.shared.dir} system property). Tests read it in place; nothing from it is
 * committed.
 */
public final class TestData {

	private TestData() {}

	/** The shared folder; fails loudly when it is missing rather than letting tests pass vacuously. */
	public static Path shared() {
		final String property = System.getProperty("sss.shared.dir");
		final Path dir = property != null ? Paths.get(property) : Paths.get("..", "shared");
		if (!Files.isDirectory(dir))
			throw new IllegalStateException("shared data folder not found at " + dir.toAbsolutePath() + " (set -Dsss.shared.dir)");
		return dir.toAbsolutePath().normalize();
	}

	/** {@code ../shared/data/acdc}. */
	public static Path acdc() {
		return shared().resolve("data").resolve("acdc");
	}

	/** {@code ../shared/fixtures/sam2-parity}. */
	public static Path sam2Parity() {
		return shared().resolve("fixtures").resolve("sam2-parity");
	}
}
