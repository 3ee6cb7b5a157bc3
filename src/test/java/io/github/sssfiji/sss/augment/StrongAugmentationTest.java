package io.github.sssfiji.sss.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StrongAugmentationTest {

	@Test
	void brightnessAndContrastAsTorchvision() {
		final float[] image = { 0.2f, 0.4f, 0.9f };
		StrongAugmentation.brightness(image, 1.5);
		assertArrayEquals(new float[] { 0.3f, 0.6f, 1f }, image, 1e-6f);
		// mean 0.6333; factor 0.5 halves the distance to it
		StrongAugmentation.contrast(image, 0.5);
		final float mean = (0.3f + 0.6f + 1f) / 3;
		assertArrayEquals(new float[] { mean + 0.5f * (0.3f - mean), mean + 0.5f * (0.6f - mean), mean + 0.5f * (1f - mean) }, image, 1e-6f);
	}

	@Test
	void blurOfAnImpulseIsTheNormalisedGaussian() {
		final int n = 21;
		final float[] image = new float[n * n];
		image[10 * n + 10] = 1;
		final double sigma = 1;
		final float[] out = StrongAugmentation.gaussianBlur(image, n, n, sigma);
		double total = 0;
		for (int k = -3; k <= 3; k++)
			total += Math.exp(-k * k / 2.0);
		for (int dy = -3; dy <= 3; dy++)
			for (int dx = -3; dx <= 3; dx++)
				assertEquals(Math.exp(-(dx * dx + dy * dy) / 2.0) / (total * total), out[(10 + dy) * n + 10 + dx], 1e-6);
		assertEquals(0, out[10 * n + 14], 0);
	}

	@Test
	void blurKeepsAConstantImageAndReflectsAtTheBorder() {
		final float[] image = new float[9 * 4];
		java.util.Arrays.fill(image, 0.7f);
		assertArrayEquals(image, StrongAugmentation.gaussianBlur(image, 9, 4, 1.7), 1e-6f);
		assertEquals(1, StrongAugmentation.reflect(-1, 5));
		assertEquals(3, StrongAugmentation.reflect(5, 5));
	}

	@Test
	void valuesStayInTheUnitInterval() {
		final Rng rng = new Rng(5);
		final float[] image = new float[16 * 16];
		for (int i = 0; i < image.length; i++)
			image[i] = rng.nextFloat();
		for (int k = 0; k < 50; k++)
			for (final float v : StrongAugmentation.apply(image, 16, 16, rng))
				assertTrue(v >= 0 && v <= 1);
	}
}
