package io.github.sssfiji.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.djl.Engines;

/** Channel masks: values, complementarity, broadcasting and ownership. */
class FeaturePerturbationTest {

	@Test
	void channelMaskScalesWholeChannelsOfEachSample() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			final NDArray features = m.arange(2f * 3 * 2 * 2).reshape(2, 3, 2, 2);
			final NDArray mask = m.create(new float[] { 0, 1, 2, 2, 0, 1 }, new Shape(2, 3));
			final float[] out = FeaturePerturbation.applyChannelMask(features, mask).toFloatArray();
			final float[] in = features.toFloatArray();
			final float[] factor = mask.toFloatArray();
			for (int i = 0; i < in.length; i++)
				assertEquals(in[i] * factor[i / 4], out[i]);
			assertThrows(IllegalArgumentException.class,
				() -> FeaturePerturbation.applyChannelMask(features, m.ones(new Shape(3, 2))));
		}
	}

	@Test
	void dropoutMaskHasDropoutValuesAndRate() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			final float[] mask = FeaturePerturbation.dropoutMask(m, 40, 100, 0.5, new Random(1)).toFloatArray();
			int dropped = 0;
			for (final float v : mask) {
				assertTrue(v == 0f || v == 2f, "value " + v);
				if (v == 0f) dropped++;
			}
			// 4000 Bernoulli(0.5) draws: within 5 standard deviations (~158) of 2000
			assertTrue(Math.abs(dropped - 2000) < 160, "dropped " + dropped);
		}
	}

	@Test
	void complementaryMasksAddUpToTwoAndKeepHalfTheSamples() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			final int samples = 7;
			final int channels = 64;
			final NDList masks = FeaturePerturbation.complementaryMasks(m, samples, channels, new Random(5));
			final float[] m1 = masks.get(0).toFloatArray();
			final float[] m2 = masks.get(1).toFloatArray();
			int kept = 0;
			for (int s = 0; s < samples; s++) {
				boolean allOnes = true;
				for (int c = 0; c < channels; c++) {
					final int i = s * channels + c;
					assertEquals(2f, m1[i] + m2[i]);
					assertTrue(m1[i] == 0f || m1[i] == 1f || m1[i] == 2f);
					allOnes &= m1[i] == 1f;
				}
				if (allOnes) kept++;
				else for (int c = 0; c < channels; c++)
					assertTrue(m1[s * channels + c] != 1f, "a perturbed sample has only 0 or 2");
			}
			assertEquals(samples / 2, kept);
		}
	}

	@Test
	void perturbationsKeepShapesAndOnlyTouchWhatTheyShould() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			final NDList features = new NDList();
			for (int k = 0; k < 5; k++)
				features.add(m.ones(new Shape(2, 4 << k, 16 >> k, 16 >> k)));
			final NDList deep = FeaturePerturbation.withDeepestMasked(features, m.zeros(new Shape(2, 64)));
			for (int k = 0; k < 4; k++)
				assertSame(features.get(k), deep.get(k));
			assertEquals(0f, deep.get(4).sum().getFloat());
			final NDList all = FeaturePerturbation.dropout2d(features, 0.5, new Random(2));
			for (int k = 0; k < 5; k++) {
				assertEquals(features.get(k).getShape(), all.get(k).getShape());
				final float[] v = all.get(k).toFloatArray();
				for (final float value : v)
					assertTrue(value == 0f || value == 2f);
			}
		}
	}
}
