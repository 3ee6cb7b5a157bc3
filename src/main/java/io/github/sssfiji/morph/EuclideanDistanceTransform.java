package io.github.sssfiji.morph;

/**
 * Exact Euclidean distance transform of flat n-dimensional arrays (x fastest) with anisotropic voxel
 * spacing.
 * <p>
 * {@link #distanceTo} gives, for every element, the physical distance to the nearest {@code true}
 * element: the same values as {@code scipy.ndimage.distance_transform_edt(~targets, sampling=spacing)}
 * (scipy axes reversed: numpy's last axis is our x). The squared distances are computed axis by axis
 * with the lower envelope of parabolas of Felzenszwalb and Huttenlocher ("Distance Transforms of
 * Sampled Functions", Theory of Computing 8, 2012), with parabola weight spacing² on each axis, in
 * O(n) per axis.
 * </p>
 */
public final class EuclideanDistanceTransform {

	private EuclideanDistanceTransform() {
		// static utility
	}

	/**
	 * Distance of every element to the nearest {@code true} element of {@code targets}, in the unit of
	 * {@code spacing}; 0 on targets, {@link Double#POSITIVE_INFINITY} everywhere when there is no target.
	 *
	 * @param targets flat mask, x fastest
	 * @param dims extent per axis
	 * @param spacing element size per axis
	 */
	public static double[] distanceTo(final boolean[] targets, final int[] dims, final double[] spacing) {
		final double[] distances = squaredDistanceTo(targets, dims, spacing);
		for (int i = 0; i < distances.length; i++)
			distances[i] = Math.sqrt(distances[i]);
		return distances;
	}

	/**
	 * Index of the {@code true} element of {@code mask} farthest from every {@code false} one (the first
	 * in flat order among equals), or -1 for an empty mask. Elements beyond the array count as nothing:
	 * give the mask a frame of {@code false} when the outside must count as background.
	 */
	public static int farthestInside(final boolean[] mask, final int[] dims, final double[] spacing) {
		final boolean[] outside = new boolean[mask.length];
		for (int i = 0; i < mask.length; i++)
			outside[i] = !mask[i];
		final double[] distance = squaredDistanceTo(outside, dims, spacing);
		int best = -1;
		for (int i = 0; i < distance.length; i++)
			if (mask[i] && (best < 0 || distance[i] > distance[best])) best = i;
		return best;
	}

	/** Like {@link #distanceTo} but squared, which is exact for integer spacings and saves the roots. */
	public static double[] squaredDistanceTo(final boolean[] targets, final int[] dims, final double[] spacing) {
		FlatShape.checkedSize(dims, targets.length);
		FlatShape.checkSpacing(spacing, dims);
		final double[] cost = new double[targets.length];
		for (int i = 0; i < cost.length; i++)
			cost[i] = targets[i] ? 0 : Double.POSITIVE_INFINITY;
		transformSquared(cost, dims, spacing);
		return cost;
	}

	/**
	 * Replaces every value f(p) by min over q of (f(q) + |p - q|²), |.| the Euclidean norm with the given
	 * spacing; infinite values mark elements that are no source. Start from 0 / infinity to get squared
	 * distances to the zero elements.
	 *
	 * @param cost flat values, x fastest, changed in place
	 * @param dims extent per axis
	 * @param spacing element size per axis
	 */
	public static void transformSquared(final double[] cost, final int[] dims, final double[] spacing) {
		FlatShape.checkedSize(dims, cost.length);
		FlatShape.checkSpacing(spacing, dims);
		final int[] strides = FlatShape.strides(dims);
		int maxExtent = 0;
		for (final int d : dims)
			maxExtent = Math.max(maxExtent, d);
		final LowerEnvelope envelope = new LowerEnvelope(maxExtent);
		for (int axis = 0; axis < dims.length; axis++) {
			final int length = dims[axis];
			if (length == 1) continue; // a single element has nothing to propagate along this axis
			final int stride = strides[axis];
			final int block = stride * length;
			final double weight = spacing[axis] * spacing[axis];
			// lines along this axis start at every element whose coordinate on the axis is 0
			for (int outer = 0; outer < cost.length; outer += block)
				for (int inner = 0; inner < stride; inner++)
					envelope.transformLine(cost, outer + inner, stride, length, weight);
		}
	}

	/** Work arrays and the one-dimensional transform, reused across the lines of one call. */
	private static final class LowerEnvelope {

		private final double[] line;
		/** Positions of the parabolas that form the lower envelope. */
		private final int[] apex;
		/** Where each envelope parabola starts to be the lowest one. */
		private final double[] from;

		LowerEnvelope(final int maxLength) {
			line = new double[maxLength];
			apex = new int[maxLength];
			from = new double[maxLength];
		}

		/** 1-D transform of the strided line {@code cost[start + i * stride]}, i < length. */
		void transformLine(final double[] cost, final int start, final int stride, final int length, final double weight) {
			final double[] f = line;
			for (int i = 0, p = start; i < length; i++, p += stride)
				f[i] = cost[p];
			int k = -1;
			for (int q = 0; q < length; q++) {
				final double fq = f[q];
				if (fq == Double.POSITIVE_INFINITY) continue;
				final double lifted = fq + weight * q * q;
				double s = Double.NEGATIVE_INFINITY;
				while (k >= 0) {
					final int v = apex[k];
					s = (lifted - (f[v] + weight * v * v)) / (2 * weight * (q - v));
					if (s > from[k]) break;
					k--;
					s = Double.NEGATIVE_INFINITY;
				}
				k++;
				apex[k] = q;
				from[k] = s;
			}
			if (k < 0) return; // no source on this line: it stays infinite
			int j = 0;
			for (int q = 0, p = start; q < length; q++, p += stride) {
				while (j < k && from[j + 1] < q)
					j++;
				final int v = apex[j];
				final double dq = q - v;
				cost[p] = weight * dq * dq + f[v];
			}
		}
	}
}
