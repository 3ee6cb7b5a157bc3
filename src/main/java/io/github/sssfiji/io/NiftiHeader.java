package io.github.sssfiji.io;

import java.util.Arrays;

/**
 * The geometry and bookkeeping fields of a NIfTI-1/NIfTI-2 header that SSS keeps on a round trip
 * (orientation matrices, units, description, intent). Pixel layout fields (dim, datatype, vox_offset)
 * are derived from the image when writing, so they are not stored here.
 */
public final class NiftiHeader implements Cloneable {

	/** 1 for NIfTI-1 (348-byte header), 2 for NIfTI-2 (540-byte header). */
	public int version = 1;
	public int qformCode;
	public int sformCode;
	public double quaternB, quaternC, quaternD;
	public double qoffsetX, qoffsetY, qoffsetZ;
	/** pixdim[0]: the qfac sign (+1 or -1) of the qform. */
	public double qfac = 1;
	public double[] srowX = { 1, 0, 0, 0 };
	public double[] srowY = { 0, 1, 0, 0 };
	public double[] srowZ = { 0, 0, 1, 0 };
	public int xyztUnits;
	public int intentCode;
	public double intentP1, intentP2, intentP3;
	public String intentName = "";
	public String description = "";
	public String auxFile = "";
	public double toffset;
	public int sliceCode;
	public int sliceStart, sliceEnd;
	public double sliceDuration;
	public byte dimInfo;
	public double calMin, calMax;

	@Override
	public NiftiHeader clone() {
		try {
			final NiftiHeader copy = (NiftiHeader) super.clone();
			copy.srowX = srowX.clone();
			copy.srowY = srowY.clone();
			copy.srowZ = srowZ.clone();
			return copy;
		}
		catch (final CloneNotSupportedException e) {
			throw new AssertionError(e);
		}
	}

	@Override
	public String toString() {
		return "NiftiHeader[v" + version + ", qform " + qformCode + ", sform " + sformCode + ", srow " +
			Arrays.toString(srowX) + Arrays.toString(srowY) + Arrays.toString(srowZ) + "]";
	}
}
