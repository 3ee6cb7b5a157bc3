package io.github.sssfiji.sss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.sss.loss.CeDiceLoss;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * The selective memory bank of the SAM-2 backbone (Medical SAM 2's self-sorting bank, micro
 * configuration at 64 x 64): how it relates to the recent rule in prediction, prediction through
 * {@link SlicePredictor}, seeded sampling and gradients in training, and the architecture record.
 */
class Sam2NetworkMemoryBankTest {

	private static final int SIZE = 64, CLASSES = 3;

	@TempDir
	Path temp;

	private static float[] noise(final int count, final long seed) {
		return Sam2NetworkSequenceTest.noise(count, seed);
	}

	private static Sam2Network fixture(final MemoryBank bank, final NDManager root, final long seed) throws IOException {
		final Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, true, bank, root, seed);
		net.model().loadWeights(TorchCheckpoint.readStateDict(TestData.sam2Parity().resolve("weights.pt")));
		return net;
	}

	private static float maxAbs(final NDArray a, final NDArray b) {
		return a.sub(b).abs().max().getFloat();
	}

	private static NDArray slice(final NDArray x, final int t) {
		return x.get(new NDIndex(t + ":" + (t + 1)));
	}

	/**
	 * While a stream's bank holds at most 6 earlier slices, prediction takes all of them, at the
	 * temporal positions of the recent rule, in the same order: the same logits, bit for bit. Later
	 * the bank holds more than the window and its choice by similarity differs from the last 6.
	 */
	@Test
	void inPredictionTheSelectiveBankDecodesLikeTheRecentRuleUntilItHoldsMoreThanSixSlices() throws IOException {
		final int frames = 11;
		try (NDManager root = Engines.pytorch().newBaseManager(); Sam2Network recent = fixture(MemoryBank.RECENT, root, 1);
			Sam2Network selective = fixture(MemoryBank.SELECTIVE, root, 1); NDManager step = root.newSubManager();
			Engines.NoGrad noGrad = Engines.noGrad())
		{
			assertEquals(MemoryBank.SELECTIVE, selective.memoryBank());
			final NDList features = recent.encode(step.create(noise(frames, 1), new Shape(frames, 1, SIZE, SIZE)), false);
			final NDArray a = recent.decodeSequence(features, null, false), b = selective.decodeSequence(features, null, false);
			for (int t = 0; t < 7; t++)
				assertArrayEquals(slice(a, t).toFloatArray(), slice(b, t).toFloatArray(), 0f, "slice " + t);
			float later = 0;
			for (int t = 7; t < frames; t++)
				later = Math.max(later, maxAbs(slice(a, t), slice(b, t)));
			assertTrue(later > 1e-4f, "a later slice reads other memories: " + later);
			assertArrayEquals(b.toFloatArray(), selective.decodeSequence(features, null, false).toFloatArray(), 0f, "prediction is deterministic");
		}
	}

	@Test
	void slicePredictorPredictsAVolumeWithTheSelectiveBankAsOneSequence() throws IOException {
		final int frames = 10;
		try (NDManager root = Engines.pytorch().newBaseManager(); Sam2Network net = fixture(MemoryBank.SELECTIVE, root, 2);
			NDManager step = root.newSubManager())
		{
			final float[] volume = noise(frames, 2);
			// batches of 4, 4 and 2 slices: the banks cross the encoder batches
			final float[] predicted = SlicePredictor.probabilities(net, volume, new int[] { SIZE, SIZE, frames }, SIZE, 4, root);
			final float[] direct;
			try (Engines.NoGrad noGrad = Engines.noGrad()) {
				direct = net.decodeSequence(net.encode(step.create(volume, new Shape(frames, 1, SIZE, SIZE)), false), null, false).softmax(1)
					.toFloatArray();
			}
			final int area = SIZE * SIZE, n = area * frames;
			float max = 0;
			for (int z = 0; z < frames; z++)
				for (int c = 0; c < CLASSES; c++)
					for (int p = 0; p < area; p++)
						max = Math.max(max, Math.abs(predicted[c * n + z * area + p] - direct[(z * CLASSES + c) * area + p]));
			assertTrue(max < 1e-5f, "same as decoding the sequence directly: " + max);
		}
	}

	/**
	 * In training the entries are drawn from the similarity weights by a generator seeded by the
	 * run, the slice and the slice's features: with the engine's generator (memory attention's
	 * dropout) reseeded, the same inputs give the same logits; the loss reaches the memory modules.
	 */
	@Test
	void trainingDrawsSeededSamplesAndGradientsReachTheMemoryModules() throws IOException {
		final Engine engine = Engines.pytorch();
		final int frames = 9;
		try (NDManager root = engine.newBaseManager(); Sam2Network net = fixture(MemoryBank.SELECTIVE, root, 3); NDManager step = root.newSubManager()) {
			final float[] images = noise(frames, 3);
			final int[] labels = new int[frames * SIZE * SIZE];
			for (int i = 0; i < labels.length; i++)
				labels[i] = i % SIZE < 20 ? 0 : 1 + i / SIZE % 2;
			final float[] trained, again;
			try (Engines.NoGrad noGrad = Engines.noGrad()) {
				final NDList features = net.encode(step.create(images, new Shape(frames, 1, SIZE, SIZE)), false);
				engine.setRandomSeed(7);
				trained = net.decodeSequence(features, null, true).toFloatArray();
				engine.setRandomSeed(7);
				again = net.decodeSequence(features, null, true).toFloatArray();
			}
			assertArrayEquals(trained, again, 0f, "seeded draws");
			net.state().zeroGradients();
			try (GradientCollector collector = engine.newGradientCollector()) {
				final NDList features = net.encode(step.create(images, new Shape(frames, 1, SIZE, SIZE)), true);
				// prompts on slice 0 only: a conditioning slice of the streams whose class it shows, bank entries follow
				final NDArray logits = net.decodeSequences(features, frames, SlicePrompts.fromLabels(labels, null, frames, SIZE, CLASSES).keepSlices(i -> i == 0),
					true);
				collector.backward(CeDiceLoss.of(logits, step.create(labels, new Shape(frames, SIZE, SIZE))));
			}
			for (final String key : List.of("maskmem_tpos_enc", "memory_attention.layers.0.cross_attn_image.k_proj.weight",
				"memory_encoder.pix_feat_proj.weight", "memory_encoder.mask_downsampler.encoder.0.weight", "memory_encoder.out_proj.weight"))
				assertTrue(net.state().parameters().get(key).getGradient().abs().sum().getFloat() > 0, key + " gets a gradient");
		}
	}

	@Test
	void theArchitectureRecordKeepsTheRuleThroughAModelFile() throws IOException {
		final Path file = temp.resolve("selective.sss");
		final float[] images = noise(9, 4);
		final float[] before;
		try (NDManager root = Engines.pytorch().newBaseManager(); Sam2Network net = fixture(MemoryBank.SELECTIVE, root, 4);
			NDManager step = root.newSubManager(); Engines.NoGrad noGrad = Engines.noGrad())
		{
			assertEquals("selective", net.architecture().get(Sam2Network.MEMORY_BANK).getAsString());
			before = net.decodeSequence(net.encode(step.create(images, new Shape(9, 1, SIZE, SIZE)), false), null, false).toFloatArray();
			SssModel.write(file, net, List.of("bg", "a", "b"), SIZE, null);
		}
		try (SssModel model = SssModel.load(file, Device.cpu()); NDManager step = Engines.pytorch().newBaseManager(); Engines.NoGrad noGrad = Engines.noGrad()) {
			final Sam2Network loaded = (Sam2Network) model.network();
			assertEquals(MemoryBank.SELECTIVE, loaded.memoryBank());
			assertEquals("selective", model.meta().getAsJsonObject("architecture").get(Sam2Network.MEMORY_BANK).getAsString());
			assertArrayEquals(before, loaded.decodeSequence(loaded.encode(step.create(images, new Shape(9, 1, SIZE, SIZE)), false), null, false)
				.toFloatArray(), 0f);
		}
	}

	@Test
	void anArchitectureWithoutTheKeyIsRecentAndBadValuesAreRefused() {
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final JsonObject architecture = new JsonObject();
			architecture.addProperty("classes", 2);
			architecture.addProperty("imageSize", SIZE);
			architecture.addProperty(Sam2Network.MEMORY, true);
			try (Sam2Network net = Sam2Network.create(Sam2Network.MICRO, architecture, root, 0, "m.sss")) {
				assertEquals(MemoryBank.RECENT, net.memoryBank());
				assertEquals("recent", net.architecture().get(Sam2Network.MEMORY_BANK).getAsString());
			}
			for (final String bad : List.of("\"sorted\"", "true")) {
				final JsonObject copy = architecture.deepCopy();
				copy.add(Sam2Network.MEMORY_BANK, com.google.gson.JsonParser.parseString(bad));
				final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sam2Network.create(Sam2Network.MICRO, copy, root, 0, "m.sss"));
				assertTrue(e.getMessage().contains("memory") && e.getMessage().contains("m.sss"), e.getMessage());
			}
			final JsonObject flat = architecture.deepCopy();
			flat.addProperty(Sam2Network.MEMORY, false);
			flat.addProperty(Sam2Network.MEMORY_BANK, "selective");
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sam2Network.create(Sam2Network.MICRO, flat, root, 0, "m.sss"));
			assertTrue(e.getMessage().contains("'memory' = true"), e.getMessage());
			assertThrows(InvalidInputException.class, () -> Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, false, MemoryBank.SELECTIVE, root, 0));
			try (Sam2Network flatNet = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, root, 0)) {
				assertFalse(flatNet.architecture().has(Sam2Network.MEMORY_BANK), "a 2-D backbone records no bank");
			}
		}
	}

	@Test
	void theQualityScoreIsTheMeanConfidenceOfTheClassMask() {
		final double s2 = 1 / (1 + Math.exp(-2));
		// logits 0, 2 and -2: confidences 0.5, sigmoid(2) and 1 - sigmoid(-2) = sigmoid(2); the first value is not read
		assertEquals((0.5 + 2 * s2) / 3, Sam2Network.confidence(new float[] { 9, 0, 2, -2 }, 1, 3), 1e-12);
	}
}
