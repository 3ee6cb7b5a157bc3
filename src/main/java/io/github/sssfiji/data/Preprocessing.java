package io.github.sssfiji.data;

import java.util.Arrays;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;

/**
 * What training and prediction both do to a volume before the network sees it: its geometry as
 * {X, Y, Z} and min-max intensity normalisation of the volume as a whole. One definition, so that a
 * model meets at prediction time the inputs it was trained on.
 */
public final class Preprocessing {

	private Preprocessing() {}

	/** {X, Y, Z} of a 2-D or 3-D image (a fourth axis of length 1 is dropped). */
	public static int[] volumeDims(final MedicalImage image, final String source) {
		final int[] d = image.dims();
		if (d.length == 2) return new int[] { d[0], d[1], 1 };
		if (d.length == 3) return d;
		if (d.length == 4 && d[3] == 1) return new int[] { d[0], d[1], d[2] };
		throw new InvalidInputException(source + ": SSS trains on 2-D slices of 2-D or 3-D images; this image has dims " + Arrays.toString(d));
	}

	/** Min-max normalisation to [0, 1] in place (a constant image becomes 0). */
	public static void normalise(final float[] values) {
		float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
		for (final float v : values) {
			if (v < min) min = v;
			if (v > max) max = v;
		}
		final float range = max - min;
		for (int i = 0; i < values.length; i++)
			values[i] = range > 0 ? (values[i] - min) / range : 0;
	}
}
