package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.Sam2Network;
import io.github.sssfiji.sss.modelfile.SssModel;

/** The trainer with the micro SAM-2 backbone at 64 x 64 on a few ACDC slices. */
class TrainerSam2Test {

	@TempDir
	Path temp;

	private static TrainingListener record(final List<StepResult> steps) {
		return new TrainingListener() {

			@Override
			public void iteration(final StepResult result) {
				steps.add(result);
			}
		};
	}

	@Test
	void aTinySssRunLowersTheLabelledLossAndWritesALoadableModel() throws IOException {
		final TrainingData data = TinyAcdc.load(temp, true);
		// a high learning rate so that 12 iterations show the trend; every prompt kept to exercise them
		final TrainingConfig config = TrainingConfig.defaults().with("backbone", Sam2Network.MICRO).with("crop", 64).with("batch", 2)
			.with("iterations", 12).with("lr", 2e-3).with("validationInterval", 100).with("pcswInterval", 6).with("confidenceThreshold", 0)
			.with("emaWarmup", 4).with("promptProbability", 1).with("unlabelledStart", 0);
		assertEquals(Optimizer.Kind.ADAMW, config.optimisation().optimizer());
		final List<StepResult> steps = new ArrayList<>();
		final Trainer.Summary summary = Trainer.run(config, data, temp.resolve("run"), false, record(steps), null, Device.cpu());
		assertEquals(12, summary.completedIterations());
		final double first = (steps.get(0).labelledLoss() + steps.get(1).labelledLoss() + steps.get(2).labelledLoss()) / 3;
		final double last = (steps.get(9).labelledLoss() + steps.get(10).labelledLoss() + steps.get(11).labelledLoss()) / 3;
		assertTrue(last < first, "labelled loss " + first + " -> " + last);
		for (final StepResult r : steps)
			assertTrue(!r.skipped() && Double.isFinite(r.unlabelledLoss()), r.toString());
		assertTrue(steps.get(11).unlabelledLoss() > 0);
		try (SssModel model = SssModel.load(temp.resolve("run").resolve(Trainer.BEST), Device.cpu())) {
			assertEquals(Sam2Network.MICRO, model.network().kind());
			assertEquals(64, model.inputSize());
		}
	}

	@Test
	void pretrainedWeightsTrainAtALowerEncoderRate() throws IOException {
		final Path file = temp.resolve("micro" + Sam2ModelFiles.EXTENSION);
		final Path fixture = TestData.sam2Parity();
		Sam2ModelFiles.importCheckpoint(fixture.resolve("weights.pt"), Sam2Config.parse(fixture.resolve("config.json")), file);
		final TrainingData data = TinyAcdc.load(temp, true);
		final TrainingConfig config = TrainingConfig.defaults().with("backbone", Sam2Network.MICRO).with("pretrained", file.toString())
			.with("crop", 64).with("batch", 2).with("iterations", 2).with("validationInterval", 100).with("pcswInterval", 100);
		assertEquals(1e-5, config.optimisation().encoderLr(), 1e-12);
		final List<StepResult> steps = new ArrayList<>();
		Trainer.run(config, data, temp.resolve("run"), false, record(steps), null, Device.cpu());
		assertEquals(2, steps.size());
		assertFalse(steps.get(1).skipped());
		// the student's encoder moved away from the imported weights, slowly: AdamW's first steps move every
		// weight by about the learning rate
		final String name = "image_encoder.neck.convs.0.conv.weight";
		final float[] trained = array(temp.resolve("run").resolve(Trainer.STATE), "student/" + name);
		final float[] imported = io.github.sssfiji.io.torch.TorchCheckpoint.readStateDict(fixture.resolve("weights.pt")).get(name).floats();
		double max = 0;
		for (int i = 0; i < trained.length; i++)
			max = Math.max(max, Math.abs(trained[i] - imported[i]));
		assertTrue(max > 0 && max < 5e-5, "encoder change " + max);
	}

	/** A tensor of an SSS archive, read as its format documents it (raw little-endian float32 under {@code tensors/}). */
	private static float[] array(final Path archive, final String name) throws IOException {
		try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(archive.toFile())) {
			final byte[] bytes = zip.getInputStream(zip.getEntry("tensors/" + name)).readAllBytes();
			final float[] values = new float[bytes.length / 4];
			java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
			return values;
		}
	}

	@Test
	void sequencesTrainTheMemoryAndGiveAMemoryModel() throws IOException {
		// supervised, to keep it short: TrainingStepTest covers the semi-supervised step with sequences
		final TrainingData data = TinyAcdc.load(temp, false);
		final TrainingConfig config = TrainingConfig.defaults().with("backbone", Sam2Network.MICRO).with("mode", "supervised").with("crop", 64)
			.with("batch", 4).with("sequenceLength", 2).with("iterations", 2).with("lr", 1e-3).with("validationInterval", 100);
		final List<StepResult> steps = new ArrayList<>();
		Trainer.run(config, data, temp.resolve("run"), false, record(steps), null, Device.cpu());
		assertEquals(2, steps.size());
		for (final StepResult r : steps)
			assertTrue(!r.skipped() && Double.isFinite(r.labelledLoss()), r.toString());
		try (NDManager root = Engines.pytorch().newBaseManager();
			Network initial = Trainer.newStudent(config, 4, root);
			SssModel model = SssModel.load(temp.resolve("run").resolve(Trainer.BEST), Device.cpu()))
		{
			assertTrue(initial.hasMemory());
			assertTrue(model.network().hasMemory());
			for (final String key : List.of("memory_attention.layers.0.cross_attn_image.q_proj.weight", "memory_encoder.pix_feat_proj.weight",
				"maskmem_tpos_enc"))
			{
				final float[] before = initial.state().get(key).toFloatArray(), after = model.network().state().get(key).toFloatArray();
				assertFalse(java.util.Arrays.equals(before, after), key + " was trained");
			}
		}
	}

	@Test
	void configurationChecksForSam2() {
		assertThrows(InvalidInputException.class, () -> TrainingConfig.defaults().with("backbone", Sam2Network.MICRO).with("crop", 48));
		assertThrows(InvalidInputException.class, () -> TrainingConfig.defaults().with("pretrained", "x.sam2.zip"));
		final TrainingConfig sam2 = TrainingConfig.defaults().with("backbone", Sam2Network.TINY);
		assertEquals(1e-4, sam2.optimisation().lr(), 0);
		assertEquals(sam2.optimisation().lr(), sam2.optimisation().encoderLr(), 0);
		assertEquals(0.5, sam2.prompting().promptProbability(), 0);
		assertTrue(Files.notExists(Path.of("x.sam2.zip")));
	}
}
