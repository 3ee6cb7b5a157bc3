package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class KMeansTest {

	/** Three tight groups of ten points far apart in 5-D: each group is one cluster, and no two groups share one. */
	@Test
	void wellSeparatedGroupsBecomeTheClusters() {
		final Random random = new Random(3);
		final float[][] points = new float[30][5];
		for (int i = 0; i < 30; i++)
			for (int j = 0; j < 5; j++)
				points[i][j] = (j == i / 10 ? 10 : 0) + 0.1f * (float) random.nextGaussian();
		for (long seed = 0; seed < 5; seed++) {
			final int[] cluster = KMeans.assign(points, 3, seed);
			for (int i = 0; i < 30; i++)
				assertEquals(cluster[i / 10 * 10], cluster[i], "seed " + seed + ", point " + i);
			assertNotEquals(cluster[0], cluster[10]);
			assertNotEquals(cluster[0], cluster[20]);
			assertNotEquals(cluster[10], cluster[20]);
		}
	}

	/**
	 * Lloyd's fixed point, on points with no structure: every point is at least as near the mean of its own
	 * cluster as to the mean of any other, and no cluster is empty.
	 */
	@Test
	void everyPointIsNearestTheMeanOfItsOwnCluster() {
		final Random random = new Random(7);
		final float[][] points = new float[200][4];
		for (final float[] p : points)
			for (int j = 0; j < 4; j++)
				p[j] = random.nextFloat();
		final int k = 9;
		final int[] cluster = KMeans.assign(points, k, 1);
		final double[][] mean = new double[k][4];
		final int[] size = new int[k];
		for (int i = 0; i < points.length; i++) {
			size[cluster[i]]++;
			for (int j = 0; j < 4; j++)
				mean[cluster[i]][j] += points[i][j];
		}
		for (int c = 0; c < k; c++) {
			assertTrue(size[c] > 0, "cluster " + c + " is empty");
			for (int j = 0; j < 4; j++)
				mean[c][j] /= size[c];
		}
		for (int i = 0; i < points.length; i++) {
			final double own = distance(points[i], mean[cluster[i]]);
			for (int c = 0; c < k; c++)
				assertTrue(own <= distance(points[i], mean[c]) + 1e-9, "point " + i + " is nearer the mean of cluster " + c);
		}
		assertArrayEquals(cluster, KMeans.assign(points, k, 1), "the same seed gives the same clusters");
	}

	private static double distance(final float[] p, final double[] m) {
		double d = 0;
		for (int j = 0; j < p.length; j++)
			d += (p[j] - m[j]) * (p[j] - m[j]);
		return d;
	}

	@Test
	void asManyClustersAsDistinctPointsGiveEachItsOwnAndOneClusterHoldsAll() {
		final float[][] points = { { 0, 0 }, { 1, 0 }, { 0, 1 }, { 5, 5 } };
		assertEquals(4, Arrays.stream(KMeans.assign(points, 4, 0)).distinct().count());
		assertArrayEquals(new int[4], KMeans.assign(points, 1, 0));
		// all points equal: k-means++ has no distance to draw by and still gives k valid clusters
		final int[] same = KMeans.assign(new float[][] { { 2, 2 }, { 2, 2 }, { 2, 2 } }, 2, 0);
		assertTrue(Arrays.stream(same).allMatch(c -> c >= 0 && c < 2));
	}

	@Test
	void badClusterCountsAndMixedDimensionsAreRefused() {
		final float[][] points = { { 0, 0 }, { 1, 0 } };
		assertEquals("k must be 1 to the number of points (2), got 3",
			assertThrows(IllegalArgumentException.class, () -> KMeans.assign(points, 3, 0)).getMessage());
		assertEquals("k must be 1 to the number of points (2), got 0",
			assertThrows(IllegalArgumentException.class, () -> KMeans.assign(points, 0, 0)).getMessage());
		assertEquals("points of dimension 3 and 2",
			assertThrows(IllegalArgumentException.class, () -> KMeans.assign(new float[][] { { 0, 0 }, { 1, 0, 0 } }, 1, 0)).getMessage());
	}
}
