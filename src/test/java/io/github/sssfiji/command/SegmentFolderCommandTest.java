package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogListener;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ai.djl.Device;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ShortProcessor;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.ChildJvm;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.PredictFiles;
import io.github.sssfiji.sss.predict.PredictOutputs;

/** {@code SSS Segment Folder} on sample images, a corrupt file, existing outputs and a cancel. */
class SegmentFolderCommandTest {

	private final Context context = new Context(CommandService.class, SssService.class, LogService.class);

	@TempDir
	Path dir;

	private Path model, input, output;

	@AfterEach
	void dispose() {
		context.dispose();
	}

	/** Two sample test images, a corrupt NIfTI file, and a text file that is not an image. */
	@BeforeEach
	void folders() throws Exception {
		model = SegmentImageCommandTest.model(dir);
		input = Files.createDirectories(dir.resolve("in"));
		output = dir.resolve("out");
		for (final String name : List.of("synthetic_014.nii.gz", "synthetic_015.nii.gz"))
			Files.copy(Path.of("sample-data", "test", "images", name), input.resolve(name));
		Files.write(input.resolve("broken.nii.gz"), new byte[] { 0x1f, (byte) 0x8b, 8, 0, 1, 2, 3 });
		Files.writeString(input.resolve("notes.txt"), "not an image");
	}

	private CommandModule run(final Object... extra) throws Exception {
		final Object[] inputs = Stream.concat(Stream.of("model", model.toFile(), "input", input.toFile(), "output", output.toFile()), Stream.of(extra))
			.toArray();
		return context.service(CommandService.class).run(SegmentFolderCommand.class, false, inputs).get();
	}

	@Test
	void segmentsSkipsExistingOutputsAndGoesOnAfterACorruptFile() throws Exception {
		Files.createDirectories(output);
		Files.writeString(output.resolve("synthetic_015.nii.gz"), "done before");
		final String summary = (String) run().getOutput("summary");
		assertTrue(summary.startsWith("1 done, 1 skipped (label map exists), 1 failed; label maps in " + output.toAbsolutePath()), summary);
		assertTrue(summary.contains("failed: broken.nii.gz ("), summary);

		final Path written = output.resolve("synthetic_014.nii.gz");
		final MedicalImage image = ImageFiles.read(input.resolve("synthetic_014.nii.gz")), labels = ImageFiles.readLabels(written);
		assertArrayEquals(image.dims(), labels.dims());
		assertArrayEquals(image.spacing(), labels.spacing(), 1e-6);
		assertArrayEquals(image.niftiHeader().srowX, labels.niftiHeader().srowX, 1e-6);
		try (SssModel net = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
			assertArrayEquals(PredictFiles.predict(net, image, 8, false, root).toLabelArray(), labels.toLabelArray());
		}
		assertEquals("done before", Files.readString(output.resolve("synthetic_015.nii.gz")), "an existing label map is left alone");
		try (Stream<Path> files = Files.list(output)) {
			assertEquals(List.of("synthetic_014.nii.gz", "synthetic_015.nii.gz"), files.map(p -> p.getFileName().toString()).sorted().toList(),
				"no label map for the corrupt file, no temporary files left");
		}

		// run again: everything that worked is skipped now
		final String again = (String) run().getOutput("summary");
		assertTrue(again.startsWith("0 done, 2 skipped (label map exists), 1 failed"), again);
		assertEquals(1, context.service(SssService.class).loadCount());
	}

	/** A link in the output folder to a file elsewhere is refused naming the key, before the model loads or anything is written. */
	@Test
	void anOutputLinkThatLeadsOutOfTheOutputFolderIsRefusedNamingTheKey() throws Exception {
		Files.createDirectories(output);
		final Path elsewhere = Files.writeString(dir.resolve("elsewhere.nii.gz"), "someone else's file");
		Files.createSymbolicLink(output.resolve("synthetic_015.nii.gz"), elsewhere);
		final InvalidInputException e = ImportSam2WeightsCommandTest.invalidInput(() -> run("overwrite", true));
		assertEquals("key 'output' (the label map of " + input.resolve("synthetic_015.nii.gz") + "): " + output.toAbsolutePath().resolve(
			"synthetic_015.nii.gz") + " is a symbolic link to " + elsewhere.toRealPath() + ", outside the output folder " + output.toAbsolutePath() +
			"; remove the link or choose another output folder", e.getMessage());
		assertEquals("someone else's file", Files.readString(elsewhere));
		assertEquals(List.of("synthetic_015.nii.gz"), PredictOutputs.names(output), "nothing written");
		assertEquals(0, context.service(SssService.class).loadCount());
	}

	@Test
	void overwriteReplacesAnExistingLabelMap() throws Exception {
		Files.createDirectories(output);
		Files.writeString(output.resolve("synthetic_015.nii.gz"), "done before");
		final String summary = (String) run("overwrite", true).getOutput("summary");
		assertTrue(summary.startsWith("2 done, 0 skipped (label map exists), 1 failed"), summary);
		assertArrayEquals(ImageFiles.read(input.resolve("synthetic_015.nii.gz")).dims(), ImageFiles.readLabels(output.resolve("synthetic_015.nii.gz")).dims(),
			"the old file is replaced by a label map");
	}

	@Test
	void confidenceWritesTheConfidenceAndEntropyMapsBesideEachLabelMapAndTtaKeepsTheGeometry() throws Exception {
		final String summary = (String) run("file_filter", "synthetic_014.nii.gz", "confidence", true, "tta", true).getOutput("summary");
		assertTrue(summary.startsWith("1 done, 0 skipped (label map exists), 0 failed"), summary);
		final MedicalImage image = ImageFiles.read(input.resolve("synthetic_014.nii.gz"));
		try (Stream<Path> files = Files.list(output)) {
			assertEquals(List.of("synthetic_014.confidence.nii.gz", "synthetic_014.entropy.nii.gz", "synthetic_014.nii.gz"),
				files.map(p -> p.getFileName().toString()).sorted().toList());
		}
		for (final String name : List.of("synthetic_014.confidence.nii.gz", "synthetic_014.entropy.nii.gz", "synthetic_014.nii.gz")) {
			final MedicalImage map = ImageFiles.read(output.resolve(name));
			assertArrayEquals(image.dims(), map.dims(), name);
			assertArrayEquals(image.spacing(), map.spacing(), 1e-6, name);
		}
		try (SssModel net = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
			assertArrayEquals(PredictFiles.predict(net, image, 8, true, root).toLabelArray(),
				ImageFiles.readLabels(output.resolve("synthetic_014.nii.gz")).toLabelArray(), "the label map is the TTA one");
		}
	}

	@Test
	void theGlobFilterSelectsFiles() throws Exception {
		final String summary = (String) run("file_filter", "*_01{4,6}.nii.gz").getOutput("summary");
		assertTrue(summary.startsWith("1 done, 0 skipped (label map exists), 0 failed"), summary);
		assertTrue(Files.isRegularFile(output.resolve("synthetic_014.nii.gz")));
		assertFalse(Files.exists(output.resolve("synthetic_015.nii.gz")));

		final InvalidInputException none = TrainCommandTest.invalidInput(assertThrows(ExecutionException.class, () -> run("file_filter", "*.tif")));
		assertTrue(none.getMessage().contains("no image file matching file_filter '*.tif'"), none.getMessage());
		final InvalidInputException bad = TrainCommandTest.invalidInput(assertThrows(ExecutionException.class, () -> run("file_filter", "[a")));
		assertTrue(bad.getMessage().startsWith("key 'file_filter': '[a' is not a valid glob"), bad.getMessage());
	}

	/** The shards of broken.nii.gz, synthetic_014 and synthetic_015 in 2: 1, 1 and 2 ({@code ShardTest} pins the rule). */
	@Test
	void shardsOneAndTwoOfTwoWriteTheSameFilesAsOneRunWithoutShards() throws Exception {
		final String first = (String) run("shard", "1/2").getOutput("summary");
		assertTrue(first.startsWith("1 done, 0 skipped (label map exists), 1 failed; shard 1/2: 2 of 3 files; label maps in "), first);
		assertEquals(List.of("synthetic_014.nii.gz"), names(output));
		final String second = (String) run("shard", "2/2").getOutput("summary");
		assertTrue(second.startsWith("1 done, 0 skipped (label map exists), 0 failed; shard 2/2: 1 of 3 files; label maps in "), second);

		final Path sharded = output;
		output = dir.resolve("whole");
		final String whole = (String) run().getOutput("summary");
		assertFalse(whole.contains("shard"), whole);
		assertEquals(names(output), names(sharded));
		for (final String name : names(output))
			assertArrayEquals(ImageFiles.readLabels(output.resolve(name)).toLabelArray(), ImageFiles.readLabels(sharded.resolve(name)).toLabelArray(), name);
		assertEquals(1, context.service(SssService.class).loadCount());

		// 4/4 holds none of the files (broken.nii.gz is in 3/4): nothing is done, and the model is not needed
		model = dir.resolve("no-such-model.sss");
		final String empty = (String) run("shard", "4/4").getOutput("summary");
		assertTrue(empty.startsWith("0 done, 0 skipped (label map exists), 0 failed; shard 4/4: 0 of 3 files"), empty);
	}

	@Test
	void aBadShardIsAnErrorNamingTheKey() {
		for (final String bad : List.of("0/3", "4/3", "a/b", "3", "-1/2", "1/0")) {
			final InvalidInputException e = TrainCommandTest.invalidInput(assertThrows(ExecutionException.class, () -> run("shard", bad)));
			assertTrue(e.getMessage().startsWith("key 'shard': '" + bad + "'"), e.getMessage());
		}
		assertFalse(Files.exists(output), "nothing written");
	}

	private static List<String> names(final Path folder) throws Exception {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	/**
	 * A folder as users have it: NIfTI volumes, an ImageJ TIFF stack calibrated in µm, a file only
	 * Bio-Formats reads (the test sources' stand-in), a corrupt NIfTI and a text file. In TIFF the
	 * label stacks keep each input's calibration, unit included; the text file is named in the Log
	 * with the reason no reader takes it.
	 */
	@Test
	void aFolderAsUsersHaveItGivesTiffLabelStacksWithTheInputsCalibrationAndNamesWhatItSkipped() throws Exception {
		final ImageStack stack = new ImageStack(40, 30);
		for (int z = 0; z < 3; z++) {
			final ShortProcessor slice = new ShortProcessor(40, 30);
			slice.setColor(400 + 100 * z);
			slice.fillOval(8, 6, 20 + 2 * z, 16);
			stack.addSlice(slice);
		}
		final ImagePlus cells = new ImagePlus("cells", stack);
		cells.getCalibration().pixelWidth = 0.5;
		cells.getCalibration().pixelHeight = 0.25;
		cells.getCalibration().pixelDepth = 2;
		cells.getCalibration().setUnit("um");
		assertTrue(new FileSaver(cells).saveAsTiffStack(input.resolve("cells.tif").toString()));
		Files.write(input.resolve("scan.czi"), new byte[50]);
		final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
		final LogListener listener = message -> lines.add(message.text());
		context.service(LogService.class).addLogListener(listener);

		final String summary = (String) run("format", "tiff").getOutput("summary");
		assertTrue(summary.startsWith("4 done, 0 skipped (label map exists), 1 failed; label maps in " + output.toAbsolutePath() +
			"; 1 file no reader takes, skipped (see the Log)"), summary);
		// a name ending SSS does not know stays in the name: scan.czi and scan.lif do not clash
		assertEquals(List.of("cells.tif", "scan.czi.tif", "synthetic_014.tif", "synthetic_015.tif"), names(output));
		final List<String> skipped = lines.stream().filter(l -> l.contains("skipped notes.txt")).toList();
		assertEquals(1, skipped.size(), String.join("\n", lines));
		assertTrue(skipped.get(0).contains("unsupported file type") && skipped.get(0).contains("Bio-Formats does not know this file type"), skipped.get(0));

		final ImagePlus in = IJ.openImage(input.resolve("cells.tif").toString()), labels = IJ.openImage(output.resolve("cells.tif").toString());
		assertEquals(8, labels.getBitDepth());
		assertEquals(3, labels.getStackSize());
		assertEquals(in.getCalibration().getUnit(), labels.getCalibration().getUnit());
		assertEquals("\u00b5m", labels.getCalibration().getUnit());
		assertEquals(0.5, labels.getCalibration().pixelWidth, 1e-9);
		assertEquals(0.25, labels.getCalibration().pixelHeight, 1e-9);
		assertEquals(2, labels.getCalibration().pixelDepth, 1e-9);
		final ImagePlus volume = IJ.openImage(output.resolve("synthetic_014.tif").toString());
		final MedicalImage nifti = ImageFiles.read(input.resolve("synthetic_014.nii.gz"));
		assertEquals("mm", volume.getCalibration().getUnit());
		assertArrayEquals(nifti.spacing(), new double[] { volume.getCalibration().pixelWidth, volume.getCalibration().pixelHeight,
			volume.getCalibration().pixelDepth }, 1e-5, "TIFF keeps 1 / pixel width as a fraction over 10^6, as File > Save As > Tiff does");
		try (SssModel net = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
			assertArrayEquals(PredictFiles.predict(net, ImageFiles.read(input.resolve("cells.tif")), 8, false, root).toLabelArray(),
				MedicalImagePlus.fromImagePlus(labels, "test").toLabelArray());
			assertArrayEquals(PredictFiles.predict(net, nifti, 8, false, root).toLabelArray(), MedicalImagePlus.fromImagePlus(volume, "test").toLabelArray());
		}
	}

	@Test
	void aFormatOtherThanNiftiOrTiffIsRefused() {
		final InvalidInputException e = TrainCommandTest.invalidInput(assertThrows(ExecutionException.class, () -> run("format", "png")));
		assertEquals("key 'format': 'png' is not one of [nifti, tiff]", e.getMessage());
	}

	@Test
	void theInputFolderIsNotAnOutputFolder() {
		output = input;
		final InvalidInputException e = TrainCommandTest.invalidInput(assertThrows(ExecutionException.class, () -> run()));
		assertTrue(e.getMessage().startsWith("key 'output'") && e.getMessage().contains("is the input folder"), e.getMessage());
	}

	/** Cancelled after the first file (files go in name order: broken, synthetic_014, synthetic_015). */
	@Test
	void cancelStopsBetweenFiles() throws Exception {
		final ModuleService modules = context.service(ModuleService.class);
		final Module module = modules.createModule(context.service(CommandService.class).getCommand(SegmentFolderCommand.class));
		final LogListener canceller = message -> {
			if (message.text().contains("synthetic_014.nii.gz ->")) ((Cancelable) module).cancel("test");
		};
		context.service(LogService.class).addLogListener(canceller);
		modules.run(module, false, Map.of("model", model.toFile(), "input", input.toFile(), "output", output.toFile())).get();
		final String summary = (String) module.getOutput("summary");
		assertTrue(summary.startsWith("1 done, 0 skipped (label map exists), 1 failed, 1 not processed: cancelled (test)"), summary);
		assertTrue(Files.isRegularFile(output.resolve("synthetic_014.nii.gz")));
		assertFalse(Files.exists(output.resolve("synthetic_015.nii.gz")));
	}

	/** SSS Segment Folder run headless in a JVM of its own, as a script or macro runs it: arguments model, input and output folder. */
	public static final class Child {

		public static void main(final String[] args) throws Exception {
			try (Context context = new Context(CommandService.class, SssService.class, LogService.class)) {
				context.service(CommandService.class).run(SegmentFolderCommand.class, false, "model", new File(args[0]), "input", new File(args[1]), "output",
					new File(args[2]), "confidence", true).get();
			}
		}
	}

	@Test
	void aKilledSegmentFolderLeavesOnlyCompleteOutputsAndARerunFinishesTheRest() throws Exception {
		final Path in = Files.createDirectories(dir.resolve("many"));
		try (Stream<Path> files = Files.list(Path.of("sample-data", "unlabeled"))) {
			for (final Path file : files.toList())
				Files.copy(file, in.resolve(file.getFileName()));
		}
		final Path reference = dir.resolve("reference");
		context.service(CommandService.class).run(SegmentFolderCommand.class, false, "model", model.toFile(), "input", in.toFile(), "output",
			reference.toFile(), "confidence", true).get();
		final List<String> all = PredictOutputs.names(reference);
		assertEquals(3 * 8, all.size(), all.toString());

		final long seed = System.nanoTime();
		System.out.println("kill moments drawn with seed " + seed);
		// while the first output is written, then once a random number of the first half of the 24 outputs are complete
		final ChildJvm.Moment[] moments = { ChildJvm.Moment.writing(), ChildJvm.Moment.written(1 + new Random(seed).nextInt(12)) };
		for (int k = 0; k < moments.length; k++) {
			final Path out = dir.resolve("killed" + k);
			final ChildJvm child = ChildJvm.start(dir.resolve("child" + k + ".log"), 0, Child.class, model.toString(), in.toString(), out.toString());
			child.killAt(out, moments[k]);
			final List<String> complete = PredictOutputs.assertOnlyComplete(out, reference);
			final long labelMaps = PredictOutputs.labelMaps(complete);
			System.out.println("kill " + k + " (" + moments[k] + "): " + complete.size() + " complete outputs, " +
				(PredictOutputs.names(out).size() - complete.size()) + " temporary files");
			assertTrue(labelMaps < 8, "the child finished before it was killed; nothing was tested:\n" + child.output());

			final String summary = (String) context.service(CommandService.class).run(SegmentFolderCommand.class, false, "model", model.toFile(),
				"input", in.toFile(), "output", out.toFile(), "confidence", true).get().getOutput("summary");
			assertTrue(summary.startsWith((8 - labelMaps) + " done, " + labelMaps + " skipped (label map exists), 0 failed"), summary);
			assertEquals(all, PredictOutputs.names(out), "every output, and no temporary file");
			PredictOutputs.assertOnlyComplete(out, reference);
		}
	}

	/** The four sample test volumes in a folder of their own. */
	private Path testVolumes() throws IOException {
		final Path in = Files.createDirectories(dir.resolve("volumes"));
		try (Stream<Path> files = Files.list(Path.of("sample-data", "test", "images"))) {
			for (final Path file : files.toList())
				Files.copy(file, in.resolve(file.getFileName()));
		}
		return in;
	}

	private Future<CommandModule> segment(final Path in, final Path out) {
		return context.service(CommandService.class).run(SegmentFolderCommand.class, false, "model", model.toFile(), "input", in.toFile(), "output",
			out.toFile(), "confidence", true);
	}

	/**
	 * Two SSS Segment Folder runs at once with one model (two into their own folders, two into one
	 * folder) write the files that one run alone writes.
	 */
	@Test
	void twoSegmentationsAtOnceWriteWhatOneRunAloneWrites() throws Exception {
		final Path in = testVolumes(), reference = dir.resolve("alone");
		segment(in, reference).get();
		final List<String> all = PredictOutputs.names(reference);
		assertEquals(3 * 4, all.size(), all.toString());

		final Future<CommandModule> a = segment(in, dir.resolve("a")), b = segment(in, dir.resolve("b"));
		final Future<CommandModule> c = segment(in, dir.resolve("shared")), d = segment(in, dir.resolve("shared"));
		for (final Future<CommandModule> run : List.of(a, b, c, d))
			assertTrue(((String) run.get().getOutput("summary")).contains("0 failed"), (String) run.get().getOutput("summary"));
		for (final String out : List.of("a", "b", "shared")) {
			assertEquals(all, PredictOutputs.names(dir.resolve(out)), out);
			PredictOutputs.assertOnlyComplete(dir.resolve(out), reference);
		}
		assertEquals(1, context.service(SssService.class).loadCount(), "the runs shared the cached model");
	}

	/**
	 * SSS Train runs while SSS Segment Folder segments with the model file that the training then
	 * replaces: the segmentation writes what it writes alone, and a segmentation after the training
	 * uses the new model.
	 */
	@Test
	void segmentingWhileTrainingReplacesTheModelWritesWhatOneRunAloneWrites() throws Exception {
		final Path in = testVolumes(), reference = dir.resolve("alone");
		segment(in, reference).get();
		final Path before = Files.copy(model, dir.resolve("before.sss"));

		final Future<CommandModule> training = context.service(CommandService.class).run(TrainCommand.class, false, "data", new File("sample-data"),
			"split", "", "mode", "supervised", "budget_minutes", 0.0, "iterations", 2, "crop", 32, "batch", 2, "validation_interval", 2, "output",
			model.toFile());
		final Future<CommandModule> during = segment(in, dir.resolve("during"));
		assertTrue(((String) during.get().getOutput("summary")).contains("0 failed"), (String) during.get().getOutput("summary"));
		System.out.println("the segmentation ended " + (training.isDone() ? "after" : "while") + " the training ran");
		assertTrue(((String) training.get().getOutput("summary")).startsWith("trained after 2 iterations"));
		PredictOutputs.assertOnlyComplete(dir.resolve("during"), reference);
		assertEquals(PredictOutputs.names(reference), PredictOutputs.names(dir.resolve("during")));

		assertFalse(java.util.Arrays.equals(Files.readAllBytes(before), Files.readAllBytes(model)), "the training replaced the model file");
		segment(in, dir.resolve("after")).get();
		final Path volume = in.resolve("synthetic_014.nii.gz");
		try (SssModel trained = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
			assertArrayEquals(PredictFiles.predict(trained, ImageFiles.read(volume), 8, false, root).toLabelArray(),
				ImageFiles.readLabels(dir.resolve("after").resolve("synthetic_014.nii.gz")).toLabelArray(), "the segmentation after uses the new model");
		}
	}
}
