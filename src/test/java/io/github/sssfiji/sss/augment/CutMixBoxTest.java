package io.github.sssfiji.sss.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CutMixBoxTest {

	@Test
	void boxesFollowUniMatchsAreaAndAspectLimits() {
		final Rng rng = new Rng(3);
		int empty = 0;
		for (int k = 0; k < 2000; k++) {
			final CutMixBox box = CutMixBox.random(64, 0.5, 0.02, 0.4, 0.3, 1 / 0.3, rng);
			if (box.isEmpty()) {
				empty++;
				continue;
			}
			assertTrue(box.x0() + box.w() <= 64 && box.y0() + box.h() <= 64);
			final double area = box.w() * (double) box.h() / (64 * 64);
			// int truncation of sqrt loses at most one pixel per side
			assertTrue(area <= 0.4 + 1e-9 && area >= 0.02 * 0.5, "area " + area);
		}
		assertEquals(1000, empty, 80);
	}

	@Test
	void coarseMaskSamplesPixelCentres() {
		final CutMixBox box = new CutMixBox(4, 0, 8, 4);
		final float[] mask = box.mask(16, 4);
		// coarse columns 1 and 2 (centres 6 and 10), row 0 (centre 2)
		for (int y = 0; y < 4; y++)
			for (int x = 0; x < 4; x++)
				assertEquals(y == 0 && (x == 1 || x == 2) ? 1f : 0f, mask[y * 4 + x], "at " + x + "," + y);
	}
}
