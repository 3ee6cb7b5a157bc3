package io.github.sssfiji.io;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A NIfTI-1 or NIfTI-2 header as stored in a file: the pixel layout fields (dim, datatype, bitpix,
 * pixdim, vox_offset, scl_slope, scl_inter), the byte order, and the geometry that
 * {@link NiftiHeader} keeps. {@link NiftiHeaderParser} makes these after checking them, so the
 * datatype is a supported one and the shape is valid.
 */
public final class NiftiFileHeader {

	private final ByteOrder byteOrder;
	private final long[] dim;
	private final long[] shape;
	private final int datatypeCode;
	private final int bitpix;
	private final double[] pixdim;
	private final long voxOffset;
	private final double sclSlope;
	private final double sclInter;
	private final NiftiHeader geometry;

	NiftiFileHeader(final ByteOrder byteOrder, final long[] dim, final long[] shape, final int datatypeCode, final int bitpix,
		final double[] pixdim, final long voxOffset, final double sclSlope, final double sclInter, final NiftiHeader geometry)
	{
		this.byteOrder = byteOrder;
		this.dim = dim.clone();
		this.shape = shape.clone();
		this.datatypeCode = datatypeCode;
		this.bitpix = bitpix;
		this.pixdim = pixdim.clone();
		this.voxOffset = voxOffset;
		this.sclSlope = sclSlope;
		this.sclInter = sclInter;
		this.geometry = geometry.clone();
	}

	/** 1 for NIfTI-1 (348-byte header), 2 for NIfTI-2 (540-byte header). */
	public int version() {
		return geometry.version;
	}

	/** {@code nifti-1} or {@code nifti-2}, the {@link MedicalImage#format()} tag. */
	public String formatTag() {
		return "nifti-" + version();
	}

	public int headerSize() {
		return version() == 1 ? NiftiHeaderParser.NIFTI1_HEADER_SIZE : NiftiHeaderParser.NIFTI2_HEADER_SIZE;
	}

	public ByteOrder byteOrder() {
		return byteOrder;
	}

	/** The raw {@code dim[0..7]} array: dim[0] is the number of dimensions. */
	public long[] dim() {
		return dim.clone();
	}

	/**
	 * The extent of each axis of the image SSS builds: {@code dim[1..dim[0]]}, with singleton axes
	 * above the fourth dropped and a second axis of extent 1 added to 1-D data.
	 */
	public long[] shape() {
		return shape.clone();
	}

	public long numVoxels() {
		return Arrays.stream(shape).reduce(1, Math::multiplyExact);
	}

	/** The header's {@code datatype} code as stored. */
	public int datatypeCode() {
		return datatypeCode;
	}

	/** The stored datatype. */
	public NiftiDatatype datatype() {
		return NiftiDatatype.fromCode(datatypeCode);
	}

	/** The stored datatype's nibabel name, e.g. {@code int16}. */
	public String datatypeName() {
		return NiftiDatatype.nameOf(datatypeCode);
	}

	/** The header's {@code bitpix} as stored (not checked: nibabel ignores it too). */
	public int bitpix() {
		return bitpix;
	}

	/** The raw {@code pixdim[0..7]} array: pixdim[0] is qfac, pixdim[1..] the voxel size per axis. */
	public double[] pixdim() {
		return pixdim.clone();
	}

	/**
	 * Voxel size per axis of {@link #shape()}: pixdim[i] as nibabel's {@code get_zooms()} reports it,
	 * except that a negative size counts by its magnitude and 0 (unknown) counts as 1 (a non-finite size
	 * is refused when the header is read).
	 */
	public double[] spacing() {
		final double[] spacing = new double[shape.length];
		for (int d = 0; d < spacing.length; d++) {
			final double p = Math.abs(pixdim[d + 1]);
			spacing[d] = p > 0 && Double.isFinite(p) ? p : 1;
		}
		return spacing;
	}

	/** Byte offset of the voxel data in the (uncompressed) file. */
	public long voxOffset() {
		return voxOffset;
	}

	public double sclSlope() {
		return sclSlope;
	}

	public double sclInter() {
		return sclInter;
	}

	/**
	 * Whether stored values must be turned into physical ones by {@code value * scl_slope + scl_inter}.
	 * As in nibabel, a slope of 0 or a non-finite slope means no scaling; so does the identity (1, 0).
	 */
	public boolean isScaled() {
		return sclSlope != 0 && Double.isFinite(sclSlope) && (sclSlope != 1 || sclInter != 0);
	}

	/** Bytes of voxel data that follow {@link #voxOffset()}. */
	public long dataBytes() {
		return numVoxels() * datatype().bytesPerVoxel();
	}

	/** A copy of the geometry and bookkeeping fields. */
	public NiftiHeader geometry() {
		return geometry.clone();
	}

	@Override
	public String toString() {
		return "NiftiFileHeader[" + formatTag() + ", " + byteOrder + ", shape " + Arrays.toString(shape) + ", " + datatypeName() +
			", pixdim " + Arrays.toString(pixdim) + ", vox_offset " + voxOffset + ", scl " + sclSlope + "/" + sclInter + ", " + geometry + "]";
	}
}
