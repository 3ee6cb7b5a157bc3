package io.github.sssfiji.io;

import net.imglib2.type.logic.BitType;
import net.imglib2.type.logic.BoolType;
import net.imglib2.type.numeric.IntegerType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * The NIfTI voxel datatypes that SSS reads and writes, with their header codes and the names
 * nibabel and numpy use for them.
 */
public enum NiftiDatatype {

	UINT8(2, "uint8", 1, 0, 255),
	INT8(256, "int8", 1, Byte.MIN_VALUE, Byte.MAX_VALUE),
	INT16(4, "int16", 2, Short.MIN_VALUE, Short.MAX_VALUE),
	UINT16(512, "uint16", 2, 0, 65535),
	INT32(8, "int32", 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
	FLOAT32(16, "float32", 4, -Float.MAX_VALUE, Float.MAX_VALUE),
	FLOAT64(64, "float64", 8, -Double.MAX_VALUE, Double.MAX_VALUE);

	private final int code;
	private final String label;
	private final int bytes;
	private final double min;
	private final double max;

	NiftiDatatype(final int code, final String label, final int bytes, final double min, final double max) {
		this.code = code;
		this.label = label;
		this.bytes = bytes;
		this.min = min;
		this.max = max;
	}

	/** The value of the header's {@code datatype} field. */
	public int code() {
		return code;
	}

	/** The nibabel/numpy name, e.g. {@code int16}. */
	public String label() {
		return label;
	}

	/** Bytes per voxel. */
	public int bytesPerVoxel() {
		return bytes;
	}

	/** The header's {@code bitpix} value. */
	public int bitpix() {
		return 8 * bytes;
	}

	public boolean isInteger() {
		return this != FLOAT32 && this != FLOAT64;
	}

	/** Smallest storable value. */
	public double min() {
		return min;
	}

	/** Largest storable value. */
	public double max() {
		return max;
	}

	/** The datatype with this header code, or null when SSS does not support it. */
	public static NiftiDatatype fromCode(final int code) {
		for (final NiftiDatatype t : values())
			if (t.code == code) return t;
		return null;
	}

	/** The datatype with this nibabel name (case-insensitive), or null. */
	public static NiftiDatatype fromLabel(final String label) {
		for (final NiftiDatatype t : values())
			if (t.label.equalsIgnoreCase(label)) return t;
		return null;
	}

	/**
	 * The name of any datatype code the NIfTI standard defines (e.g. {@code complex64}, {@code RGB24}),
	 * so that messages about unsupported files can say what the file holds.
	 */
	public static String nameOf(final int code) {
		final NiftiDatatype supported = fromCode(code);
		if (supported != null) return supported.label;
		switch (code) {
			case 0: return "unknown";
			case 1: return "binary";
			case 32: return "complex64";
			case 128: return "RGB24";
			case 768: return "uint32";
			case 1024: return "int64";
			case 1280: return "uint64";
			case 1536: return "float128";
			case 1792: return "complex128";
			case 2048: return "complex256";
			case 2304: return "RGBA32";
			default: return "undefined code";
		}
	}

	/**
	 * The datatype that stores every value of an ImgLib2 type exactly: the matching one for the seven
	 * NIfTI types, uint8 for boolean types, float64 for other integer types (exact up to 2^53),
	 * float32 for other real types.
	 */
	public static NiftiDatatype forType(final RealType<?> type) {
		if (type instanceof UnsignedByteType || type instanceof BitType || type instanceof BoolType) return UINT8;
		if (type instanceof ByteType) return INT8;
		if (type instanceof ShortType) return INT16;
		if (type instanceof UnsignedShortType) return UINT16;
		if (type instanceof IntType) return INT32;
		if (type instanceof FloatType) return FLOAT32;
		if (type instanceof DoubleType) return FLOAT64;
		if (type instanceof IntegerType) return FLOAT64;
		return FLOAT32;
	}

	@Override
	public String toString() {
		return label;
	}
}
