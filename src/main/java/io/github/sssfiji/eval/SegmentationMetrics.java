package io.github.sssfiji.eval;

import java.util.Arrays;

import io.github.sssfiji.morph.BinaryMorphology;
import io.github.sssfiji.morph.EuclideanDistanceTransform;

/**
 * Segmentation scores computed as {@code medpy.metric.binary} 0.4 computes them (the code SSL4MIS and
 * most semi-supervised segmentation papers use): {@code dc}, {@code jc}, {@code hd95}, {@code asd} and
 * {@code assd} with connectivity 1.
 * <p>
 * Surfaces are the foreground voxels removed by one face-connected erosion with the outside counting
 * as background; a directed surface distance is, for every surface voxel of one mask, the Euclidean
 * distance (with spacing) to the nearest surface voxel of the other. Unlike medpy, which raises an
 * error, surface distances are {@link Double#NaN} when either mask is empty, and Dice and Jaccard
 * follow the project convention: 1 when both masks are empty, 0 when only one is.
 * </p>
 * <p>
 * Arrays are flat, x fastest, with one spacing per axis in the order of {@code dims}.
 * </p>
 */
public final class SegmentationMetrics {

	/** The percentile of the pooled surface distances that {@code hd95} reports. */
	private static final double HD_PERCENTILE = 95;

	private SegmentationMetrics() {
		// static utility
	}

	/**
	 * Scores of class {@code cls}: the masks {@code prediction == cls} against {@code reference == cls}.
	 *
	 * @param prediction predicted labels, flat, x fastest
	 * @param reference reference labels, same shape
	 * @param dims extent per axis
	 * @param spacing voxel size per axis
	 * @param cls the label to score
	 */
	public static ClassMetrics compute(final int[] prediction, final int[] reference, final int[] dims, final double[] spacing, final int cls) {
		if (prediction.length != reference.length)
			throw new IllegalArgumentException("prediction has " + prediction.length + " voxels but reference has " + reference.length);
		return computeBinary(binary(prediction, cls), binary(reference, cls), dims, spacing);
	}

	/**
	 * Dice of every class of a label map at once (index 0 background), as {@link #compute} gives it
	 * class by class: {@code 2 |P & R| / (|P| + |R|)}, 1 when both are empty. Labels outside
	 * {@code [0, classes)} count for no class. Training's validation uses it on every volume.
	 */
	public static double[] dice(final int[] prediction, final int[] reference, final int classes) {
		final long[] p = new long[classes], r = new long[classes], both = new long[classes];
		for (int i = 0; i < prediction.length; i++) {
			final int a = prediction[i], b = reference[i];
			if (a >= 0 && a < classes) p[a]++;
			if (b >= 0 && b < classes) r[b]++;
			if (a == b && a >= 0 && a < classes) both[a]++;
		}
		final double[] dice = new double[classes];
		for (int c = 0; c < classes; c++)
			dice[c] = p[c] + r[c] == 0 ? 1 : 2.0 * both[c] / (p[c] + r[c]);
		return dice;
	}

	/**
	 * Scores of a binary prediction against a binary reference of the same shape.
	 *
	 * @param prediction predicted mask, flat, x fastest
	 * @param reference reference mask, same shape
	 * @param dims extent per axis
	 * @param spacing voxel size per axis
	 */
	public static ClassMetrics computeBinary(final boolean[] prediction, final boolean[] reference, final int[] dims, final double[] spacing) {
		checkShape(prediction, reference, dims, spacing);
		long predicted = 0, referenced = 0, intersection = 0;
		for (int i = 0; i < prediction.length; i++) {
			final boolean p = prediction[i], r = reference[i];
			if (p) predicted++;
			if (r) referenced++;
			if (p && r) intersection++;
		}
		final long union = predicted + referenced - intersection;
		// same operation order as medpy: 2. * intersection / float(size_i1 + size_i2)
		final double dice = union == 0 ? 1 : 2. * intersection / (double) (predicted + referenced);
		final double jaccard = union == 0 ? 1 : (double) intersection / (double) union;
		if (predicted == 0 || referenced == 0) return new ClassMetrics(dice, jaccard, Double.NaN, Double.NaN, Double.NaN);

		final boolean[] predictionSurface = BinaryMorphology.surface(prediction, dims);
		final boolean[] referenceSurface = BinaryMorphology.surface(reference, dims);
		final double[][] directed = directedSurfaceDistances(predictionSurface, referenceSurface, dims, spacing);
		final double[] toReference = directed[0], toPrediction = directed[1];
		final double[] pooled = Arrays.copyOf(toReference, toReference.length + toPrediction.length);
		System.arraycopy(toPrediction, 0, pooled, toReference.length, toPrediction.length);
		Arrays.sort(pooled);
		final double hd95 = percentileOfSorted(pooled, HD_PERCENTILE);
		final double asd = mean(toReference);
		final double assd = (asd + mean(toPrediction)) / 2;
		return new ClassMetrics(dice, jaccard, hd95, asd, assd);
	}

	/**
	 * Distances from every voxel of surface {@code from} to the nearest voxel of surface {@code to}, in
	 * raster order of {@code from} (medpy's {@code __surface_distances(result, reference)} given the two
	 * borders).
	 *
	 * @param from source surface, flat, x fastest, not empty
	 * @param to target surface, same shape, not empty
	 * @param dims extent per axis
	 * @param spacing voxel size per axis
	 */
	public static double[] surfaceDistances(final boolean[] from, final boolean[] to, final int[] dims, final double[] spacing) {
		checkShape(from, to, dims, spacing);
		final BoundingBox box = BoundingBox.of(from, to, dims);
		if (box == null) throw new IllegalArgumentException("surface distances need two non-empty surfaces");
		return distances(box.crop(from), box.crop(to), box.extent(), spacing);
	}

	/**
	 * numpy's default {@code percentile} (method "linear") of sorted values: position (n - 1)·q/100
	 * between neighbours, blended the way numpy's {@code _lerp} does so that the rounding matches too.
	 */
	static double percentileOfSorted(final double[] sorted, final double q) {
		final double position = (sorted.length - 1) * (q / 100);
		final int below = (int) Math.floor(position);
		final int above = Math.min(below + 1, sorted.length - 1);
		final double gamma = position - below;
		final double a = sorted[below], b = sorted[above];
		final double difference = b - a;
		return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
	}

	private static void checkShape(final boolean[] a, final boolean[] b, final int[] dims, final double[] spacing) {
		long size = 1;
		for (final int d : dims)
			size *= d;
		if (a.length != size || b.length != size)
			throw new IllegalArgumentException("masks of " + a.length + " and " + b.length + " voxels do not match dims " + Arrays.toString(dims));
		if (spacing.length != dims.length)
			throw new IllegalArgumentException("spacing " + Arrays.toString(spacing) + " does not match dims " + Arrays.toString(dims));
	}

	private static double mean(final double[] values) {
		double sum = 0;
		for (final double v : values)
			sum += v;
		return sum / values.length;
	}

	private static boolean[] binary(final int[] labels, final int cls) {
		final boolean[] mask = new boolean[labels.length];
		for (int i = 0; i < labels.length; i++)
			mask[i] = labels[i] == cls;
		return mask;
	}

	/**
	 * Both directed distance sets, {a→b, b→a}. The transforms run on the bounding box of the two
	 * surfaces only: every nearest surface voxel lies inside it and the distance transform is exact,
	 * not path-based, so the values are those of the whole image.
	 */
	private static double[][] directedSurfaceDistances(final boolean[] a, final boolean[] b, final int[] dims, final double[] spacing) {
		final BoundingBox box = BoundingBox.of(a, b, dims);
		if (box == null) throw new IllegalArgumentException("surface distances need two non-empty surfaces");
		final boolean[] croppedA = box.crop(a), croppedB = box.crop(b);
		return new double[][] { distances(croppedA, croppedB, box.extent(), spacing), distances(croppedB, croppedA, box.extent(), spacing) };
	}

	private static double[] distances(final boolean[] from, final boolean[] to, final int[] dims, final double[] spacing) {
		return sample(EuclideanDistanceTransform.distanceTo(to, dims, spacing), from);
	}

	/** The values of {@code field} where {@code where} is set, in raster order. */
	private static double[] sample(final double[] field, final boolean[] where) {
		int n = 0;
		for (final boolean w : where)
			if (w) n++;
		if (n == 0) throw new IllegalArgumentException("surface distances need two non-empty surfaces");
		final double[] out = new double[n];
		int k = 0;
		for (int i = 0; i < where.length; i++)
			if (where[i]) out[k++] = field[i];
		return out;
	}
}
