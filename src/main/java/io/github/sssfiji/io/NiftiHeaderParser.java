package io.github.sssfiji.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import io.github.sssfiji.InvalidInputException;

/**
 * Reads and checks a NIfTI-1 or NIfTI-2 header from the start of a (decompressed) stream. The byte
 * order comes from {@code sizeof_hdr}, the version from its value (348 or 540) and the magic.
 */
final class NiftiHeaderParser {

	static final int NIFTI1_HEADER_SIZE = 348;
	static final int NIFTI2_HEADER_SIZE = 540;
	/** Voxel data of a header without extensions starts after the header and 4 extension-flag bytes. */
	static final int EXTENSION_FLAG_SIZE = 4;
	static final byte[] NIFTI1_MAGIC = { 'n', '+', '1', 0 };
	static final byte[] NIFTI2_MAGIC = { 'n', '+', '2', 0, '\r', '\n', 0x1a, '\n' };
	/** Largest data block SSS reads: one Java array. */
	static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

	private NiftiHeaderParser() {}

	/** Reads the header at the start of {@code in}, leaving the stream right after it. */
	static NiftiFileHeader read(final InputStream in, final Path file) throws IOException {
		final byte[] start = in.readNBytes(4);
		if (start.length < 4) throw invalid(file, "is too short to be a NIfTI file (" + start.length + " bytes)");
		final ByteBuffer first = ByteBuffer.wrap(start);
		final int little = first.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
		final int big = first.order(ByteOrder.BIG_ENDIAN).getInt(0);
		final ByteOrder order;
		final int size;
		if (little == NIFTI1_HEADER_SIZE || little == NIFTI2_HEADER_SIZE) {
			order = ByteOrder.LITTLE_ENDIAN;
			size = little;
		}
		else if (big == NIFTI1_HEADER_SIZE || big == NIFTI2_HEADER_SIZE) {
			order = ByteOrder.BIG_ENDIAN;
			size = big;
		}
		else throw invalid(file, "is not a NIfTI file: sizeof_hdr is " + little + " (little-endian) / " + big +
			" (big-endian), expected 348 (NIfTI-1) or 540 (NIfTI-2)");
		final byte[] header = Arrays.copyOf(start, size);
		final int rest = in.readNBytes(header, 4, size - 4);
		if (rest < size - 4) throw invalid(file, "is truncated: its NIfTI header has " + (4 + rest) + " of " + size + " bytes");
		final ByteBuffer h = ByteBuffer.wrap(header).order(order);
		return size == NIFTI1_HEADER_SIZE ? parseNifti1(h, file) : parseNifti2(h, file);
	}

	private static NiftiFileHeader parseNifti1(final ByteBuffer h, final Path file) {
		final byte[] magic = bytes(h, 344, 4);
		if (!Arrays.equals(magic, NIFTI1_MAGIC)) {
			if (Arrays.equals(magic, new byte[] { 'n', 'i', '1', 0 })) throw pairNotSupported(file, 1);
			throw invalid(file, "has a bad NIfTI-1 magic " + quote(magic) + " at byte 344, expected \"n+1\" " +
				"(a file without it is ANALYZE 7.5, which SSS does not read)");
		}
		final NiftiHeader g = new NiftiHeader();
		g.version = 1;
		g.dimInfo = h.get(39);
		final long[] dim = new long[8];
		for (int i = 0; i < 8; i++)
			dim[i] = h.getShort(40 + 2 * i);
		g.intentP1 = h.getFloat(56);
		g.intentP2 = h.getFloat(60);
		g.intentP3 = h.getFloat(64);
		g.intentCode = h.getShort(68);
		final int datatype = h.getShort(70);
		final int bitpix = h.getShort(72);
		g.sliceStart = h.getShort(74);
		final double[] pixdim = new double[8];
		for (int i = 0; i < 8; i++)
			pixdim[i] = h.getFloat(76 + 4 * i);
		final double voxOffset = h.getFloat(108);
		final double slope = h.getFloat(112);
		final double inter = h.getFloat(116);
		g.sliceEnd = h.getShort(120);
		g.sliceCode = h.get(122) & 0xff;
		g.xyztUnits = h.get(123) & 0xff;
		g.calMax = h.getFloat(124);
		g.calMin = h.getFloat(128);
		g.sliceDuration = h.getFloat(132);
		g.toffset = h.getFloat(136);
		g.description = string(h, 148, 80);
		g.auxFile = string(h, 228, 24);
		g.qformCode = h.getShort(252);
		g.sformCode = h.getShort(254);
		g.quaternB = h.getFloat(256);
		g.quaternC = h.getFloat(260);
		g.quaternD = h.getFloat(264);
		g.qoffsetX = h.getFloat(268);
		g.qoffsetY = h.getFloat(272);
		g.qoffsetZ = h.getFloat(276);
		for (int i = 0; i < 4; i++) {
			g.srowX[i] = h.getFloat(280 + 4 * i);
			g.srowY[i] = h.getFloat(296 + 4 * i);
			g.srowZ[i] = h.getFloat(312 + 4 * i);
		}
		g.intentName = string(h, 328, 16);
		if (!Double.isFinite(voxOffset) || voxOffset < 0) throw invalid(file, "has an invalid vox_offset " + voxOffset);
		return build(file, h.order(), dim, datatype, bitpix, pixdim, (long) voxOffset, slope, inter, g);
	}

	private static NiftiFileHeader parseNifti2(final ByteBuffer h, final Path file) {
		final byte[] magic = bytes(h, 4, 8);
		if (!Arrays.equals(magic, NIFTI2_MAGIC)) {
			if (magic[0] == 'n' && magic[1] == 'i' && magic[2] == '2' && magic[3] == 0) throw pairNotSupported(file, 2);
			if (Arrays.equals(Arrays.copyOf(magic, 4), Arrays.copyOf(NIFTI2_MAGIC, 4))) throw invalid(file,
				"has a damaged NIfTI-2 magic (end-of-line check bytes " + quote(Arrays.copyOfRange(magic, 4, 8)) +
					"); the file was probably transferred in text mode");
			throw invalid(file, "has a bad NIfTI-2 magic " + quote(magic) + " at byte 4, expected \"n+2\"");
		}
		final NiftiHeader g = new NiftiHeader();
		g.version = 2;
		final int datatype = h.getShort(12);
		final int bitpix = h.getShort(14);
		final long[] dim = new long[8];
		for (int i = 0; i < 8; i++)
			dim[i] = h.getLong(16 + 8 * i);
		g.intentP1 = h.getDouble(80);
		g.intentP2 = h.getDouble(88);
		g.intentP3 = h.getDouble(96);
		final double[] pixdim = new double[8];
		for (int i = 0; i < 8; i++)
			pixdim[i] = h.getDouble(104 + 8 * i);
		final long voxOffset = h.getLong(168);
		final double slope = h.getDouble(176);
		final double inter = h.getDouble(184);
		g.calMax = h.getDouble(192);
		g.calMin = h.getDouble(200);
		g.sliceDuration = h.getDouble(208);
		g.toffset = h.getDouble(216);
		g.sliceStart = intField(file, "slice_start", h.getLong(224));
		g.sliceEnd = intField(file, "slice_end", h.getLong(232));
		g.description = string(h, 240, 80);
		g.auxFile = string(h, 320, 24);
		g.qformCode = h.getInt(344);
		g.sformCode = h.getInt(348);
		g.quaternB = h.getDouble(352);
		g.quaternC = h.getDouble(360);
		g.quaternD = h.getDouble(368);
		g.qoffsetX = h.getDouble(376);
		g.qoffsetY = h.getDouble(384);
		g.qoffsetZ = h.getDouble(392);
		for (int i = 0; i < 4; i++) {
			g.srowX[i] = h.getDouble(400 + 8 * i);
			g.srowY[i] = h.getDouble(432 + 8 * i);
			g.srowZ[i] = h.getDouble(464 + 8 * i);
		}
		g.sliceCode = h.getInt(496);
		g.xyztUnits = h.getInt(500);
		g.intentCode = h.getInt(504);
		g.intentName = string(h, 508, 16);
		g.dimInfo = h.get(524);
		if (voxOffset < 0) throw invalid(file, "has an invalid vox_offset " + voxOffset);
		return build(file, h.order(), dim, datatype, bitpix, pixdim, voxOffset, slope, inter, g);
	}

	/** The checks that both versions share. */
	private static NiftiFileHeader build(final Path file, final ByteOrder order, final long[] dim, final int datatypeCode, final int bitpix,
		final double[] pixdim, final long storedVoxOffset, final double slope, final double inter, final NiftiHeader g)
	{
		final long[] shape = shape(file, dim);
		final NiftiDatatype datatype = NiftiDatatype.fromCode(datatypeCode);
		if (datatype == null) throw invalid(file, "has datatype " + datatypeCode + " (" + NiftiDatatype.nameOf(datatypeCode) +
			"), which SSS does not read; supported: uint8, int8, int16, uint16, int32, float32, float64");
		VoxelLimit.require(file, shape);
		// a double product cannot overflow, and is exact well beyond the limit
		final double bytes = Arrays.stream(shape).asDoubleStream().reduce(datatype.bytesPerVoxel(), (a, b) -> a * b);
		if (bytes > MAX_DATA_BYTES) throw invalid(file, "is too large for SSS: " +
			Arrays.toString(shape) + " voxels of " + datatype + " exceed 2 GiB");
		final int headerSize = g.version == 1 ? NIFTI1_HEADER_SIZE : NIFTI2_HEADER_SIZE;
		// nibabel reads data after the header when a single file says 0; any other offset inside the header is damage
		final long voxOffset = storedVoxOffset == 0 ? headerSize + EXTENSION_FLAG_SIZE : storedVoxOffset;
		if (voxOffset < headerSize) throw invalid(file, "has vox_offset " + voxOffset + ", inside the " + headerSize + "-byte header");
		if (slope != 0 && Double.isFinite(slope) && !Double.isFinite(inter))
			throw invalid(file, "has scl_slope " + slope + " with an invalid scl_inter " + inter);
		// distances in mm (PCSW's d_max, HD95, ASD) are computed from the voxel size: a non-number must not stand in for one
		for (int d = 1; d <= shape.length && d < pixdim.length; d++)
			if (!Double.isFinite(pixdim[d])) throw invalid(file, "has pixdim[" + d + "] = " + pixdim[d] + ": a voxel size must be a finite number");
		// as nibabel's header check fixes them when it reads (and so as medpy sees them): a zero spatial voxel size is 1, a
		// negative one its absolute value; a bitpix that disagrees with the datatype is ignored (the datatype decides)
		for (int d = 1; d <= 3; d++)
			pixdim[d] = pixdim[d] == 0 ? 1 : Math.abs(pixdim[d]);
		g.qfac = pixdim[0] < 0 ? -1 : 1;
		return new NiftiFileHeader(order, dim, shape, datatypeCode, bitpix, pixdim, voxOffset, slope, inter, g);
	}

	/** dim[1..dim[0]], checked; singleton axes above the fourth dropped, 1-D made 2-D. */
	private static long[] shape(final Path file, final long[] dim) {
		final long n = dim[0];
		if (n < 1 || n > 7) throw invalid(file, "has dim[0] = " + n + "; a NIfTI header needs 1 to 7 dimensions (dim = " +
			Arrays.toString(dim) + ")");
		for (int i = 1; i <= n; i++) {
			if (dim[i] < 1) throw invalid(file, "has dim[" + i + "] = " + dim[i] + "; every extent must be at least 1 (dim = " +
				Arrays.toString(dim) + ")");
			if (dim[i] > Integer.MAX_VALUE) throw invalid(file, "has dim[" + i + "] = " + dim[i] + ", more than SSS can hold on one axis");
		}
		int used = (int) n;
		while (used > 4 && dim[used] == 1)
			used--;
		if (used > 4) throw invalid(file, "has " + used + " dimensions (dim = " + Arrays.toString(dim) + "); SSS reads 2-D to 4-D images");
		if (used == 1) return new long[] { dim[1], 1 };
		return Arrays.copyOfRange(dim, 1, used + 1);
	}

	private static int intField(final Path file, final String field, final long value) {
		if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) throw invalid(file, "has an out-of-range " + field + " " + value);
		return (int) value;
	}

	private static byte[] bytes(final ByteBuffer h, final int offset, final int length) {
		final byte[] b = new byte[length];
		h.get(offset, b);
		return b;
	}

	/** A C string field: up to the first NUL, Latin-1 so that every byte maps to one character. */
	private static String string(final ByteBuffer h, final int offset, final int length) {
		final byte[] b = bytes(h, offset, length);
		int end = 0;
		while (end < length && b[end] != 0)
			end++;
		return new String(b, 0, end, StandardCharsets.ISO_8859_1);
	}

	private static String quote(final byte[] bytes) {
		final StringBuilder s = new StringBuilder("\"");
		for (final byte b : bytes) {
			if (b >= 0x20 && b < 0x7f) s.append((char) b);
			else s.append(String.format("\\x%02x", b & 0xff));
		}
		return s.append('"').toString();
	}

	private static InvalidInputException pairNotSupported(final Path file, final int version) {
		return invalid(file, "is the header of a separate .hdr/.img NIfTI-" + version + " pair (magic \"ni" + version +
			"\"), which SSS does not read; convert it to a single .nii or .nii.gz file");
	}

	static InvalidInputException invalid(final Path file, final String problem) {
		return new InvalidInputException(file + " " + problem);
	}
}
