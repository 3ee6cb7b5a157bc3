package io.github.sssfiji.eval;

import java.util.Arrays;

/** The smallest axis-aligned box around the set elements of flat masks (x fastest), and crops to it. */
final class BoundingBox {

	private final int[] dims;
	private final int[] min;
	private final int[] extent;

	private BoundingBox(final int[] dims, final int[] min, final int[] extent) {
		this.dims = dims;
		this.min = min;
		this.extent = extent;
	}

	/** The box around the set elements of both masks, or null when both are empty. */
	static BoundingBox of(final boolean[] a, final boolean[] b, final int[] dims) {
		final int axes = dims.length;
		final int[] min = new int[axes], max = new int[axes];
		Arrays.fill(min, Integer.MAX_VALUE);
		Arrays.fill(max, -1);
		final int[] coordinate = new int[axes];
		for (int i = 0; i < a.length; i++) {
			if (a[i] || b[i]) {
				for (int d = 0; d < axes; d++) {
					min[d] = Math.min(min[d], coordinate[d]);
					max[d] = Math.max(max[d], coordinate[d]);
				}
			}
			advance(coordinate, dims);
		}
		if (max[0] < 0) return null;
		final int[] extent = new int[axes];
		for (int d = 0; d < axes; d++)
			extent[d] = max[d] - min[d] + 1;
		return new BoundingBox(dims.clone(), min, extent);
	}

	int[] extent() {
		return extent.clone();
	}

	/** The part of {@code mask} inside the box, flat, x fastest. */
	boolean[] crop(final boolean[] mask) {
		int size = 1;
		for (final int e : extent)
			size *= e;
		final boolean[] out = new boolean[size];
		final int rowLength = extent[0];
		final int[] row = new int[dims.length]; // box coordinate of the current row start; row[0] stays 0
		for (int start = 0; start < size; start += rowLength) {
			int source = 0, stride = 1;
			for (int d = 0; d < dims.length; d++) {
				source += (min[d] + row[d]) * stride;
				stride *= dims[d];
			}
			System.arraycopy(mask, source, out, start, rowLength);
			for (int d = 1; d < dims.length; d++) {
				if (++row[d] < extent[d]) break;
				row[d] = 0;
			}
		}
		return out;
	}

	/** Steps an x-fastest coordinate odometer. */
	private static void advance(final int[] coordinate, final int[] dims) {
		for (int d = 0; d < dims.length; d++) {
			if (++coordinate[d] < dims[d]) return;
			coordinate[d] = 0;
		}
	}
}
