package io.github.sssfiji.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;


/**
 * Torch-style bicubic resizing: invariants of the Keys kernel (A = -0.75) and agreement of the
 * matrix form used in the model with the direct loop. Parity with torch itself is covered by the
 * Hiera stage outputs in {@link Sam2EncoderParityTest}.
 */
class ResizeBicubicTest {

	@Test
	void keepsConstants() {
		final float[] constant = new float[7 * 7];
		java.util.Arrays.fill(constant, 2.5f);
		for (final float v : Resize.bicubic(constant, 1, 7, 7, 64, 64)) assertEquals(2.5f, v, 1e-6f);
	}

	@Test
	void usesKeysWeightsWithAMinusThreeQuartersAndClampedBorders() {
		// 4 -> 8: output 1 samples source 0.25; hand-computed weights at t = 0.25 for taps -1, 0, 1, 2 are
		// -27/256, 225/256, 67/256, -9/256, and tap -1 is clamped onto sample 0
		final float[] m = Resize.bicubicMatrix(4, 8);
		assertEquals((225 - 27) / 256.0, m[4], 1e-7);
		assertEquals(67 / 256.0, m[5], 1e-7);
		assertEquals(-9 / 256.0, m[6], 1e-7);
		assertEquals(0, m[7], 0);
		// output 3 samples source 1.25: no clamping
		assertEquals(-27 / 256.0, m[12], 1e-7);
		assertEquals(225 / 256.0, m[13], 1e-7);
		assertEquals(67 / 256.0, m[14], 1e-7);
		assertEquals(-9 / 256.0, m[15], 1e-7);
	}

	@Test
	void matrixFormEqualsTheLoop() {
		final int c = 2, h = 7, w = 5, oh = 64, ow = 40;
		final float[] src = new float[c * h * w];
		final Random random = new Random(3);
		for (int i = 0; i < src.length; i++) src[i] = (float) random.nextGaussian();
		final float[] loop = Resize.bicubic(src, c, h, w, oh, ow);
		final float[] rows = Resize.bicubicMatrix(h, oh);
		final float[] cols = Resize.bicubicMatrix(w, ow);
		for (int ch = 0; ch < c; ch++)
			for (int y = 0; y < oh; y++)
				for (int x = 0; x < ow; x++) {
					double v = 0;
					for (int i = 0; i < h; i++)
						for (int j = 0; j < w; j++) v += rows[y * h + i] * src[(ch * h + i) * w + j] * cols[x * w + j];
					assertEquals(loop[(ch * oh + y) * ow + x], v, 1e-5);
				}
	}
}
