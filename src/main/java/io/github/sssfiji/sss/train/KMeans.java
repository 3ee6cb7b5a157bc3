package io.github.sssfiji.sss.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means clustering of points in Euclidean space (Lloyd's iterations from a k-means++ start), the same
 * clusters for the same points, {@code k} and seed. {@link SliceSuggestions} groups slices by their
 * features with it, so that suggestions cover the kinds of slices no label shows yet.
 */
public final class KMeans {

	private KMeans() {}

	/** Lloyd's iterations stop when no point changes its cluster, or after this many. */
	static final int MAX_ITERATIONS = 100;

	/**
	 * The cluster (0 to {@code k - 1}) of each point: centres seeded by k-means++ (each next centre drawn
	 * with probability proportional to the squared distance to the nearest chosen one), then each point
	 * assigned to its nearest centre (the lower index on a tie) and each centre moved to the mean of its
	 * points, until the assignment holds. A centre left without points stays where it is.
	 *
	 * @param points the points, all of one dimension
	 * @param k the number of clusters, 1 to the number of points
	 */
	public static int[] assign(final float[][] points, final int k, final long seed) {
		final int n = points.length;
		if (k < 1 || k > n) throw new IllegalArgumentException("k must be 1 to the number of points (" + n + "), got " + k);
		final int dim = points[0].length;
		for (final float[] p : points)
			if (p.length != dim) throw new IllegalArgumentException("points of dimension " + p.length + " and " + dim);
		final double[][] centres = new double[k][];
		final SplittableRandom random = new SplittableRandom(seed);
		centres[0] = toDouble(points[random.nextInt(n)]);
		final double[] nearest = new double[n];
		Arrays.fill(nearest, Double.POSITIVE_INFINITY);
		for (int c = 1; c < k; c++) {
			double total = 0;
			for (int i = 0; i < n; i++) {
				nearest[i] = Math.min(nearest[i], distance(points[i], centres[c - 1]));
				total += nearest[i];
			}
			// all points on the chosen centres: any point will do
			int chosen = n - 1;
			double draw = random.nextDouble() * total;
			for (int i = 0; i < n && total > 0; i++) {
				draw -= nearest[i];
				if (draw < 0) {
					chosen = i;
					break;
				}
			}
			if (total == 0) chosen = random.nextInt(n);
			centres[c] = toDouble(points[chosen]);
		}
		final int[] cluster = new int[n];
		Arrays.fill(cluster, -1);
		for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
			boolean changed = false;
			for (int i = 0; i < n; i++) {
				int best = 0;
				double bestDistance = Double.POSITIVE_INFINITY;
				for (int c = 0; c < k; c++) {
					final double d = distance(points[i], centres[c]);
					if (d < bestDistance) {
						best = c;
						bestDistance = d;
					}
				}
				if (cluster[i] != best) {
					cluster[i] = best;
					changed = true;
				}
			}
			if (!changed) break;
			final double[][] sums = new double[k][dim];
			final int[] sizes = new int[k];
			for (int i = 0; i < n; i++) {
				sizes[cluster[i]]++;
				for (int j = 0; j < dim; j++)
					sums[cluster[i]][j] += points[i][j];
			}
			for (int c = 0; c < k; c++)
				if (sizes[c] > 0) for (int j = 0; j < dim; j++)
					centres[c][j] = sums[c][j] / sizes[c];
		}
		return cluster;
	}

	private static double[] toDouble(final float[] p) {
		final double[] d = new double[p.length];
		for (int j = 0; j < p.length; j++)
			d[j] = p[j];
		return d;
	}

	/** The squared Euclidean distance. */
	private static double distance(final float[] p, final double[] centre) {
		double d = 0;
		for (int j = 0; j < p.length; j++) {
			final double e = p[j] - centre[j];
			d += e * e;
		}
		return d;
	}
}
