package io.github.sssfiji.morph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

class EuclideanDistanceTransformTest {

	@Test
	void oneDimensionalLineWithSpacing() {
		// target at x = 2, spacing 0.5: |x - 2| * 0.5
		final boolean[] targets = { false, false, true, false, false, false };
		final double[] d = EuclideanDistanceTransform.distanceTo(targets, new int[] { 6 }, new double[] { 0.5 });
		assertArrayEquals(new double[] { 1.0, 0.5, 0, 0.5, 1.0, 1.5 }, d, 0);
	}

	@Test
	void anisotropicTwoDimensionalByHand() {
		// dims [4, 3], spacing sx = 2, sy = 3; targets at (0, 0) and (3, 2).
		// squared distance to (0,0) is (2x)^2 + (3y)^2, to (3,2) it is (2(3-x))^2 + (3(2-y))^2:
		// (1,0): min(4, 16+36) = 4        (2,0): min(16, 4+36) = 16     (3,0): min(36, 0+36) = 36
		// (0,1): min(9, 36+9) = 9         (1,1): min(4+9, 16+9) = 13    (2,1): min(16+9, 4+9) = 13
		// (3,1): min(36+9, 9) = 9         (0,2): min(36, 36) = 36       (1,2): min(4+36, 16) = 16
		// (2,2): min(16+36, 4) = 4
		final boolean[] targets = Fixtures.picture("#...|....|...#");
		final double[] squared = EuclideanDistanceTransform.squaredDistanceTo(targets, new int[] { 4, 3 }, new double[] { 2, 3 });
		assertArrayEquals(new double[] { 0, 4, 16, 36, 9, 13, 13, 9, 36, 16, 4, 0 }, squared, 0);
		final double[] d = EuclideanDistanceTransform.distanceTo(targets, new int[] { 4, 3 }, new double[] { 2, 3 });
		assertEquals(Math.sqrt(13), d[5], 0);
	}

	@Test
	void anisotropicThreeDimensionalByHand() {
		// dims [3, 2, 4], spacing (1, 1, 2.5), one target at (0, 0, 0): d^2 = x^2 + y^2 + (2.5 z)^2;
		// the far corner (2, 1, 3) has 4 + 1 + 56.25 = 61.25
		final boolean[] targets = new boolean[3 * 2 * 4];
		targets[0] = true;
		final double[] squared = EuclideanDistanceTransform.squaredDistanceTo(targets, new int[] { 3, 2, 4 }, new double[] { 1, 1, 2.5 });
		assertEquals(61.25, squared[23], 0);
		assertEquals(1 + 6.25, squared[(1 * 2 + 0) * 3 + 1], 0); // (1, 0, 1)
		assertEquals(0, squared[0], 0);
	}

	@Test
	void noTargetsGivesInfinity() {
		final double[] d = EuclideanDistanceTransform.distanceTo(new boolean[6], new int[] { 3, 2 }, new double[] { 1, 1 });
		for (final double v : d)
			assertEquals(Double.POSITIVE_INFINITY, v);
	}

	@Test
	void matchesBruteForceOnRandomVolumes() {
		// brute force: min over all targets of the Euclidean norm, independent of the envelope algorithm
		final Random random = new Random(7);
		for (int trial = 0; trial < 20; trial++) {
			final int[] dims = { 1 + random.nextInt(9), 1 + random.nextInt(8), 1 + random.nextInt(6) };
			final double[] spacing = { 0.3 + 3 * random.nextDouble(), 0.3 + 3 * random.nextDouble(), 0.3 + 3 * random.nextDouble() };
			final boolean[] targets = new boolean[dims[0] * dims[1] * dims[2]];
			final double density = random.nextDouble() * 0.3;
			for (int i = 0; i < targets.length; i++)
				targets[i] = random.nextDouble() < density;
			final double[] d = EuclideanDistanceTransform.distanceTo(targets, dims, spacing);
			for (int i = 0; i < targets.length; i++)
				assertEquals(bruteForce(targets, dims, spacing, i), d[i], 1e-12 * Math.max(1, d[i]), "trial " + trial + " index " + i);
		}
	}

	@Test
	void matchesScipy() throws IOException {
		final JsonObject fixture = Fixtures.load(getClass(), "edt_reference.json");
		int checked = 0;
		for (final JsonElement element : fixture.getAsJsonArray("cases")) {
			final JsonObject c = element.getAsJsonObject();
			final int[] dims = Fixtures.ints(c.getAsJsonArray("dims"));
			final double[] spacing = Fixtures.doubles(c.getAsJsonArray("spacing"));
			final boolean[] targets = Fixtures.mask(c.get("targets").getAsString());
			final double[] expected = Fixtures.doubles(c.getAsJsonArray("distance"));
			final double[] actual = EuclideanDistanceTransform.distanceTo(targets, dims, spacing);
			assertEquals(expected.length, actual.length);
			for (int i = 0; i < expected.length; i++)
				assertEquals(expected[i], actual[i], 1e-9 * expected[i], "index " + i);
			checked++;
		}
		assertEquals(3, checked);
	}

	@Test
	void rejectsBadShapeAndSpacing() {
		assertThrows(IllegalArgumentException.class, () -> EuclideanDistanceTransform.distanceTo(new boolean[5], new int[] { 2, 3 }, new double[] { 1, 1 }));
		assertThrows(IllegalArgumentException.class, () -> EuclideanDistanceTransform.distanceTo(new boolean[6], new int[] { 2, 3 }, new double[] { 1 }));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
			() -> EuclideanDistanceTransform.distanceTo(new boolean[6], new int[] { 2, 3 }, new double[] { 1, 0 }));
		assertTrue(e.getMessage().contains("spacing"));
	}

	private static double bruteForce(final boolean[] targets, final int[] dims, final double[] spacing, final int index) {
		final int x = index % dims[0], y = index / dims[0] % dims[1], z = index / (dims[0] * dims[1]);
		double best = Double.POSITIVE_INFINITY;
		for (int t = 0; t < targets.length; t++) {
			if (!targets[t]) continue;
			final double dx = (t % dims[0] - x) * spacing[0];
			final double dy = (t / dims[0] % dims[1] - y) * spacing[1];
			final double dz = (t / (dims[0] * dims[1]) - z) * spacing[2];
			best = Math.min(best, Math.sqrt(dx * dx + dy * dy + dz * dz));
		}
		return best;
	}

	/** A framed 5 x 3 bar: its centre is farthest; ties go to the first in flat order; an empty mask has none. */
	@Test
	void farthestInsideIsTheDeepestMaskElement() {
		final int w = 7, h = 5;
		final boolean[] mask = new boolean[w * h];
		for (int y = 1; y <= 3; y++)
			for (int x = 1; x <= 5; x++)
				mask[y * w + x] = true;
		// row 2, x = 2..4 are all at distance 2 from the frame: the first of them wins
		org.junit.jupiter.api.Assertions.assertEquals(2 * w + 2, EuclideanDistanceTransform.farthestInside(mask, new int[] { w, h }, new double[] { 1, 1 }));
		// y spacing 3: (3, 1) and (3, 2) are both 3 from the outside, (3, 1) comes first (scipy's distance_transform_edt
		// with sampling (3, 1) and numpy's argmax give index 10 too)
		org.junit.jupiter.api.Assertions.assertEquals(w + 3, EuclideanDistanceTransform.farthestInside(mask, new int[] { w, h }, new double[] { 1, 3 }));
		org.junit.jupiter.api.Assertions.assertEquals(-1, EuclideanDistanceTransform.farthestInside(new boolean[w * h], new int[] { w, h }, new double[] { 1, 1 }));
	}
}
