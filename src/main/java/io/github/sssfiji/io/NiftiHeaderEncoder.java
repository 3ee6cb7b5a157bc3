package io.github.sssfiji.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import io.github.sssfiji.InvalidInputException;

/**
 * Builds the bytes of a little-endian NIfTI-1 or NIfTI-2 header, followed by the 4-byte extension
 * flag (no extensions), for data that starts right after it. Fields SSS does not keep are written as
 * nibabel writes them for a new image: zeros, {@code scl_slope} 1, {@code scl_inter} 0 and
 * pixdim 1 for unused axes.
 */
final class NiftiHeaderEncoder {

	private NiftiHeaderEncoder() {}

	static byte[] encode(final NiftiHeader g, final long[] dims, final double[] spacing, final NiftiDatatype type, final int version,
		final Path file)
	{
		if (dims.length < 1 || dims.length > 7) throw new InvalidInputException(file + ": cannot write an image with " + dims.length +
			" dimensions as NIfTI (1 to 7)");
		final double[] pixdim = new double[8];
		Arrays.fill(pixdim, 1);
		pixdim[0] = g.qfac < 0 ? -1 : 1;
		System.arraycopy(spacing, 0, pixdim, 1, spacing.length);
		return version == 1 ? nifti1(g, dims, pixdim, type, file) : nifti2(g, dims, pixdim, type);
	}

	private static byte[] nifti1(final NiftiHeader g, final long[] dims, final double[] pixdim, final NiftiDatatype type, final Path file) {
		final int size = NiftiHeaderParser.NIFTI1_HEADER_SIZE;
		final ByteBuffer h = ByteBuffer.allocate(size + NiftiHeaderParser.EXTENSION_FLAG_SIZE).order(ByteOrder.LITTLE_ENDIAN);
		h.putInt(0, size);
		h.put(39, g.dimInfo);
		h.putShort(40, (short) dims.length);
		for (int i = 1; i < 8; i++) {
			final long extent = i <= dims.length ? dims[i - 1] : 1;
			if (extent > Short.MAX_VALUE) throw new InvalidInputException(file + ": axis " + (i - 1) + " has " + extent +
				" voxels, more than NIfTI-1 can store (32767); write NIfTI-2 instead");
			h.putShort(40 + 2 * i, (short) extent);
		}
		h.putFloat(56, (float) g.intentP1);
		h.putFloat(60, (float) g.intentP2);
		h.putFloat(64, (float) g.intentP3);
		h.putShort(68, shortField(file, "intent_code", g.intentCode));
		h.putShort(70, (short) type.code());
		h.putShort(72, (short) type.bitpix());
		h.putShort(74, shortField(file, "slice_start", g.sliceStart));
		for (int i = 0; i < 8; i++)
			h.putFloat(76 + 4 * i, (float) pixdim[i]);
		h.putFloat(108, size + NiftiHeaderParser.EXTENSION_FLAG_SIZE);
		h.putFloat(112, 1);
		h.putFloat(116, 0);
		h.putShort(120, shortField(file, "slice_end", g.sliceEnd));
		h.put(122, byteField(file, "slice_code", g.sliceCode));
		h.put(123, byteField(file, "xyzt_units", g.xyztUnits));
		h.putFloat(124, (float) g.calMax);
		h.putFloat(128, (float) g.calMin);
		h.putFloat(132, (float) g.sliceDuration);
		h.putFloat(136, (float) g.toffset);
		putString(h, 148, 80, g.description);
		putString(h, 228, 24, g.auxFile);
		h.putShort(252, shortField(file, "qform_code", g.qformCode));
		h.putShort(254, shortField(file, "sform_code", g.sformCode));
		h.putFloat(256, (float) g.quaternB);
		h.putFloat(260, (float) g.quaternC);
		h.putFloat(264, (float) g.quaternD);
		h.putFloat(268, (float) g.qoffsetX);
		h.putFloat(272, (float) g.qoffsetY);
		h.putFloat(276, (float) g.qoffsetZ);
		for (int i = 0; i < 4; i++) {
			h.putFloat(280 + 4 * i, (float) g.srowX[i]);
			h.putFloat(296 + 4 * i, (float) g.srowY[i]);
			h.putFloat(312 + 4 * i, (float) g.srowZ[i]);
		}
		putString(h, 328, 16, g.intentName);
		h.put(344, NiftiHeaderParser.NIFTI1_MAGIC);
		return h.array();
	}

	private static byte[] nifti2(final NiftiHeader g, final long[] dims, final double[] pixdim, final NiftiDatatype type) {
		final int size = NiftiHeaderParser.NIFTI2_HEADER_SIZE;
		final ByteBuffer h = ByteBuffer.allocate(size + NiftiHeaderParser.EXTENSION_FLAG_SIZE).order(ByteOrder.LITTLE_ENDIAN);
		h.putInt(0, size);
		h.put(4, NiftiHeaderParser.NIFTI2_MAGIC);
		h.putShort(12, (short) type.code());
		h.putShort(14, (short) type.bitpix());
		h.putLong(16, dims.length);
		for (int i = 1; i < 8; i++)
			h.putLong(16 + 8 * i, i <= dims.length ? dims[i - 1] : 1);
		h.putDouble(80, g.intentP1);
		h.putDouble(88, g.intentP2);
		h.putDouble(96, g.intentP3);
		for (int i = 0; i < 8; i++)
			h.putDouble(104 + 8 * i, pixdim[i]);
		h.putLong(168, size + NiftiHeaderParser.EXTENSION_FLAG_SIZE);
		h.putDouble(176, 1);
		h.putDouble(184, 0);
		h.putDouble(192, g.calMax);
		h.putDouble(200, g.calMin);
		h.putDouble(208, g.sliceDuration);
		h.putDouble(216, g.toffset);
		h.putLong(224, g.sliceStart);
		h.putLong(232, g.sliceEnd);
		putString(h, 240, 80, g.description);
		putString(h, 320, 24, g.auxFile);
		h.putInt(344, g.qformCode);
		h.putInt(348, g.sformCode);
		h.putDouble(352, g.quaternB);
		h.putDouble(360, g.quaternC);
		h.putDouble(368, g.quaternD);
		h.putDouble(376, g.qoffsetX);
		h.putDouble(384, g.qoffsetY);
		h.putDouble(392, g.qoffsetZ);
		for (int i = 0; i < 4; i++) {
			h.putDouble(400 + 8 * i, g.srowX[i]);
			h.putDouble(432 + 8 * i, g.srowY[i]);
			h.putDouble(464 + 8 * i, g.srowZ[i]);
		}
		h.putInt(496, g.sliceCode);
		h.putInt(500, g.xyztUnits);
		h.putInt(504, g.intentCode);
		putString(h, 508, 16, g.intentName);
		h.put(524, g.dimInfo);
		return h.array();
	}

	private static short shortField(final Path file, final String field, final int value) {
		if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) throw new InvalidInputException(file + ": " + field + " = " + value +
			" does not fit a NIfTI-1 header; write NIfTI-2 instead");
		return (short) value;
	}

	private static byte byteField(final Path file, final String field, final int value) {
		if (value < 0 || value > 255) throw new InvalidInputException(file + ": " + field + " = " + value + " does not fit a NIfTI-1 header");
		return (byte) value;
	}

	/** A C string field, Latin-1, cut at the field length (a full field has no NUL, as the format allows). */
	private static void putString(final ByteBuffer h, final int offset, final int length, final String value) {
		final byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.ISO_8859_1);
		h.put(offset, bytes, 0, Math.min(length, bytes.length));
	}
}
