package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import ij.IJ;
import ij.ImagePlus;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.eval.EvaluationCases;
import io.github.sssfiji.eval.Evaluator;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.modelfile.TensorArchive;
import io.github.sssfiji.sss.pcsw.PcswFiles;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PromptsJson;
import io.github.sssfiji.sss.predict.PredictFiles;

/**
 * The shipped macros, run by {@code tests/macros.sh} truly headless in plain ImageJ 1.x with the
 * packaged plugin jar, the way a user installs it. An integration test (failsafe, after
 * {@code package}) because it needs that jar; its results are checked against the same jobs run
 * in this JVM.
 */
class MacrosIT {

	private static final Path ROOT = Paths.get("").toAbsolutePath();
	private static final Path SAMPLE = ROOT.resolve("sample-data");
	private static final Path FAILING = ROOT.resolve("src/test/resources/io/github/sssfiji/ij1/failing");

	@TempDir
	Path out;

	private record Run(int exitCode, String output) {}

	private Run macros(final String... macros) throws IOException, InterruptedException {
		final List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("tests/macros.sh").toString()));
		command.addAll(List.of(macros));
		final Path log = Files.createTempFile(out, "macros", ".log");
		final ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
		builder.environment().put("SSS_MACRO_OUTPUT", out.toString());
		final Process process = builder.start();
		if (!process.waitFor(15, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError("tests/macros.sh did not finish in 15 minutes:\n" + Files.readString(log));
		}
		final String output = Files.readString(log);
		System.out.println(output);
		return new Run(process.exitValue(), output);
	}

	@Test
	void shippedMacrosPassAndWriteWhatTheJobsWrite() throws Exception {
		final Run run = macros();
		assertEquals(0, run.exitCode(), run.output());
		for (final String macro : List.of("pcsw-prompts", "evaluate", "train-folder", "segment-folder"))
			assertTrue(run.output().contains("MACRO OK " + macro), macro + ":\n" + run.output());

		// pcsw-prompts.ijm, from a file: the same files as PCSW with the macro's parameters
		final Path label = SAMPLE.resolve("test/labels/synthetic_014.nii.gz");
		final Path fromFile = out.resolve("pcsw-prompts/synthetic_014");
		final Path expected = out.resolve("expected");
		PcswFiles.run(label, null, expected, "expected", PcswParameters.builder().windowLength(3).minSupport(2).promptFrequency(2).singleInstance(true).build());
		assertEquals(PromptsJson.read(expected.resolve(PcswFiles.PROMPTS)), PromptsJson.read(fromFile.resolve(PcswFiles.PROMPTS)));
		assertArrayEquals(ImageFiles.read(expected.resolve(PcswFiles.FILTERED)).toLabelArray(),
			ImageFiles.read(fromFile.resolve(PcswFiles.FILTERED)).toLabelArray());
		assertTrue(Files.isRegularFile(fromFile.resolve(PcswFiles.REJECTED)));

		// pcsw-prompts.ijm, on an image: the disc is kept whole, the one-slice blob is gone
		final ImagePlus input = IJ.openImage(out.resolve("pcsw-prompts/image/labels.tif").toString());
		final ImagePlus filtered = IJ.openImage(out.resolve("pcsw-prompts/image/labels-pcsw.tif").toString());
		assertNotNull(filtered);
		assertEquals(6, filtered.getStackSize());
		for (int z = 1; z <= 6; z++) {
			final byte[] before = (byte[]) input.getStack().getPixels(z), after = (byte[]) filtered.getStack().getPixels(z);
			for (int i = 0; i < before.length; i++)
				assertEquals(before[i] == 2 ? 2 : 0, after[i], "slice " + z + ", pixel " + i);
		}

		// evaluate.ijm: the printed mean Dice is that of the filtered label against the reference
		final Path prediction = out.resolve("evaluate/pcsw/filtered.nii.gz");
		assertTrue(Files.isRegularFile(out.resolve("evaluate/metrics.csv")));
		final double mean = Evaluator.evaluate(EvaluationCases.pairs(prediction, label), null).rows().stream().mapToDouble(row -> row.metrics().dice())
			.filter(d -> !Double.isNaN(d)).average().orElseThrow();
		final Matcher printed = Pattern.compile("mean Dice: ([0-9.]+) over 3 rows").matcher(run.output());
		assertTrue(printed.find(), run.output());
		assertEquals(mean, Double.parseDouble(printed.group(1)), 0.5e-4, "printed with 4 decimals");

		// train-folder.ijm: a model of the sample data's classes, the best checkpoint of its run folder
		final Path trained = out.resolve("train-folder/model.sss");
		try (SssModel model = SssModel.load(trained, Device.cpu())) {
			assertEquals(List.of("background", "RV", "Myo", "LV"), model.classNames());
		}
		assertArrayEquals(Files.readAllBytes(out.resolve("train-folder/model.training/best.sss")), Files.readAllBytes(trained));
		// with the key test=true (the macro's default): the best and the last model scored on sample-data/test once, after training
		final JsonObject test = TensorArchive.readMeta(trained).getAsJsonObject("provenance").getAsJsonObject("test");
		final int testVolumes = ImageFiles.list(SAMPLE.resolve("test/images")).size();
		assertEquals(Set.of("volumes", "best", "last"), test.keySet(), test.toString());
		assertEquals(testVolumes, test.get("volumes").getAsInt(), test.toString());
		assertTrue(run.output().contains("held-out test on " + testVolumes + " volumes:"), run.output());
		for (final String checkpoint : List.of("best", "last")) {
			final double dice = test.getAsJsonObject(checkpoint).getAsJsonObject("dice").get("mean").getAsDouble();
			assertTrue(dice >= 0 && dice <= 1, test.toString());
		}

		// segment-folder.ijm: the label maps are those its model predicts in this JVM
		final Path images = SAMPLE.resolve("test/images");
		try (SssModel model = SssModel.load(out.resolve("segment-folder/model.sss"), Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
			for (final Path image : ImageFiles.list(images))
				assertArrayEquals(PredictFiles.predict(model, ImageFiles.read(image), 8, false, root).toLabelArray(),
					ImageFiles.readLabels(out.resolve("segment-folder/labels").resolve(image.getFileName())).toLabelArray(), image.toString());
		}
		final ImagePlus segmented = IJ.openImage(out.resolve("segment-folder/heart-labels.tif").toString());
		assertEquals(3, segmented.getNSlices());
		assertEquals(8, segmented.getCalibration().pixelDepth, 1e-9);
	}

	@Test
	void failingMacrosFailTheRunWithTheirMessage() throws Exception {
		final Run run = macros(FAILING.resolve("unknown-key.ijm").toString(), FAILING.resolve("missing-file.ijm").toString());
		assertEquals(1, run.exitCode(), run.output());
		assertTrue(run.output().contains("Macro Error: SSS Evaluate: unknown key 'groundtruth'; valid keys: prediction, ground_truth, classes, output"),
			run.output());
		assertTrue(run.output().contains("no such labels.nii.gz: file not found"), run.output());
		assertTrue(run.output().contains("=== unknown-key: FAILED") && run.output().contains("=== missing-file: FAILED"), run.output());
		assertFalse(Pattern.compile("(?m)^MACRO OK").matcher(run.output()).find(), "each macro stops at the failing command");
		assertTrue(run.output().contains("macros.sh: 2 of 2 macros failed"), run.output());
	}
}
