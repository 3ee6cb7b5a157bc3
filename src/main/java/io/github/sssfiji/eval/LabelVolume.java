package io.github.sssfiji.eval;

import java.util.Arrays;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;

/**
 * A label image for evaluation: integer labels, flat, x fastest, with its extent and voxel spacing per
 * axis, and the name it is reported under.
 *
 * @param name where the labels came from (file base name), used in messages
 * @param labels label per voxel, flat, x fastest
 * @param dims extent per axis
 * @param spacing voxel size per axis (1 where unknown, giving distances in voxels)
 */
public record LabelVolume(String name, int[] labels, int[] dims, double[] spacing) {

	/** Checks that labels, extents and spacing agree; the arrays are not copied. */
	public LabelVolume {
		if (dims.length == 0) throw new InvalidInputException(name + ": label image has no axes");
		if (spacing.length != dims.length)
			throw new InvalidInputException(name + ": spacing " + Arrays.toString(spacing) + " does not match dims " + Arrays.toString(dims));
		long size = 1;
		for (final int d : dims) {
			if (d <= 0) throw new InvalidInputException(name + ": dims " + Arrays.toString(dims) + " must be positive");
			size *= d;
		}
		if (size != labels.length)
			throw new InvalidInputException(name + ": " + labels.length + " labels do not fill dims " + Arrays.toString(dims));
		for (final double s : spacing)
			if (!(s > 0) || Double.isInfinite(s))
				throw new InvalidInputException(name + ": spacing " + Arrays.toString(spacing) + " must be positive and finite");
	}

	/**
	 * The labels of an image.
	 *
	 * @throws InvalidInputException when a voxel value is not an integer
	 */
	public static LabelVolume of(final MedicalImage image) {
		final int[] labels;
		try {
			labels = image.toLabelArray();
		}
		catch (final IllegalArgumentException e) {
			throw new InvalidInputException(e.getMessage(), e);
		}
		return new LabelVolume(image.name(), labels, image.dims(), image.spacing());
	}
}
