package io.github.sssfiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Assumptions;

/**
 * Where tests find the project's shared data ({@code ../shared} beside the checkout, or the folder
 * named by the {@code sss.shared.dir} system property): the real ACDC data and the SAM-2 parity
 * fixtures, which may not be redistributed and so are not in the repository. Tests read it in place.
 * <p>
 * Without that folder (a fresh clone), the tests that need it are skipped with the reason, so that
 * {@code mvn -B verify} passes on what the repository holds. Where the folder must be there (the
 * project's CI sets the environment variable {@value #REQUIRE_VARIABLE} to {@code 1}), its absence
 * fails those tests instead, so that they can never pass vacuously.
 * </p>
 */
public final class TestData {

	/** The environment variable that turns a missing shared folder from a skip into a failure. */
	public static final String REQUIRE_VARIABLE = "SSS_REQUIRE_SHARED";

	private static volatile boolean told;

	private TestData() {}

	/** The shared folder; skips the calling test when it is missing, or fails it where it is required. */
	public static Path shared() {
		final String property = System.getProperty("sss.shared.dir");
		final Path dir = (property != null ? Paths.get(property) : Paths.get("..", "shared")).toAbsolutePath().normalize();
		return existing(dir, "shared data folder");
	}

	/** {@code ../shared/data/acdc}. */
	public static Path acdc() {
		return existing(shared().resolve("data").resolve("acdc"), "ACDC data folder");
	}

	/** {@code ../shared/fixtures/sam2-parity}. */
	public static Path sam2Parity() {
		return existing(shared().resolve("fixtures").resolve("sam2-parity"), "SAM-2 parity fixture folder");
	}

	/** Whether a missing shared folder fails the tests that need it ({@value #REQUIRE_VARIABLE}=1). */
	public static boolean required() {
		return "1".equals(System.getenv(REQUIRE_VARIABLE));
	}

	private static Path existing(final Path dir, final String what) {
		if (Files.isDirectory(dir)) return dir;
		final String reason = what + " not found at " + dir + " (set -Dsss.shared.dir)";
		if (required()) throw new IllegalStateException(reason + "; " + REQUIRE_VARIABLE + "=1 requires it");
		// Surefire counts skipped tests but keeps their reasons in its reports: say it once in the build log too
		if (!told) System.err.println("SSS tests: " + reason + "; the tests that need it are skipped");
		told = true;
		Assumptions.abort("skipped: " + reason);
		throw new AssertionError("unreachable");
	}
}
