package io.github.sssfiji.sss.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SliceWarpTest {

	@Test
	void resizeMatchesTorchBilinearWithoutAlignedCorners() {
		// F.interpolate(tensor([[[[0., 1.]]]]), size=(1, 4), mode="bilinear", align_corners=False) = [0, .25, .75, 1]
		assertArrayEquals(new float[] { 0f, 0.25f, 0.75f, 1f }, SliceWarp.resize(2, 1, 4, 1).warp(new float[] { 0, 1 }, -1f), 1e-6f);
		// halving averages pixel pairs: positions 0.5 and 2.5
		assertArrayEquals(new float[] { 1.5f, 5.5f }, SliceWarp.resize(4, 1, 2, 1).warp(new float[] { 1, 2, 5, 6 }, -1f), 1e-6f);
	}

	@Test
	void resizeToTheSameSizeIsTheIdentity() {
		final float[] image = new float[7 * 5];
		for (int i = 0; i < image.length; i++)
			image[i] = i * 0.37f;
		assertArrayEquals(image, SliceWarp.resize(7, 5, 7, 5).warp(image, -1f), 1e-5f);
	}

	@Test
	void labelsAndMasksFollowTheSamePixels() {
		final int w = 23, h = 17;
		final int[] index = new int[w * h];
		final BitSet odd = new BitSet();
		for (int i = 0; i < index.length; i++) {
			index[i] = i;
			if (i % 2 == 1) odd.set(i);
		}
		for (long seed = 0; seed < 20; seed++) {
			final SliceWarp warp = SliceWarp.randomWeak(w, h, 16, 0.8, 1.2, new Rng(seed));
			final int[] labels = warp.warpLabels(index, -1);
			final boolean[] mask = warp.warpMask(odd, true);
			for (int i = 0; i < labels.length; i++)
				assertEquals(labels[i] < 0 || labels[i] % 2 == 1, mask[i], "seed " + seed + ", pixel " + i);
		}
	}

	@Test
	void atScaleOneDihedralViewsPermuteThePixels() {
		final int n = 8;
		final float[] image = new float[n * n];
		for (int i = 0; i < image.length; i++)
			image[i] = i;
		final Set<String> permutations = new HashSet<>();
		for (long seed = 0; seed < 60; seed++) {
			final float[] out = SliceWarp.randomWeak(n, n, n, 1, 1, new Rng(seed)).warp(image, -1f);
			final float[] sorted = out.clone();
			Arrays.sort(sorted);
			if (Arrays.equals(sorted, image)) permutations.add(Arrays.toString(out));
		}
		// the identity and the seven other elements of the dihedral group
		assertEquals(8, permutations.size());
	}

	@Test
	void rotationsStayWithinTwentyDegrees() {
		// a corner pixel moves by at most the chord of 20 degrees around the centre
		final int n = 33;
		for (long seed = 0; seed < 40; seed++) {
			final SliceWarp warp = SliceWarp.randomWeak(n, n, n, 1, 1, new Rng(seed));
			final int source = warp.nearest(16, 0);
			assertTrue(source >= 0);
			final int x = source % n, y = source / n;
			final double angle = Math.toDegrees(Math.atan2(x - 16, 16 - y));
			final double folded = Math.min(Math.abs(angle), Math.min(Math.abs(angle - 90), Math.min(Math.abs(angle + 90), 180 - Math.abs(angle))));
			assertTrue(folded <= 20.5, "seed " + seed + ": angle " + angle);
		}
	}
}
