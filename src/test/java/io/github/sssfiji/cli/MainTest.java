package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.io.VoxelLimit;

class MainTest {

	/** Output and exit code of one CLI run. */
	static final class Run {
		final int code;
		final String out, err;

		Run(final String... args) {
			final ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
			code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
			out = o.toString(StandardCharsets.UTF_8);
			err = e.toString(StandardCharsets.UTF_8);
		}
	}

	@Test
	void unknownCommandIsAUsageError() {
		final Run run = new Run("frobnicate");
		assertEquals(2, run.code);
		assertTrue(run.err.startsWith("error: unknown command 'frobnicate'"), run.err);
		assertEquals(1, run.err.strip().lines().count());
	}

	@Test
	void noArgumentsPrintsUsage() {
		final Run run = new Run();
		assertEquals(2, run.code);
		assertTrue(run.err.contains("usage: java -jar sss-app.jar COMMAND"), run.err);
		assertTrue(run.err.contains("[--max-voxels N]  any command"), run.err);
	}

	@Test
	void maxVoxelsRefusesLargerImagesForThatCommandOnly(@TempDir final Path dir) throws IOException {
		final Path image = BadInputCorpus.goodLabels(dir);
		final String before = System.getProperty(VoxelLimit.PROPERTY);
		final Run limited = new Run("info", image.toString(), "--max-voxels", "23");
		assertEquals(2, limited.code, limited.out + limited.err);
		assertEquals("error: info: " + image + " is too large for SSS: [4, 3, 2] = 24 voxels, more than the limit of 23 voxels; raise it with " +
			"--max-voxels N (command line), Max voxels in SSS Options (Fiji) or the Java option -Dsss.maxVoxels=N, at most 2147483639", limited.err.strip());
		assertEquals(before, System.getProperty(VoxelLimit.PROPERTY), "the limit of the JVM is restored");
		final Run exact = new Run("info", image.toString(), "--max-voxels", "24");
		assertEquals(0, exact.code, exact.out + exact.err);
		assertEquals(0, new Run("info", image.toString()).code);
	}
}
