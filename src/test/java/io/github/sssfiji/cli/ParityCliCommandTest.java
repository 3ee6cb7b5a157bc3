package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import ai.djl.Device;
import io.github.sssfiji.TestData;
import io.github.sssfiji.cli.MainTest.Run;
import io.github.sssfiji.model.sam2.parity.EncoderParity;
import io.github.sssfiji.model.sam2.parity.ParityReport;
import io.github.sssfiji.model.sam2.parity.Sam2Parity;

/**
 * {@code parity} on the official fixture: every output passes, the tracking sequences included, and the
 * run exits 0 with a COMPLETE summary. A copy with one perturbed output (and .npz weights) fails on exactly
 * that output.
 */
class ParityCliCommandTest {

	@Test
	void fixturePassesEveryOutputIncludingTheTrackingSequence() throws IOException {
		final Path dir = TestData.sam2Parity();
		final Run run = new Run("parity", dir.toString());
		System.out.println(run.out);
		final List<String> lines = run.out.lines().collect(Collectors.toList());
		assertTrue(lines.stream().noneMatch(l -> l.startsWith("FAIL") || l.startsWith("SKIP")), run.out + run.err);
		final List<String> inputs = List.of("image/image_u8.npy", "postprocess/nonsquare_input_low_res.npy", "postprocess/coords_in.npy");
		int expectedPasses = 0;
		for (final String file : manifest(dir)) {
			final boolean input = inputs.contains(file) || file.matches("prompts/[^/]+/input_.*") ||
				file.matches("video/frame\\d+_(image_u8|point_coords|point_labels)\\.npy");
			final boolean passed = lines.stream().anyMatch(l -> l.startsWith("PASS " + file + " "));
			if (input) assertFalse(passed, "input " + file + " reported as an output");
			else {
				assertTrue(passed, "no PASS line for " + file);
				expectedPasses++;
			}
		}
		assertEquals(expectedPasses, lines.stream().filter(l -> l.startsWith("PASS ")).count());
		final String summary = lines.get(lines.size() - 1);
		assertEquals(0, run.code, summary);
		assertTrue(summary.startsWith("SUMMARY ") && summary.contains("parity COMPLETE"), summary);
	}

	@Test
	void aPerturbedOutputFailsWithNpzWeightsAndMissingWeightsAreAUsageError(@TempDir final Path tmp) throws IOException {
		final Path dir = TestData.sam2Parity();
		final Path copy = tmp.resolve("fixture");
		try (Stream<Path> files = Files.walk(dir)) {
			for (final Path f : (Iterable<Path>) files::iterator) {
				final Path target = copy.resolve(dir.relativize(f).toString());
				if (Files.isDirectory(f)) Files.createDirectories(target);
				else if (!f.getFileName().toString().equals("weights.pt")) Files.createSymbolicLink(target, f);
			}
		}
		final Path embed = copy.resolve("encoder/image_embed.npy");
		final byte[] bytes = Files.readAllBytes(embed);
		final ByteBuffer last = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN);
		last.putFloat(bytes.length - 4, last.getFloat(bytes.length - 4) + 0.01f);
		Files.delete(embed);
		Files.write(embed, bytes);
		// the library call with the encoder group only, to keep the test short
		final ByteArrayOutputStream bytesOut = new ByteArrayOutputStream();
		final ParityReport report = Sam2Parity.run(copy, List.of(new EncoderParity()), new PrintStream(bytesOut, true, StandardCharsets.UTF_8), Device.cpu());
		final String out = bytesOut.toString(StandardCharsets.UTF_8);
		assertEquals(1, report.exitCode(), out);
		final List<String> fails = out.lines().filter(l -> l.startsWith("FAIL")).collect(Collectors.toList());
		assertEquals(1, fails.size(), out);
		assertTrue(fails.get(0).startsWith("FAIL encoder/image_embed.npy  max_abs_err 1.000e-02"), fails.get(0));
		assertTrue(out.contains("weights weights.npz"), out);
		assertTrue(out.contains("SKIP prompts (not implemented"), out);
		assertTrue(out.strip().endsWith("parity FAILED"), out);

		Files.delete(copy.resolve("weights.npz"));
		final Run missing = new Run("parity", copy.toString());
		assertEquals(2, missing.code);
		assertTrue(missing.err.contains("has neither weights.pt nor weights.npz"), missing.err);
	}

	private static List<String> manifest(final Path dir) throws IOException {
		final List<String> out = new ArrayList<>();
		try (Reader r = Files.newBufferedReader(dir.resolve("manifest.json"))) {
			for (final JsonElement f : JsonParser.parseReader(r).getAsJsonObject().getAsJsonArray("files"))
				out.add(f.getAsJsonObject().get("file").getAsString());
		}
		return out;
	}
}
