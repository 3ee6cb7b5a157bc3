package io.github.sssfiji.morph;

import java.util.Arrays;

/**
 * Connected-component labelling of binary masks stored as flat arrays, x fastest (the ImgLib2
 * {@code ArrayImg} order). Works in 2-D and 3-D with face connectivity (4 / 6 neighbours) or full
 * connectivity (8 / 26 neighbours).
 * <p>
 * Labels are numbered 1..n in raster order of each component's first voxel; background is 0.
 * </p>
 */
public final class ConnectedComponents {

	/** Which neighbours touch: faces only, or faces, edges and corners. */
	public enum Connectivity {
		/** 4-connectivity in 2-D, 6 in 3-D. */
		FACE,
		/** 8-connectivity in 2-D, 26 in 3-D. */
		FULL
	}

	private final int[] labels;
	private final int count;
	private final long[] sizes;

	private ConnectedComponents(final int[] labels, final int count, final long[] sizes) {
		this.labels = labels;
		this.count = count;
		this.sizes = sizes;
	}

	/**
	 * Labels the components of {@code mask}.
	 *
	 * @param mask flat mask, x fastest
	 * @param dims extent per axis (1, 2 or 3 axes; a 2-D mask may also be given with a third extent of 1)
	 * @param connectivity which neighbours are connected
	 */
	public static ConnectedComponents label(final boolean[] mask, final int[] dims, final Connectivity connectivity) {
		final int nx = dims[0];
		final int ny = dims.length > 1 ? dims[1] : 1;
		final int nz = dims.length > 2 ? dims[2] : 1;
		if (dims.length > 3) throw new IllegalArgumentException("at most 3 dimensions, got " + dims.length);
		if ((long) nx * ny * nz != mask.length)
			throw new IllegalArgumentException("mask has " + mask.length + " elements but dims " + Arrays.toString(dims) + " need " + (long) nx * ny * nz);
		final int[] offsets = neighbourOffsets(connectivity);
		final int[] labels = new int[mask.length];
		final int[] queue = new int[mask.length];
		long[] sizes = new long[16];
		int count = 0;
		for (int start = 0; start < mask.length; start++) {
			if (!mask[start] || labels[start] != 0) continue;
			final int label = ++count;
			if (label >= sizes.length) sizes = Arrays.copyOf(sizes, sizes.length * 2);
			int head = 0, tail = 0;
			queue[tail++] = start;
			labels[start] = label;
			while (head < tail) {
				final int index = queue[head++];
				final int x = index % nx;
				final int y = (index / nx) % ny;
				final int z = index / (nx * ny);
				for (int o = 0; o < offsets.length; o += 3) {
					final int xx = x + offsets[o], yy = y + offsets[o + 1], zz = z + offsets[o + 2];
					if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
					final int neighbour = (zz * ny + yy) * nx + xx;
					if (mask[neighbour] && labels[neighbour] == 0) {
						labels[neighbour] = label;
						queue[tail++] = neighbour;
					}
				}
			}
			sizes[label] = tail;
		}
		return new ConnectedComponents(labels, count, Arrays.copyOf(sizes, count + 1));
	}

	/** Label of every element: 0 for background, 1..{@link #count()} for components. */
	public int[] labels() {
		return labels;
	}

	/** Number of components. */
	public int count() {
		return count;
	}

	/** Number of elements of component {@code label} (1-based). */
	public long size(final int label) {
		return sizes[label];
	}

	/** The mask of the largest component (the first one on ties); all false when there is none. */
	public boolean[] largest() {
		int best = 0;
		for (int l = 1; l <= count; l++)
			if (best == 0 || sizes[l] > sizes[best]) best = l;
		final boolean[] out = new boolean[labels.length];
		if (best == 0) return out;
		for (int i = 0; i < labels.length; i++)
			out[i] = labels[i] == best;
		return out;
	}

	/** Offsets (dx, dy, dz triples) of the neighbours in a 3x3x3 block; z offsets vanish on 2-D data by bounds. */
	private static int[] neighbourOffsets(final Connectivity connectivity) {
		final int[] out = new int[26 * 3];
		int n = 0;
		for (int dz = -1; dz <= 1; dz++)
			for (int dy = -1; dy <= 1; dy++)
				for (int dx = -1; dx <= 1; dx++) {
					final int manhattan = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
					if (manhattan == 0) continue;
					if (connectivity == Connectivity.FACE && manhattan > 1) continue;
					out[n++] = dx;
					out[n++] = dy;
					out[n++] = dz;
				}
		return Arrays.copyOf(out, n);
	}
}
