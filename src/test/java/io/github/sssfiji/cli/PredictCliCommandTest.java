package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.ChildJvm;
import io.github.sssfiji.sss.predict.PredictOutputs;

/** {@code predict} killed with kill -9 at several moments: only complete outputs, and a rerun finishes the rest. */
class PredictCliCommandTest {

	@TempDir
	Path dir;

	/** Eight small sample volumes. */
	private Path inputs() throws IOException {
		final Path in = Files.createDirectories(dir.resolve("in"));
		try (Stream<Path> files = Files.list(Path.of("sample-data", "unlabeled"))) {
			for (final Path file : files.toList())
				Files.copy(file, in.resolve(file.getFileName()));
		}
		return in;
	}

	/** Runs the CLI in this JVM, asserts its exit code and returns what it printed (the CLI tests' one way to run a command). */
	static String run(final int expected, final String... args) {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
		final int code = Main.run(args, stream, stream);
		final String text = bytes.toString(StandardCharsets.UTF_8);
		assertEquals(expected, code, text);
		return text;
	}

	@Test
	void anOutputLinkThatLeadsOutOfTheOutputFolderIsRefusedNamingTheOption() throws Exception {
		final Path model = ShardedPredictCliTest.model(dir), out = Files.createDirectories(dir.resolve("out"));
		final Path input = Path.of("sample-data", "test", "images", "synthetic_014.nii.gz");
		final Path elsewhere = Files.writeString(dir.resolve("elsewhere.nii.gz"), "someone else's file");
		Files.createSymbolicLink(out.resolve("synthetic_014.confidence.nii.gz"), elsewhere);
		final String refused = run(2, "predict", "--model", model.toString(), "--input", input.toString(), "--out", out.toString(), "--confidence", "true");
		assertEquals("error: predict: option --out: " + out.resolve("synthetic_014.confidence.nii.gz") + " is a symbolic link to " +
			elsewhere.toRealPath() + ", outside the output folder " + out + "; remove the link or choose another output folder", refused.strip());
		assertEquals("someone else's file", Files.readString(elsewhere));
		assertEquals(List.of("synthetic_014.confidence.nii.gz"), PredictOutputs.names(out), "nothing written");
	}

	@Test
	void aKilledPredictLeavesOnlyCompleteOutputsAndARerunFinishesTheRest() throws Exception {
		final Path model = ShardedPredictCliTest.model(dir), in = inputs(), reference = dir.resolve("reference");
		final String[] options = { "--model", model.toString(), "--input", in.toString(), "--confidence", "true", "--batch", "4" };
		run(0, Stream.concat(Stream.of("predict", "--out", reference.toString()), Stream.of(options)).toArray(String[]::new));
		final List<String> all = PredictOutputs.names(reference);
		assertEquals(3 * 8, all.size(), all.toString());

		final long seed = System.nanoTime();
		System.out.println("kill moments drawn with seed " + seed);
		final Random random = new Random(seed);
		// while the first output is written, then once a random number of the first half of the 24 outputs are complete
		final ChildJvm.Moment[] moments = { ChildJvm.Moment.writing(), ChildJvm.Moment.written(1 + random.nextInt(12)) };
		for (int k = 0; k < moments.length; k++) {
			final Path out = dir.resolve("killed" + k);
			final ChildJvm child = ChildJvm.start(dir.resolve("child" + k + ".log"), 0, Main.class,
				Stream.concat(Stream.of("predict", "--out", out.toString()), Stream.of(options)).toArray(String[]::new));
			child.killAt(out, moments[k]);
			final List<String> complete = PredictOutputs.assertOnlyComplete(out, reference);
			final long labelMaps = PredictOutputs.labelMaps(complete);
			System.out.println("kill " + k + " (" + moments[k] + "): " + complete.size() + " complete outputs, " +
				(PredictOutputs.names(out).size() - complete.size()) + " temporary files");
			assertTrue(labelMaps < 8, "the child finished before it was killed; nothing was tested:\n" + child.output());

			// the rerun skips the inputs whose label map exists, predicts the others and removes the temporary files
			final String rerun = run(0, Stream.concat(Stream.of("predict", "--out", out.toString()), Stream.of(options)).toArray(String[]::new));
			assertTrue(rerun.contains((8 - labelMaps) + " done, " + labelMaps + " skipped (label map exists), 0 failed"), rerun);
			assertEquals(all, PredictOutputs.names(out), "every output, and no temporary file");
			PredictOutputs.assertOnlyComplete(out, reference);
		}
	}
}
