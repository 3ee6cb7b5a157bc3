package io.github.sssfiji.sss.pcsw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The exact distance transform against the definition, evaluated by brute force. */
class DistanceTransform2DTest {

	@Test
	void matchesBruteForceOnRandomMasksWithAnisotropicPixels() {
		final Random random = new Random(42);
		final double[][] spacings = { { 1, 1 }, { 0.7, 2.5 }, { 3, 1.1 } };
		for (int trial = 0; trial < 30; trial++) {
			final int nx = 1 + random.nextInt(23), ny = 1 + random.nextInt(17);
			final double density = 0.5 + 0.49 * random.nextDouble();
			final boolean[] mask = new boolean[nx * ny];
			for (int i = 0; i < mask.length; i++)
				mask[i] = random.nextDouble() < density;
			mask[random.nextInt(mask.length)] = false; // at least one background pixel
			final double[] s = spacings[trial % spacings.length];
			final double[] fast = DistanceTransform2D.squaredDistanceToBackground(mask, nx, ny, s[0], s[1]);
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					double best = Double.POSITIVE_INFINITY;
					for (int yy = 0; yy < ny; yy++)
						for (int xx = 0; xx < nx; xx++)
							if (!mask[yy * nx + xx]) {
								final double dx = (x - xx) * s[0], dy = (y - yy) * s[1];
								best = Math.min(best, dx * dx + dy * dy);
							}
					assertEquals(best, fast[y * nx + x], 1e-9 * Math.max(1, best), "trial " + trial + " at (" + x + ", " + y + ")");
				}
		}
	}

	@Test
	void handComputedRectangle() {
		// 5 x 3 foreground inside a frame of background: distances to the frame
		final int nx = 7, ny = 5;
		final boolean[] mask = new boolean[nx * ny];
		for (int y = 1; y <= 3; y++)
			for (int x = 1; x <= 5; x++)
				mask[y * nx + x] = true;
		final double[] d = DistanceTransform2D.squaredDistanceToBackground(mask, nx, ny, 1, 1);
		assertEquals(4, d[2 * nx + 3]); // centre: 2 pixels from the top and bottom frame
		assertEquals(1, d[1 * nx + 3]);
		assertEquals(1, d[2 * nx + 1]);
		assertEquals(0, d[0]);
		// with pixels twice as tall, the centre is nearer the left and right frame: 3 pixels of width 1
		final double[] tall = DistanceTransform2D.squaredDistanceToBackground(mask, nx, ny, 1, 2);
		assertEquals(9, tall[2 * nx + 3]);
	}

	@Test
	void noBackgroundIsInfinite() {
		final double[] d = DistanceTransform2D.squaredDistanceToBackground(new boolean[] { true, true, true, true }, 2, 2, 1, 1);
		for (final double v : d)
			assertTrue(Double.isInfinite(v));
	}
}
