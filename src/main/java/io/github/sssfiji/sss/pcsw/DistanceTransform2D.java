package io.github.sssfiji.sss.pcsw;

import java.util.Arrays;

/**
 * Exact 2-D Euclidean distance transform (Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled
 * Functions", 2012): two passes of the 1-D lower envelope of parabolas, linear in the number of pixels, with a
 * pixel size per axis.
 * <p>
 * Private to PCSW on purpose: it only places clicks. When {@code morph} gains a general N-D anisotropic
 * distance transform, this class should give way to it.
 * </p>
 */
final class DistanceTransform2D {

	private DistanceTransform2D() {}

	/**
	 * Squared distance from every pixel to the nearest background ({@code false}) pixel of {@code mask}; 0 on
	 * background. Pixels outside the array do not count as background (pad the mask if they should). Without
	 * any background every value is {@code +Infinity}.
	 *
	 * @param mask flat, x fastest
	 * @param nx width
	 * @param ny height
	 * @param sx pixel size along x
	 * @param sy pixel size along y
	 */
	static double[] squaredDistanceToBackground(final boolean[] mask, final int nx, final int ny, final double sx, final double sy) {
		if ((long) nx * ny != mask.length) throw new IllegalArgumentException("mask has " + mask.length + " pixels, not " + nx + " x " + ny);
		final double[] out = new double[mask.length];
		for (int i = 0; i < mask.length; i++)
			out[i] = mask[i] ? Double.POSITIVE_INFINITY : 0;
		final int n = Math.max(nx, ny);
		final double[] line = new double[n];
		final double[] result = new double[n];
		final int[] vertices = new int[n];
		final double[] bounds = new double[n + 1];
		// along y first (columns), then along x (rows) on the column result
		for (int x = 0; x < nx; x++) {
			for (int y = 0; y < ny; y++)
				line[y] = out[y * nx + x];
			transform1d(line, ny, sy, result, vertices, bounds);
			for (int y = 0; y < ny; y++)
				out[y * nx + x] = result[y];
		}
		for (int y = 0; y < ny; y++) {
			System.arraycopy(out, y * nx, line, 0, nx);
			transform1d(line, nx, sx, result, vertices, bounds);
			System.arraycopy(result, 0, out, y * nx, nx);
		}
		return out;
	}

	/** out[p] = min over q of (spacing (p - q))^2 + f[q]; infinite samples are no parabolas. */
	private static void transform1d(final double[] f, final int n, final double spacing, final double[] out, final int[] v, final double[] z) {
		final double s2 = spacing * spacing;
		int k = -1;
		for (int q = 0; q < n; q++) {
			if (f[q] == Double.POSITIVE_INFINITY) continue;
			if (k < 0) {
				k = 0;
				v[0] = q;
				z[0] = Double.NEGATIVE_INFINITY;
				z[1] = Double.POSITIVE_INFINITY;
				continue;
			}
			double s = intersection(f, q, v[k], s2);
			while (s <= z[k]) {
				k--;
				s = intersection(f, q, v[k], s2);
			}
			k++;
			v[k] = q;
			z[k] = s;
			z[k + 1] = Double.POSITIVE_INFINITY;
		}
		if (k < 0) {
			Arrays.fill(out, 0, n, Double.POSITIVE_INFINITY);
			return;
		}
		int j = 0;
		for (int p = 0; p < n; p++) {
			while (z[j + 1] < p)
				j++;
			final double d = p - v[j];
			out[p] = s2 * d * d + f[v[j]];
		}
	}

	/** Abscissa (in samples) where the parabolas rooted at q and v (v < q) meet. */
	private static double intersection(final double[] f, final int q, final int v, final double s2) {
		return ((f[q] + s2 * q * q) - (f[v] + s2 * v * v)) / (2 * s2 * (q - v));
	}
}
