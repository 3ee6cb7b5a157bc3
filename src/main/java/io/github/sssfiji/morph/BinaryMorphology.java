package io.github.sssfiji.morph;

/**
 * Binary erosion and surface extraction on flat n-dimensional masks (x fastest) with the face-connected
 * (cross-shaped, connectivity 1) structuring element.
 * <p>
 * Outside the array counts as background, as in {@code scipy.ndimage.binary_erosion} with its default
 * {@code border_value=0}: foreground elements on the array border are eroded. An axis of extent 1 is a
 * real axis whose both neighbours lie outside, so a 2-D slice stored with a third extent of 1 erodes to
 * nothing, exactly as scipy does on an array of shape (1, ny, nx).
 * </p>
 */
public final class BinaryMorphology {

	private BinaryMorphology() {
		// static utility
	}

	/**
	 * One erosion step: an element stays foreground when it and its 2·n face neighbours all are.
	 *
	 * @param mask flat mask, x fastest
	 * @param dims extent per axis
	 */
	public static boolean[] erode(final boolean[] mask, final int[] dims) {
		FlatShape.checkedSize(dims, mask.length);
		final int axes = dims.length;
		final int[] strides = FlatShape.strides(dims);
		final int[] coordinate = new int[axes];
		final boolean[] eroded = new boolean[mask.length];
		for (int i = 0; i < mask.length; i++) {
			if (mask[i]) eroded[i] = interior(mask, i, coordinate, dims, strides);
			// advance the coordinate odometer, x fastest
			for (int a = 0; a < axes; a++) {
				if (++coordinate[a] < dims[a]) break;
				coordinate[a] = 0;
			}
		}
		return eroded;
	}

	/**
	 * The surface of a mask: foreground elements with at least one face neighbour in the background or
	 * outside the array, {@code mask XOR erode(mask)} (medpy's {@code __surface_distances} border).
	 *
	 * @param mask flat mask, x fastest
	 * @param dims extent per axis
	 */
	public static boolean[] surface(final boolean[] mask, final int[] dims) {
		final boolean[] surface = erode(mask, dims);
		for (int i = 0; i < mask.length; i++)
			surface[i] = mask[i] && !surface[i];
		return surface;
	}

	private static boolean interior(final boolean[] mask, final int index, final int[] coordinate, final int[] dims, final int[] strides) {
		for (int a = 0; a < dims.length; a++) {
			final int c = coordinate[a];
			if (c == 0 || c == dims[a] - 1) return false;
			if (!mask[index - strides[a]] || !mask[index + strides[a]]) return false;
		}
		return true;
	}
}
