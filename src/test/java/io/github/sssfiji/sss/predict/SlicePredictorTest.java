package io.github.sssfiji.sss.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.Sam2Network;
import io.github.sssfiji.sss.SlicePrompts;

/**
 * Volume prediction: a SAM-2 backbone with memory predicts the slices in order as one sequence
 * across encoder batches, a 2-D backbone slice by slice; both against the backbone called directly
 * (slices of the model size, so the resizing is the identity).
 */
class SlicePredictorTest {

	private static final int SIZE = 64, SLICES = 9, CLASSES = 3;

	private static float[] volume() {
		final Random random = new Random(7);
		final float[] values = new float[SLICES * SIZE * SIZE];
		for (int z = 0; z < SLICES; z++)
			for (int y = 0; y < SIZE; y++)
				for (int x = 0; x < SIZE; x++)
					values[(z * SIZE + y) * SIZE + x] = (float) (0.5 + 0.4 * Math.sin((x + 2 * z) / 7.0) * Math.cos(y / 5.0) + 0.1 * random.nextFloat());
		return values;
	}

	/** Softmax of the direct logits (Z, C, S, S), laid out as {X, Y, Z, C}. */
	private static float[] direct(final Network net, final float[] volume, final boolean sequence) {
		try (NDManager manager = Engines.pytorch().newBaseManager(); Engines.NoGrad noGrad = Engines.noGrad()) {
			final var features = net.encode(manager.create(volume, new Shape(SLICES, 1, SIZE, SIZE)), false);
			final float[] p = (sequence ? ((Sam2Network) net).decodeSequence(features, null, false) : net.decode(features, false)).softmax(1)
				.toFloatArray();
			final int area = SIZE * SIZE, n = area * SLICES;
			final float[] out = new float[p.length];
			for (int z = 0; z < SLICES; z++)
				for (int c = 0; c < CLASSES; c++)
					System.arraycopy(p, (z * CLASSES + c) * area, out, c * n + z * area, area);
			return out;
		}
	}

	private static float maxDifference(final float[] a, final float[] b) {
		assertEquals(a.length, b.length);
		float max = 0;
		for (int i = 0; i < a.length; i++)
			max = Math.max(max, Math.abs(a[i] - b[i]));
		return max;
	}

	@Test
	void aMemoryModelPredictsTheVolumeAsOneSequence() throws IOException {
		try (NDManager root = Engines.pytorch().newBaseManager();
			Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, true, root, 21))
		{
			net.model().loadWeights(TorchCheckpoint.readStateDict(TestData.sam2Parity().resolve("weights.pt")));
			final float[] volume = volume();
			// batches of 4, 4 and 1 slices: the memory crosses the encoder batches
			final float[] predicted = SlicePredictor.probabilities(net, volume, new int[] { SIZE, SIZE, SLICES }, SIZE, 4, root);
			assertTrue(maxDifference(predicted, direct(net, volume, true)) < 1e-5f, "same as decoding the sequence directly");
			assertTrue(maxDifference(predicted, direct(net, volume, false)) > 1e-3f, "not slice by slice");
		}
	}

	@Test
	void aTwoDimensionalModelPredictsSliceBySlice() {
		try (NDManager root = Engines.pytorch().newBaseManager();
			Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, root, 22))
		{
			final float[] volume = volume();
			final float[] predicted = SlicePredictor.probabilities(net, volume, new int[] { SIZE, SIZE, SLICES }, SIZE, 4, root);
			assertTrue(maxDifference(predicted, direct(net, volume, false)) < 1e-5f);
		}
	}

	/**
	 * Prompts given on slice 4 only: a 2-D backbone changes slice 4 alone; with memory the prompted
	 * slice is a conditioning frame whose memory also changes every later slice, and the earlier ones
	 * stay as they were (the pass goes forward).
	 */
	@Test
	void promptsReachTheirSliceAndMemoryCarriesThemForward() {
		final float[] volume = volume();
		final int[] dims = { SIZE, SIZE, SLICES };
		final SlicePrompts prompts = new SlicePrompts.Builder(SLICES, CLASSES).set(4, 1, new int[] { 10, 10, 40, 40 }, new int[] { 25, 25 }).build();
		for (final boolean memory : new boolean[] { false, true })
			try (NDManager root = Engines.pytorch().newBaseManager(); Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, memory, root, 14)) {
				final float[] plain = SlicePredictor.probabilities(net, volume, dims, SIZE, 4, root);
				final float[] prompted = SlicePredictor.probabilities(net, volume, dims, SIZE, 4, prompts, root);
				final int area = SIZE * SIZE, n = area * SLICES;
				for (int z = 0; z < SLICES; z++) {
					float difference = 0;
					for (int c = 0; c < CLASSES; c++)
						for (int i = 0; i < area; i++)
							difference = Math.max(difference, Math.abs(plain[c * n + z * area + i] - prompted[c * n + z * area + i]));
					final boolean changed = z == 4 || memory && z > 4;
					assertEquals(changed, difference > 0, "memory " + memory + ", slice " + z + ": largest change " + difference);
					if (!changed) assertEquals(0, difference, 0, "memory " + memory + ", slice " + z);
				}
			}
	}
}
