package io.github.sssfiji.morph;

import java.util.Arrays;

/** Checks shared by the flat-array operations of this package: extents, element counts, spacing. */
final class FlatShape {

	private FlatShape() {
		// static utility
	}

	/** Number of elements of {@code dims}, checked against {@code length}. */
	static int checkedSize(final int[] dims, final int length) {
		if (dims.length == 0) throw new IllegalArgumentException("dims must name at least one axis");
		long size = 1;
		for (final int d : dims) {
			if (d <= 0) throw new IllegalArgumentException("every extent must be positive, got dims " + Arrays.toString(dims));
			size *= d;
		}
		if (size != length)
			throw new IllegalArgumentException("array has " + length + " elements but dims " + Arrays.toString(dims) + " need " + size);
		return length;
	}

	/** Checks that there is one positive, finite spacing per axis. */
	static void checkSpacing(final double[] spacing, final int[] dims) {
		if (spacing.length != dims.length)
			throw new IllegalArgumentException("spacing " + Arrays.toString(spacing) + " has " + spacing.length + " values but dims " +
				Arrays.toString(dims) + " have " + dims.length + " axes");
		for (final double s : spacing)
			if (!(s > 0) || Double.isInfinite(s)) throw new IllegalArgumentException("spacing must be positive and finite, got " + Arrays.toString(spacing));
	}

	/** Distance in elements between neighbours along each axis (x fastest). */
	static int[] strides(final int[] dims) {
		final int[] strides = new int[dims.length];
		int stride = 1;
		for (int a = 0; a < dims.length; a++) {
			strides[a] = stride;
			stride *= dims[a];
		}
		return strides;
	}
}
