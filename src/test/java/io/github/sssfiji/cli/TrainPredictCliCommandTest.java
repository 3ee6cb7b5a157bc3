package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.github.sssfiji.cli.PredictCliCommandTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.sssfiji.ChildJvm;
import io.github.sssfiji.SmallDisk;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.sss.DfeNetwork;
import io.github.sssfiji.sss.dfe.DfeForm;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.PredictOutputs;
import io.github.sssfiji.sss.train.TrainingConfig;

/** {@code train} on the sample data, then {@code predict} with its model; option errors. */
class TrainPredictCliCommandTest {

	@TempDir
	Path dir;

	@Test
	void trainsThenPredictsTheTestImages() throws IOException {
		final Path run = dir.resolve("run");
		final String trained = run(0, "train", "--data", "sample-data", "--split", "", "--mode", "supervised", "--iterations", "2", "--crop", "32",
			"--batch", "2", "--validation-interval", "2", "--log-interval", "1", "--test", "true", "--out", run.toString());
		assertTrue(trained.contains("iter 1/2") && trained.contains("validation at 2: Dice RV"), trained);
		assertTrue(trained.contains("4 test volumes held out until the end") && trained.contains("held-out test on 4 volumes:  best (iteration 2) Dice RV"),
			trained);
		assertTrue(Files.isRegularFile(run.resolve("best.sss")) && Files.isRegularFile(run.resolve("last.state")));
		assertEquals(List.of("iteration,event", "1,log", "2,log", "2,validation"),
			Files.readAllLines(run.resolve("metrics.csv")).stream().map(line -> line.split(",")[0] + "," + line.split(",")[1]).toList());
		assertTrue(Files.size(run.resolve("training.png")) > 1000);
		// info prints the held-out scores of both checkpoints
		final JsonObject test = JsonParser.parseString(run(0, "info", run.resolve("last.sss").toString())).getAsJsonObject().getAsJsonObject("provenance")
			.getAsJsonObject("test");
		assertEquals(4, test.get("volumes").getAsInt());
		assertTrue(test.getAsJsonObject("best").getAsJsonObject("dice").has("mean") && test.getAsJsonObject("last").getAsJsonObject("dice").has("LV"),
			test.toString());

		final Path out = dir.resolve("labels");
		final String predicted = run(0, "predict", "--model", run.resolve("best.sss").toString(), "--input", "sample-data/test/images", "--out",
			out.toString());
		assertTrue(predicted.contains("device: cpu()") && predicted.contains("4 done, 0 skipped (label map exists), 0 failed"), predicted);
		assertArrayEquals(ImageFiles.read(Path.of("sample-data/test/images/synthetic_016.nii.gz")).dims(),
			ImageFiles.readLabels(out.resolve("synthetic_016.nii.gz")).dims());

		// existing label maps are skipped and left alone; --overwrite replaces them
		Files.writeString(out.resolve("synthetic_015.nii.gz"), "done before");
		final String again = run(0, "predict", "--model", run.resolve("best.sss").toString(), "--input", "sample-data/test/images", "--out",
			out.toString(), "--device", "cpu");
		assertTrue(again.contains("0 done, 4 skipped (label map exists), 0 failed"), again);
		assertEquals("done before", Files.readString(out.resolve("synthetic_015.nii.gz")));
		final String replaced = run(0, "predict", "--model", run.resolve("best.sss").toString(), "--input", "sample-data/test/images", "--out",
			out.toString(), "--overwrite", "true");
		assertTrue(replaced.contains("4 done, 0 skipped (label map exists), 0 failed"), replaced);
		assertArrayEquals(ImageFiles.read(Path.of("sample-data/test/images/synthetic_015.nii.gz")).dims(),
			ImageFiles.readLabels(out.resolve("synthetic_015.nii.gz")).dims());

		// --confidence true writes the confidence and entropy maps beside each label map (here with TTA)
		final Path maps = dir.resolve("maps");
		final String confident = run(0, "predict", "--model", run.resolve("best.sss").toString(), "--input",
			"sample-data/test/images/synthetic_014.nii.gz", "--out", maps.toString(), "--confidence", "true", "--tta", "true");
		assertTrue(confident.contains("1 done, 0 skipped (label map exists), 0 failed"), confident);
		for (final String name : new String[] { "synthetic_014.nii.gz", "synthetic_014.confidence.nii.gz", "synthetic_014.entropy.nii.gz" })
			assertArrayEquals(ImageFiles.read(Path.of("sample-data/test/images/synthetic_014.nii.gz")).dims(), ImageFiles.read(maps.resolve(name)).dims(),
				name);

		final String skipped = run(0, "predict", "--model", run.resolve("best.sss").toString(), "--input", "sample-data/test/images/synthetic_015.nii.gz",
			"--out", out.toString(), "--confidence", "true");
		assertTrue(skipped.contains("exists (--overwrite true replaces it and writes its missing confidence maps)"), skipped);

		// a corrupt input in the middle is reported, the inputs after it are written, and the exit code says so
		final Path in = Files.createDirectories(dir.resolve("in"));
		Files.copy(Path.of("sample-data/test/images/synthetic_014.nii.gz"), in.resolve("synthetic_014.nii.gz"));
		Files.write(in.resolve("synthetic_014b.nii.gz"), new byte[] { 0x1f, (byte) 0x8b, 8, 0, 1, 2, 3 });
		Files.copy(Path.of("sample-data/test/images/synthetic_015.nii.gz"), in.resolve("synthetic_015.nii.gz"));
		final Path out2 = dir.resolve("labels2");
		final String failed = run(1, "predict", "--model", run.resolve("best.sss").toString(), "--input", in.toString(), "--out", out2.toString());
		assertTrue(failed.contains("failed " + in.resolve("synthetic_014b.nii.gz")), failed);
		assertTrue(failed.contains("2 done, 0 skipped (label map exists), 1 failed"), failed);
		assertTrue(Files.isRegularFile(out2.resolve("synthetic_015.nii.gz")), "the input after the corrupt one is written");

		// --format tiff: ImageJ TIFF stacks with the input's calibration; a file no reader takes is named with the reason
		Files.writeString(in.resolve("notes.txt"), "not an image");
		final Path out3 = dir.resolve("tiff");
		final String tiff = run(1, "predict", "--model", run.resolve("best.sss").toString(), "--input", in.toString(), "--out", out3.toString(),
			"--format", "tiff");
		assertTrue(tiff.contains("skipped notes.txt: unsupported file type"), tiff);
		assertTrue(tiff.contains("2 done, 0 skipped (label map exists), 1 failed"), tiff);
		final ij.ImagePlus labels = ij.IJ.openImage(out3.resolve("synthetic_015.tif").toString());
		final MedicalImage input = ImageFiles.read(Path.of("sample-data/test/images/synthetic_015.nii.gz"));
		assertEquals(input.dims()[2], labels.getStackSize());
		assertEquals("mm", labels.getCalibration().getUnit());
		assertEquals(input.spacing()[2], labels.getCalibration().pixelDepth, 1e-9);
		assertArrayEquals(ImageFiles.readLabels(out2.resolve("synthetic_015.nii.gz")).toLabelArray(),
			io.github.sssfiji.ij1.MedicalImagePlus.fromImagePlus(labels, "test").toLabelArray(), "the same labels as in NIfTI");

		// resuming a finished run with more iterations is refused: the settings are the run's
		final String refused = run(2, "train", "--data", "sample-data", "--out", run.toString(), "--resume", "--iterations", "5");
		assertTrue(refused.contains("only --budget-minutes"), refused);
	}

	/** {@code --dfe-form released} (a configuration key as an option) trains an {@code sss} run whose model files hold that form. */
	@Test
	void trainsWithTheReleasedDfeForm() throws IOException {
		final Path run = dir.resolve("released");
		final String trained = run(0, "train", "--data", "sample-data", "--split", "", "--mode", "sss", "--pcsw", "false", "--dfe-form", "released",
			"--unlabelled-start", "0", "--iterations", "2", "--crop", "32", "--batch", "2", "--validation-interval", "2", "--log-interval", "1", "--out",
			run.toString());
		assertTrue(trained.contains("\"dfeForm\":\"released\",\"dfeLevels\":3") && trained.contains("iter 2/2") && trained.contains("0 skipped steps"),
			trained);
		try (SssModel model = SssModel.load(run.resolve("last.sss"), Device.cpu())) {
			final DfeNetwork net = (DfeNetwork) model.network();
			assertEquals(DfeForm.RELEASED, net.form());
			assertEquals(TrainingConfig.RELEASED_DFE_LEVELS, net.levels());
		}
	}

	@Test
	void badOptionsNameTheProblem() throws IOException {
		final String mode = run(2, "train", "--data", "sample-data", "--mode", "semi", "--out", dir.resolve("x").toString());
		assertTrue(mode.contains("'mode' = \"semi\"") && mode.contains("supervised, consistency, sss"), mode);
		final String crop = run(2, "train", "--data", "sample-data", "--crop", "50", "--out", dir.resolve("x").toString());
		assertTrue(crop.contains("'crop' = 50"), crop);
		final String both = run(2, "predict", "--model", "pom.xml", "--out", dir.toString());
		assertTrue(both.contains("exactly one of --input and --list"), both);
		final String overwrite = run(2, "predict", "--model", "pom.xml", "--input", "pom.xml", "--out", dir.toString(), "--overwrite", "yes");
		assertTrue(overwrite.contains("option --overwrite: 'yes' is not true or false"), overwrite);
		final String tta = run(2, "predict", "--model", "pom.xml", "--input", "pom.xml", "--out", dir.toString(), "--tta", "maybe");
		assertTrue(tta.contains("option --tta: 'maybe' is not true or false"), tta);
		final String confidence = run(2, "predict", "--model", "pom.xml", "--input", "pom.xml", "--out", dir.toString(), "--confidence", "1");
		assertTrue(confidence.contains("option --confidence: '1' is not true or false"), confidence);
		final String device = run(2, "predict", "--model", "pom.xml", "--input", "pom.xml", "--out", dir.toString(), "--device", "cuda");
		assertTrue(device.contains("option --device: 'cuda' is not a device choice (auto, cpu)"), device);
	}

	/** Two iterations on the sample data with a checkpoint at the second: a few seconds. */
	private static String[] shortTraining(final Path run) {
		return new String[] { "train", "--data", "sample-data", "--split", "", "--mode", "supervised", "--iterations", "2", "--crop", "32", "--batch",
			"2", "--validation-interval", "2", "--out", run.toString() };
	}

	/** A run folder holding a previous run's models, as a model file the trainer's checkpoints replace. */
	private static byte[] previousModels(final Path run) throws IOException {
		Files.createDirectories(run);
		final Path model = ShardedPredictCliTest.model(run);
		Files.copy(model, run.resolve("best.sss"));
		Files.move(model, run.resolve("last.sss"));
		return Files.readAllBytes(run.resolve("last.sss"));
	}

	/** The refused checkpoint is one error line naming the file, and the previous models are whole and load. */
	private static void assertRefusedAndIntact(final String output, final Path run, final byte[] previous, final String reason) throws IOException {
		final List<String> errors = output.lines().filter(l -> l.startsWith("error:")).toList();
		assertEquals(List.of("error: train: cannot write " + run.resolve("last.sss") + ": " + reason), errors, output);
		assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
		for (final String name : List.of("best.sss", "last.sss")) {
			assertArrayEquals(previous, Files.readAllBytes(run.resolve(name)), name);
			try (SssModel model = SssModel.load(run.resolve(name), Device.cpu())) {
				assertEquals(4, model.classNames().size());
			}
		}
		assertEquals(List.of(), PredictOutputs.names(run).stream().filter(n -> n.endsWith(".tmp")).toList(), "no temporary file left");
	}

	@Test
	void aFullDiskEndsTrainingWithOneErrorLineAndKeepsThePreviousModel() throws Exception {
		try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 24)) {
			final Path run = disk.folder().resolve("run");
			final byte[] previous = previousModels(run);
			disk.fillUpTo(1 << 20);
			assertRefusedAndIntact(run(1, shortTraining(run)), run, previous, "No space left on device");
		}
	}

	/** The same without mounting: a file size limit (ulimit -f) on the JVM that trains. */
	@Test
	void aFileSizeLimitEndsTrainingWithOneErrorLineAndKeepsThePreviousModel() throws Exception {
		final Path run = dir.resolve("run");
		final byte[] previous = previousModels(run);
		final ChildJvm child = ChildJvm.start(dir.resolve("train.log"), 1024, Main.class, shortTraining(run));
		final int code = child.waitFor(300);
		assertEquals(1, code, child.output());
		assertRefusedAndIntact(child.output(), run, previous, "File too large");
	}
}
