package io.github.sssfiji.sss.train;

/**
 * A whole volume in memory for validation or PCSW: normalised intensities and, where known, labels,
 * flat with x fastest, dims {X, Y, Z} (a 2-D image has Z = 1).
 */
public record VolumeData(String name, float[] image, int[] labels, int[] dims, double[] spacing) {

	/** Pixels per slice. */
	public int sliceArea() {
		return dims[0] * dims[1];
	}

	public int slices() {
		return dims[2];
	}
}
