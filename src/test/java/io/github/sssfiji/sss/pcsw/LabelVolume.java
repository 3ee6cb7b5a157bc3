package io.github.sssfiji.sss.pcsw;

/** A label volume for tests, flat and x fastest, painted with rectangles. */
final class LabelVolume {

	final int nx, ny, nz;
	final int[] labels;

	LabelVolume(final int nx, final int ny, final int nz) {
		this.nx = nx;
		this.ny = ny;
		this.nz = nz;
		labels = new int[nx * ny * nz];
	}

	int[] dims() {
		return new int[] { nx, ny, nz };
	}

	/** Paints the inclusive rectangle [x0, x1] x [y0, y1] of slices z0..z1 with {@code label}. */
	LabelVolume box(final int label, final int z0, final int z1, final int x0, final int y0, final int x1, final int y1) {
		for (int z = z0; z <= z1; z++)
			for (int y = y0; y <= y1; y++)
				for (int x = x0; x <= x1; x++)
					labels[index(x, y, z)] = label;
		return this;
	}

	int index(final int x, final int y, final int z) {
		return (z * ny + y) * nx + x;
	}

	/** Mask of the voxels of this volume labelled {@code label}. */
	boolean[] maskOf(final int label) {
		final boolean[] out = new boolean[labels.length];
		for (int i = 0; i < labels.length; i++)
			out[i] = labels[i] == label;
		return out;
	}
}
