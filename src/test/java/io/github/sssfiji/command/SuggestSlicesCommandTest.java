package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.measure.ResultsTable;
import ij.process.FloatProcessor;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.StubNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.train.SliceSuggestions;
import io.github.sssfiji.sss.train.SliceSuggestions.Suggestion;
import io.github.sssfiji.sss.train.TrainingData;

/**
 * {@code SSS Suggest Slices}: on an open stack with a known unsure slice (the volume of
 * {@code SliceSuggestionsTest}) the table, the CSV and the slice marks; on the sample dataset folder
 * the CSV the CLI's route gives; and the refusals.
 */
class SuggestSlicesCommandTest {

	private static final int N = 32, SLICES = 5;

	private final Context context = new Context(CommandService.class, SssService.class);

	@TempDir
	Path dir;

	@AfterEach
	void dispose() {
		context.dispose();
	}

	/** A two-class "network" whose foreground logit is 20 x - 10: bright pixels are confidently foreground, x = 0.5 is a coin toss. */
	private static final class Threshold extends StubNetwork {

		Threshold(final NDManager parent) {
			super(parent, 2);
		}

		@Override
		public NDArray decode(final NDList features, final SlicePrompts prompts, final boolean training) {
			final NDArray x = features.get(0);
			return x.zerosLike().concat(x.mul(20).sub(10), 1);
		}
	}

	/**
	 * A square on all five slices; on slice 2 (of ImageJ's 1 to 5) also a grey 8 x 8 patch, where the
	 * network is unsure, on slice 4 a bright 6 x 6 blob that no neighbour continues, which PCSW rejects;
	 * the other slices are alike and certain.
	 */
	private static ImagePlus stack() {
		final ImageStack stack = new ImageStack(N, N);
		for (int z = 0; z < SLICES; z++) {
			final FloatProcessor slice = new FloatProcessor(N, N);
			for (int y = 4; y < 12; y++)
				for (int x = 4; x < 12; x++)
					slice.setf(x, y, 1);
			if (z == 1)
				for (int y = 20; y < 28; y++)
					for (int x = 20; x < 28; x++)
						slice.setf(x, y, 0.5f);
			if (z == 3)
				for (int y = 20; y < 26; y++)
					for (int x = 22; x < 28; x++)
						slice.setf(x, y, 1);
			stack.addSlice(slice);
		}
		return new ImagePlus("cells.tif", stack);
	}

	@Test
	void theUnsureSliceOfAnOpenStackRanksFirstAndIsMarked() throws Exception {
		final ImagePlus image = stack();
		final Path csv = dir.resolve("suggestions.csv");
		final SuggestSlicesCommand command = new SuggestSlicesCommand();
		context.inject(command);
		command.image = image;
		command.count = 2;
		command.spacing = 0;
		// by score and depth ranges: this test net has no features to group slices by
		command.clusters = SliceSuggestions.NO_CLUSTERS;
		command.output = csv.toFile();
		try (NDManager root = Engines.pytorch().newBaseManager(); Threshold net = new Threshold(root)) {
			command.suggest(net, N);
			final ResultsTable table = command.table;
			assertEquals(2, table.size());
			assertEquals("cells#1", table.getStringValue("name", 0));
			assertEquals(2, table.getValue("image_slice", 0), 0, "the grey patch's slice first");
			assertEquals(1, table.getValue("slice", 0), 0);
			assertEquals(4, table.getValue("image_slice", 1), 0, "then the slice PCSW rejects a blob of");
			assertEquals(36 / 1024.0, table.getValue("rejected", 1), 1e-6);
			assertEquals("cells", table.getStringValue("subject", 1));
			assertTrue(table.getValue("score", 0) > table.getValue("score", 1), table.getValue("score", 0) + " " + table.getValue("score", 1));
			final List<String> lines = Files.readAllLines(csv);
			assertEquals(SliceSuggestions.CSV_HEADER, lines.get(0));
			assertEquals(3, lines.size(), String.join("\n", lines));
			assertTrue(lines.get(1).startsWith("1,cells#1,0,1,") && lines.get(2).startsWith("2,cells#3,0,3,"), String.join("\n", lines));
			final Overlay overlay = image.getOverlay();
			assertEquals(2, overlay.size());
			assertEquals(2, overlay.get(0).getPosition());
			assertTrue(overlay.get(0).getName().startsWith("SSS Suggestions #1: slice 2 (score 0."), overlay.get(0).getName());
			assertEquals(4, overlay.get(1).getPosition());
			assertEquals(N, overlay.get(0).getBounds().width);
			// a second run replaces its marks and keeps the user's
			overlay.add(new ij.gui.Roi(1, 1, 3, 3));
			command.count = 1;
			command.suggest(net, N);
			assertEquals(2, image.getOverlay().size(), "the user's ROI and the one new suggestion");
			assertEquals(1, command.table.size());
		}
	}

	/** The folder route: the CSV is the one the CLI's {@code suggest} computes (same data reading, scoring, picking and format). */
	@Test
	void aDatasetFolderGivesTheClisRankingAsCsvAndTable() throws Exception {
		final Path model = PropagateCommandTest.model(dir, false), csv = dir.resolve("picked.csv");
		final CommandModule module = context.service(CommandService.class).run(SuggestSlicesCommand.class, false, "model", model.toFile(), "data",
			Path.of("sample-data").toFile(), "count", 3, "output", csv.toFile()).get();
		final Path spreadCsv = dir.resolve("spread.csv"), byScoreCsv = dir.resolve("by-score.csv");
		context.service(CommandService.class).run(SuggestSlicesCommand.class, false, "model", model.toFile(), "data", Path.of("sample-data").toFile(),
			"count", 3, "clusters", "none", "typical", true, "output", spreadCsv.toFile()).get();
		context.service(CommandService.class).run(SuggestSlicesCommand.class, false, "model", model.toFile(), "data", Path.of("sample-data").toFile(),
			"count", 3, "clusters", "auto", "typical", false, "output", byScoreCsv.toFile()).get();
		final String expected, spread, byScore;
		try (SssModel net = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
			final TrainingData data = TrainingData.load(Datasets.open(Path.of("sample-data"), "", ImageFiles.imageReader()), true, null);
			final List<Suggestion> scored = SliceSuggestions.score(net.network(), data.unlabelledVolumes(), net.inputSize(), 8, PcswParameters.defaults(),
				root);
			expected = SliceSuggestions.csv(SliceSuggestions.cover(net.network(), data.labelled(), data.unlabelledVolumes(), scored, 0, true, 3, 2,
				net.inputSize(), 8, root));
			spread = SliceSuggestions.csv(SliceSuggestions.pick(scored, 3, 2, SliceSuggestions.STRATA));
			byScore = SliceSuggestions.csv(SliceSuggestions.cover(net.network(), data.labelled(), data.unlabelledVolumes(), scored, 0, false, 3, 2,
				net.inputSize(), 8, root));
		}
		assertEquals(expected, Files.readString(csv), "by default the most typical slice of each group of the labelled and unlabelled slices");
		assertEquals(spread, Files.readString(spreadCsv), "with clusters=none, spread over subjects and depth ranges (typical does not apply)");
		assertEquals(byScore, Files.readString(byScoreCsv), "with typical=false, the best-scored slice of each group");
		final ResultsTable table = (ResultsTable) module.getOutput("table");
		assertEquals(3, table.size());
		assertEquals(expected.lines().skip(1).findFirst().orElseThrow().split(",")[1], table.getStringValue("name", 0));
		assertFalse(table.columnExists("image_slice"), "a folder has no stack to count slices in");
	}

	@Test
	void aFolderWithoutACsvFileAndBadCountsAreRefused() throws Exception {
		final Path model = PropagateCommandTest.model(dir, false);
		final InvalidInputException noCsv = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class).run(
			SuggestSlicesCommand.class, false, "model", model.toFile(), "data", Path.of("sample-data").toFile()).get());
		assertTrue(noCsv.getMessage().startsWith("key 'output': give the CSV file"), noCsv.getMessage());
		final InvalidInputException count = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class).run(
			SuggestSlicesCommand.class, false, "model", model.toFile(), "image", stack(), "count", 0).get());
		assertEquals("key 'count': 0 must be at least 1", count.getMessage());
		final InvalidInputException strata = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class).run(
			SuggestSlicesCommand.class, false, "model", model.toFile(), "image", stack(), "strata", -1).get());
		assertEquals("key 'strata': -1 must be at least 0", strata.getMessage());
		final InvalidInputException clusters = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class).run(
			SuggestSlicesCommand.class, false, "model", model.toFile(), "image", stack(), "clusters", "many").get());
		assertEquals("key 'clusters': must be auto, none or a count of at least 1, got 'many'", clusters.getMessage());
		final InvalidInputException tooMany = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class).run(
			SuggestSlicesCommand.class, false, "model", model.toFile(), "image", stack(), "clusters", "6").get());
		assertEquals("key 'clusters': 6 is more than the 5 slices", tooMany.getMessage());
		final InvalidInputException nothing = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class).run(
			SuggestSlicesCommand.class, false, "model", model.toFile()).get());
		assertTrue(nothing.getMessage().startsWith("key 'image': open a stack"), nothing.getMessage());
	}
}
