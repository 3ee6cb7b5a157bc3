package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.cli.MainTest.Run;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;

/** {@code suggest} on the sample data with an untrained U-Net: the CSV's form, its order, its spread and the refusals. */
class SuggestCliCommandTest {

	@TempDir
	Path dir;

	@Test
	void suggestionsAreWrittenBestFirstAsCsv() throws IOException {
		final Path model = dir.resolve("m.sss");
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(UNetConfig.acdc(), root, 3)) {
			SssModel.write(model, net, List.of("background", "RV", "Myo", "LV"), 32, null);
		}
		// by score alone (--strata 0): best first
		final Path byScore = dir.resolve("by-score.csv");
		final Run run = new Run("suggest", "--model", model.toString(), "--data", "sample-data", "--out", byScore.toString(), "--count", "4", "--strata",
			"0");
		assertEquals(0, run.code, run.out + run.err);
		final List<String[]> scored = rows(byScore);
		double previous = Double.POSITIVE_INFINITY;
		for (int i = 0; i < scored.size(); i++) {
			final String[] cells = scored.get(i);
			assertEquals(String.valueOf(i + 1), cells[0]);
			final double score = Double.parseDouble(cells[4]);
			assertTrue(score <= previous, String.join(",", cells));
			assertEquals(Double.parseDouble(cells[5]) + Double.parseDouble(cells[6]) + Double.parseDouble(cells[7]), score, 1e-5);
			previous = score;
		}
		// spread out (--strata 3, or --clusters none): the best slice first, then no subject twice (the sample data has 8
		// unlabelled volumes, one per subject, 10 to 13 slices deep) and each of the three depth ranges at least once
		final Path spread = dir.resolve("suggestions.csv");
		final Run byStrata = new Run("suggest", "--model", model.toString(), "--data", "sample-data", "--out", spread.toString(), "--count", "4",
			"--strata", "3");
		assertEquals(0, byStrata.code, byStrata.out + byStrata.err);
		final Run byNoClusters = new Run("suggest", "--model", model.toString(), "--data", "sample-data", "--out", dir.resolve("none.csv").toString(),
			"--count", "4", "--clusters", "none");
		assertEquals(0, byNoClusters.code, byNoClusters.out + byNoClusters.err);
		assertEquals(Files.readString(spread), Files.readString(dir.resolve("none.csv")), "--clusters none spreads as --strata 3");
		final List<String[]> picked = rows(spread);
		assertEquals(String.join(",", scored.get(0)), String.join(",", picked.get(0)));
		assertEquals(4, picked.stream().map(cells -> cells[8]).distinct().count());
		final Set<Integer> ranges = new HashSet<>();
		for (final String[] cells : picked) {
			final int depth = ImageFiles.read(Path.of("sample-data", "unlabeled", cells[8] + ".nii.gz")).dims()[2];
			// slice z of d slices is in range floor((z + 1/2) 3 / d)
			ranges.add((2 * Integer.parseInt(cells[3]) + 1) * 3 / (2 * depth));
		}
		assertEquals(Set.of(0, 1, 2), ranges);
		// by default covering groups of like slices (the labelled and unlabelled slices in as many groups as labelled slices,
		// plus 4), the most typical of each: four distinct slices, each scored as by score alone, the same ones as asked for
		// in full, and the same ones again from a second run
		final Path covering = dir.resolve("covering.csv");
		final Run byClusters = new Run("suggest", "--model", model.toString(), "--data", "sample-data", "--out", covering.toString(), "--count", "4");
		assertEquals(0, byClusters.code, byClusters.out + byClusters.err);
		final List<String[]> covered = rows(covering);
		assertEquals(4, covered.stream().map(cells -> cells[1]).distinct().count());
		for (final String[] cells : covered)
			assertTrue(scored.stream().noneMatch(best -> best[1].equals(cells[1]) && !best[4].equals(cells[4])), "the same slice, the same score");
		final Run again = new Run("suggest", "--model", model.toString(), "--data", "sample-data", "--out", dir.resolve("again.csv").toString(), "--count",
			"4", "--clusters", "auto", "--typical", "true");
		assertEquals(0, again.code, again.out + again.err);
		assertEquals(Files.readString(covering), Files.readString(dir.resolve("again.csv")), "the same groups for the same model and data");
		for (final String[] args : List.of(new String[] { "--count", "0" }, new String[] { "--clusters", "auto", "--strata", "3" },
			new String[] { "--clusters", "0" }, new String[] { "--clusters", "1000" }, new String[] { "--typical", "true", "--strata", "3" },
			new String[] { "--typical", "true", "--clusters", "none" }))
		{
			final Run bad = new Run(concat(new String[] { "suggest", "--model", model.toString(), "--data", "sample-data", "--out", dir.resolve("x.csv")
				.toString() }, args));
			assertEquals(2, bad.code, String.join(" ", args));
			assertTrue(bad.err.contains(args[0]), bad.err);
			assertFalse(Files.exists(dir.resolve("x.csv")));
		}
	}

	private static String[] concat(final String[] a, final String[] b) {
		final String[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	/** The rows of a suggestions CSV after its header, which must name the columns of {@code SliceSuggestions.CSV_HEADER}. */
	private static List<String[]> rows(final Path csv) throws IOException {
		final List<String> lines = Files.readAllLines(csv);
		assertEquals("rank,name,volume,slice,score,entropy,rejected,disagreement,subject", lines.get(0));
		assertEquals(5, lines.size(), String.join("\n", lines));
		return lines.stream().skip(1).map(line -> line.split(",")).toList();
	}
}
