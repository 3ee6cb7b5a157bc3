package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.github.sssfiji.cli.PredictCliCommandTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.torch.OfficialCheckpoints;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.sss.Sam2Network;
import io.github.sssfiji.sss.modelfile.SssModel;

/**
 * Pretrained SAM-2 as a user runs it: an official-format checkpoint ({@code torch.save({"model": state_dict})};
 * here a random state dict in the official key layout, as no real weights are available to the build) goes
 * through {@code import-sam2}, then {@code train --backbone ... --pretrained FILE} in mode sss on the sample
 * data, and the model it writes loads, records where its weights came from and predicts. Slow on a CPU
 * (Hiera-T's 39 M parameters): an integration test.
 */
class Sam2PretrainedIT {

	@TempDir
	Path dir;

	@Test
	void hieraTinyFromAnOfficialCheckpointTrainsSavesAndPredicts() throws IOException {
		final Path checkpoint = dir.resolve("sam2_hiera_tiny.pt");
		OfficialCheckpoints.writeRandom(checkpoint, Sam2Model.expectedShapes(Sam2Config.hieraTiny()), 28);
		final Path imported = dir.resolve("sam2-tiny" + Sam2ModelFiles.EXTENSION);
		final String log = run(0, "import-sam2", checkpoint.toString(), "--out", imported.toString());
		assertTrue(log.contains("all 468 tensors of sam2_hiera_tiny.pt match the keys and shapes of configuration 'hiera_tiny'"), log);
		assertEquals("sam2_hiera_tiny.pt", Sam2ModelFiles.readProvenance(imported).sourceFile());

		final Path run = dir.resolve("run");
		final long start = System.nanoTime();
		final String trained = run(0, "train", "--data", "sample-data", "--split", "", "--backbone", Sam2Network.TINY, "--pretrained",
			imported.toString(), "--mode", "sss", "--iterations", "3", "--crop", "64", "--batch", "2", "--unlabelled-batch", "2",
			"--validation-interval", "3", "--pcsw-interval", "100", "--unlabelled-start", "0", "--confidence-threshold", "0", "--log-interval", "1", "--threads", "2", "--out",
			run.toString());
		System.out.printf(Locale.ROOT, "sam2-tiny pretrained, train 3 iterations at crop 64 (batch 2 + 2) with one validation: %.1f s%n",
			(System.nanoTime() - start) / 1e9);
		System.out.println(trained);
		assertTrue(trained.contains("iter 3/3") && trained.contains("done: 3 iterations"), trained);
		// the unlabelled branches ran from the first iteration (through the frozen pretrained encoder)
		assertFalse(trained.contains("u -)") || trained.contains("u 0.0000"), trained);
		checkModel(run.resolve("best.sss"), Sam2Network.TINY, imported);
	}

	@Test
	void theParityFixtureCheckpointTakesTheSamePath() throws IOException {
		final Path fixture = TestData.sam2Parity();
		final Path imported = dir.resolve("micro" + Sam2ModelFiles.EXTENSION);
		final String log = run(0, "import-sam2", fixture.resolve("weights.pt").toString(), "--config", fixture.resolve("config.json").toString(),
			"--out", imported.toString());
		assertTrue(log.contains("match the keys and shapes"), log);
		final Path run = dir.resolve("run");
		final String trained = run(0, "train", "--data", "sample-data", "--split", "", "--backbone", Sam2Network.MICRO, "--pretrained",
			imported.toString(), "--mode", "sss", "--iterations", "2", "--crop", "64", "--batch", "2", "--validation-interval", "2", "--out",
			run.toString());
		assertTrue(trained.contains("done: 2 iterations"), trained);
		checkModel(run.resolve("best.sss"), Sam2Network.MICRO, imported);
	}

	/**
	 * Hiera-S: the import and the pretrained backbone's forward, the frozen encoder giving the imported
	 * encoder's features. Training runs the same code as for Hiera-T; a 2-iteration {@code train} of it
	 * took 33 s on 2 idle cores but over 2.5 min on busy ones (writing about 1.1 GB of model and state
	 * files), too long for the build, so it is not repeated here.
	 */
	@Test
	void hieraSmallFromAnOfficialCheckpointImportsAndRuns() throws IOException {
		final Path checkpoint = dir.resolve("sam2_hiera_small.pt");
		OfficialCheckpoints.writeRandom(checkpoint, Sam2Model.expectedShapes(Sam2Config.hieraSmall()), 29);
		final Path imported = dir.resolve("sam2-small" + Sam2ModelFiles.EXTENSION);
		final String log = run(0, "import-sam2", checkpoint.toString(), "--out", imported.toString());
		assertTrue(log.contains("tensors of sam2_hiera_small.pt match the keys and shapes of configuration 'hiera_small'"), log);
		final StateDict official = TorchCheckpoint.readStateDict(checkpoint);
		Files.delete(checkpoint);
		try (NDManager root = Engines.pytorch().newBaseManager(); Sam2Network net = Sam2Network.create(Sam2Network.SMALL, 4, 64, imported, root, 0)) {
			assertTrue(net.hasFrozenEncoder());
			final String patch = "image_encoder.trunk.patch_embed.proj.weight";
			assertArrayEquals(official.get(patch).floats(), net.frozenModel().tensors().get(patch).toFloatArray(), 0f);
			assertArrayEquals(official.get(patch).floats(), net.state().get(patch).toFloatArray(), 0f);
			final float[] pixels = new float[2 * 64 * 64];
			for (int i = 0; i < pixels.length; i++)
				pixels[i] = (i * 7919 % 256) / 255f;
			final NDArray x = root.create(pixels, new Shape(2, 1, 64, 64));
			final long start = System.nanoTime();
			final NDList own = net.encode(x, false), frozen = net.encode(x, 0, false);
			final NDArray logits = net.decode(own, false);
			System.out.printf(Locale.ROOT, "sam2-small pretrained: two encodings and a decoding of 2 slices at 64 in %.1f s%n",
				(System.nanoTime() - start) / 1e9);
			for (int k = 0; k < own.size(); k++)
				assertArrayEquals(own.get(k).toFloatArray(), frozen.get(k).toFloatArray(), 0f, "level " + k + " before training");
			assertEquals(new Shape(2, 4, 64, 64), logits.getShape());
			for (final float v : logits.toFloatArray())
				assertTrue(Float.isFinite(v));
		}
	}

	/** The model loads as the kind, records the imported file's name, predicts a test volume and a slice. */
	private void checkModel(final Path model, final String kind, final Path imported) throws IOException {
		try (SssModel loaded = SssModel.load(model, Device.cpu()); NDManager step = Engines.pytorch().newBaseManager()) {
			assertEquals(kind, loaded.network().kind());
			assertEquals(64, loaded.inputSize());
			assertEquals(imported.getFileName().toString(), loaded.network().architecture().get("importedFrom").getAsString());
			// a loaded model needs no pretrained file: it predicts without a frozen encoder
			assertFalse(((Sam2Network) rawNetwork(loaded)).hasFrozenEncoder());
			final float[] logits = loaded.network().decode(loaded.network().encode(step.zeros(new Shape(1, 1, 64, 64)), false), false).toFloatArray();
			for (final float v : logits)
				assertTrue(Float.isFinite(v));
		}
		final String info = run(0, "info", model.toString());
		assertTrue(info.contains("importedFrom") && info.contains(imported.getFileName().toString()), info);
		final Path out = dir.resolve("labels-" + kind);
		final String predicted = run(0, "predict", "--model", model.toString(), "--input", "sample-data/test/images/synthetic_014.nii.gz", "--out",
			out.toString());
		assertTrue(predicted.contains("1 done, 0 skipped (label map exists), 0 failed"), predicted);
		assertArrayEquals(ImageFiles.read(Path.of("sample-data/test/images/synthetic_014.nii.gz")).dims(),
			ImageFiles.readLabels(out.resolve("synthetic_014.nii.gz")).dims());
	}

	private static Object rawNetwork(final SssModel model) {
		final io.github.sssfiji.sss.Network n = model.network();
		return n instanceof io.github.sssfiji.sss.DfeNetwork dfe ? dfe.inner() : n;
	}
}
