package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.cli.MainTest.Run;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;

/** {@code suggest} on the sample data with an untrained U-Net: the CSV's form, its order and the refusals. */
class SuggestCliCommandTest {

	@TempDir
	Path dir;

	@Test
	void suggestionsAreWrittenBestFirstAsCsv() throws IOException {
		final Path model = dir.resolve("m.sss");
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(UNetConfig.acdc(), root, 3)) {
			SssModel.write(model, net, List.of("background", "RV", "Myo", "LV"), 32, null);
		}
		final Path out = dir.resolve("suggestions.csv");
		final Run run = new Run("suggest", "--model", model.toString(), "--data", "sample-data", "--out", out.toString(), "--count", "4");
		assertEquals(0, run.code, run.out + run.err);
		final List<String> lines = Files.readAllLines(out);
		assertEquals("rank,name,volume,slice,score,entropy,rejected,disagreement", lines.get(0));
		assertEquals(5, lines.size(), String.join("\n", lines));
		double previous = Double.POSITIVE_INFINITY;
		for (int i = 1; i < lines.size(); i++) {
			final String[] cells = lines.get(i).split(",");
			assertEquals(String.valueOf(i), cells[0]);
			final double score = Double.parseDouble(cells[4]);
			assertTrue(score <= previous, lines.get(i));
			assertEquals(Double.parseDouble(cells[5]) + Double.parseDouble(cells[6]) + Double.parseDouble(cells[7]), score, 1e-5);
			previous = score;
		}
		final Run bad = new Run("suggest", "--model", model.toString(), "--data", "sample-data", "--out", dir.resolve("x.csv").toString(), "--count", "0");
		assertEquals(2, bad.code);
		assertTrue(bad.err.contains("--count"), bad.err);
		assertFalse(Files.exists(dir.resolve("x.csv")));
	}
}
