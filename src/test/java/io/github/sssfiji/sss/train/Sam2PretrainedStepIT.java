package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.OfficialCheckpoints;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.sss.DfeNetwork;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.Sam2Network;
import io.github.sssfiji.sss.augment.Rng;

/**
 * SSS training steps of the Hiera-T backbone started from an official-format checkpoint (a random state
 * dict in the key layout of {@code sam2_hiera_tiny.pt}, imported to a SAM-2 model file): the frozen
 * pretrained encoder encodes the unlabelled branches (teacher's weak view, student's strong views) and
 * stays byte-identical to the checkpoint, while the student's encoder trains at {@code encoderLr}.
 * An integration test: a Hiera-T student, teacher and frozen encoder hold about 0.5 GB of Java direct
 * buffers (DJL backs arrays made from Java values with them), more than the unit tests' 512 MiB heap
 * (which bounds direct memory) leaves beside the other tests of the same JVM.
 */
class Sam2PretrainedStepIT {

	@TempDir
	Path temp;

	/** An official-format Hiera-T checkpoint with random values, imported to a SAM-2 model file. */
	static Path importedTiny(final Path dir) throws IOException {
		final Path checkpoint = dir.resolve("sam2_hiera_tiny.pt");
		OfficialCheckpoints.writeRandom(checkpoint, Sam2Model.expectedShapes(Sam2Config.hieraTiny()), 28);
		final Path file = dir.resolve("sam2_hiera_tiny" + Sam2ModelFiles.EXTENSION);
		Sam2ModelFiles.importCheckpoint(checkpoint, Sam2Config.hieraTiny(), file);
		return file;
	}

	@Test
	void theFrozenPretrainedEncoderEncodesTheUnlabelledBranchesAndStaysAsImported() throws IOException {
		final Path file = importedTiny(temp);
		final StateDict official = TorchCheckpoint.readStateDict(temp.resolve("sam2_hiera_tiny.pt"));
		// DFE on (as mode sss runs by default): the student is the DFE wrapper around the SAM-2 backbone
		final TrainingConfig config = TrainingConfig.defaults().with("backbone", Sam2Network.TINY).with("pretrained", file.toString()).with("crop", 32)
			.with("batch", 2).with("unlabelledBatch", 2).with("confidenceThreshold", 0).with("iterations", 10).with("promptProbability", 1);
		assertEquals(config.optimisation().lr() / 10, config.optimisation().encoderLr(), 1e-15);
		try (NDManager root = Engines.pytorch().newBaseManager(); Network student = Trainer.newStudent(config, 3, root);
			Network teacher = student.newInstance(root, 1))
		{
			final Sam2Network backbone = (Sam2Network) ((DfeNetwork) student).inner(), teacherBackbone = (Sam2Network) ((DfeNetwork) teacher).inner();
			assertTrue(backbone.hasFrozenEncoder());
			assertTrue(backbone.frozenModel() == teacherBackbone.frozenModel(), "student and teacher share the frozen encoder");
			Ema.copy(student.state(), teacher.state());
			final Map<String, NDArray> frozen = backbone.frozenModel().tensors();
			final Map<String, NDArray> encoder = new LinkedHashMap<>();
			backbone.state().parameters().forEach((name, p) -> {
				if (Sam2Network.isEncoderParameter(name)) encoder.put(name, p);
			});
			assertEquals(frozen.keySet().stream().filter(Sam2Network::isEncoderParameter).count(), encoder.size());
			for (final Map.Entry<String, NDArray> e : encoder.entrySet())
				assertArrayEquals(official.get(e.getKey()).floats(), e.getValue().toFloatArray(), 0f, "the student starts from the checkpoint: " + e.getKey());

			// the pretrained encoder's features of three slices, from the student as imported
			final float[] pixels = new float[3 * 32 * 32];
			final Rng rng = new Rng(3);
			for (int i = 0; i < pixels.length; i++)
				pixels[i] = rng.nextFloat();
			final List<float[]> reference = new ArrayList<>();
			try (NDManager inner = root.newSubManager()) {
				for (final NDArray level : backbone.encode(inner.create(pixels, new Shape(3, 1, 32, 32)), false))
					reference.add(level.toFloatArray());
			}

			final Map<String, NDArray> trained = new LinkedHashMap<>();
			student.state().parameters().forEach((name, p) -> trained.put("student/" + name, p));
			try (Optimizer optimizer = new Optimizer(Optimizer.Kind.ADAMW, 0.9, 0.01, trained, root)) {
				for (final String name : student.state().parameters().keySet())
					if (Sam2Network.isEncoderParameter(name))
						optimizer.scaleLearningRate("student/" + name, config.optimisation().encoderLr() / config.optimisation().lr());
				final TrainingStep step = new TrainingStep(config, student, teacher, optimizer);
				final BatchSampler sampler = new BatchSampler(config, TrainingStepTest.data());
				for (int t = 0; t < 3; t++) {
					final long start = System.nanoTime();
					final StepResult r = step.run(sampler.sample(t, true), t, 1e-3, 1, root);
					System.out.printf("sam2-tiny pretrained, crop 32, 2 + 2 slices: step %d in %.1f s%n", t, (System.nanoTime() - start) / 1e9);
					assertFalse(r.skipped(), r.toString());
					assertTrue(Double.isFinite(r.unlabelledLoss()) && r.unlabelledLoss() > 0, r.toString());
					Ema.update(teacher.state(), student.state(), 0.5);
				}
			}
			// the frozen encoder is the checkpoint's, byte for byte, and has no gradient
			for (final Map.Entry<String, NDArray> e : frozen.entrySet()) {
				assertFalse(e.getValue().hasGradient(), e.getKey() + " of the frozen encoder has a gradient");
				assertArrayEquals(official.get(e.getKey()).floats(), e.getValue().toFloatArray(), 0f, e.getKey() + " of the frozen encoder changed");
			}
			// the student's encoder trained: almost every tensor moved (AdamW moves each weight by about the learning rate)
			int moved = 0;
			for (final Map.Entry<String, NDArray> e : encoder.entrySet())
				if (!Arrays.equals(official.get(e.getKey()).floats(), e.getValue().toFloatArray())) moved++;
			assertTrue(moved > encoder.size() * 9 / 10, moved + " of " + encoder.size() + " encoder tensors moved");

			try (NDManager inner = root.newSubManager()) {
				final NDArray x = inner.create(pixels, new Shape(3, 1, 32, 32));
				// what the unlabelled branches get is still the pretrained encoder's output: for the teacher
				// (weak view) and for the student (strong views); the labelled slice goes through the trained encoder
				final NDList weak = teacherBackbone.encode(x, 0, false);
				final NDList strong = backbone.encode(x, 1, false);
				final NDList own = backbone.encode(x, false);
				for (int k = 0; k < reference.size(); k++) {
					final float[] expected = reference.get(k);
					final int perSlice = expected.length / 3;
					assertArrayEquals(expected, weak.get(k).toFloatArray(), 0f, "teacher level " + k);
					final float[] split = strong.get(k).toFloatArray();
					assertArrayEquals(Arrays.copyOfRange(expected, perSlice, expected.length), Arrays.copyOfRange(split, perSlice, split.length), 0f,
						"student's unlabelled slices, level " + k);
					assertFalse(Arrays.equals(Arrays.copyOf(expected, perSlice), Arrays.copyOf(split, perSlice)),
						"the labelled slice goes through the trained encoder, level " + k);
					assertFalse(Arrays.equals(expected, own.get(k).toFloatArray()), "the trained encoder differs, level " + k);
				}
			}

			// the training step itself sends only the unlabelled slices through it: with the frozen
			// encoder broken the unlabelled loss is not finite while the labelled loss stays finite
			final NDArray bias = frozen.get("image_encoder.trunk.patch_embed.proj.bias");
			final float[] nan = new float[(int) bias.size()];
			Arrays.fill(nan, Float.NaN);
			bias.set(nan);
			try (Optimizer optimizer = new Optimizer(Optimizer.Kind.ADAMW, 0.9, 0.01, trained, root)) {
				final StepResult r = new TrainingStep(config, student, teacher, optimizer).run(new BatchSampler(config, TrainingStepTest.data()).sample(3, true), 3, 1e-3, 1,
					root);
				assertTrue(Double.isFinite(r.labelledLoss()), r.toString());
				assertFalse(Double.isFinite(r.unlabelledLoss()), r.toString());
				assertTrue(r.skipped(), r.toString());
			}
		}
	}
}
