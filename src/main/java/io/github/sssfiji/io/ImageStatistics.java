package io.github.sssfiji.io;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Summary values of an image: minimum, maximum, exact-as-possible sum, and the voxel count per
 * value when the image holds at most {@value #MAX_LABELS} distinct integers (a label map).
 *
 * @param min smallest value (NaN for an image of NaNs)
 * @param max largest value
 * @param sum sum of all values (compensated summation, so large float images do not drift)
 * @param labelCounts value to voxel count, or null when values are not integers or too many differ
 */
public record ImageStatistics(double min, double max, double sum, SortedMap<Long, Long> labelCounts) {

	/** Above this many distinct values an integer image is not treated as a label map. */
	public static final int MAX_LABELS = 256;

	/** Computes the statistics of the image's values (physical values: scaling already applied). */
	public static ImageStatistics of(final MedicalImage image) {
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		double sum = 0, compensation = 0;
		Map<Long, long[]> counts = new HashMap<>();
		for (final RealType<?> t : Views.flatIterable(image.image())) {
			final double v = t.getRealDouble();
			if (v < min) min = v;
			if (v > max) max = v;
			// Neumaier's compensated sum
			final double s = sum + v;
			compensation += Math.abs(sum) >= Math.abs(v) ? (sum - s) + v : (v - s) + sum;
			sum = s;
			if (counts != null) {
				final long label = (long) v;
				if (label != v || Double.isNaN(v)) counts = null;
				else {
					final long[] c = counts.get(label);
					if (c != null) c[0]++;
					else if (counts.size() == MAX_LABELS) counts = null;
					else counts.put(label, new long[] { 1 });
				}
			}
		}
		if (image.size() == 0) min = max = Double.NaN;
		SortedMap<Long, Long> labelCounts = null;
		if (counts != null) {
			labelCounts = new TreeMap<>();
			for (final Map.Entry<Long, long[]> e : counts.entrySet())
				labelCounts.put(e.getKey(), e.getValue()[0]);
			labelCounts = Collections.unmodifiableSortedMap(labelCounts);
		}
		return new ImageStatistics(min, max, sum + compensation, labelCounts);
	}
}
