package io.github.sssfiji.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

import io.github.sssfiji.InvalidInputException;

/**
 * Turns NIfTI voxel bytes into ImgLib2 images and back. Both directions work on the flat primitive
 * arrays behind {@link ArrayImg}s, x fastest, which is also the NIfTI voxel order.
 */
final class NiftiVoxels {

	private static final int CHUNK_BYTES = 1 << 20;

	private NiftiVoxels() {}

	/** Flat voxel values as doubles, read without boxing (the writer's conversion path). */
	private interface Values {
		double get(int index);
	}

	/**
	 * The image the data block of a file describes. Unscaled data keeps its stored type
	 * (uint8 → {@link UnsignedByteType}, ..., float64 → {@link DoubleType}); scaled data becomes
	 * {@link DoubleType} for int32 and float64 (float would lose digits) and {@link FloatType} otherwise.
	 */
	static Img<? extends RealType<?>> decode(final byte[] data, final NiftiFileHeader header) {
		final long[] shape = header.shape();
		final int n = Math.toIntExact(header.numVoxels());
		final ByteBuffer bytes = ByteBuffer.wrap(data).order(header.byteOrder());
		final NiftiDatatype type = header.datatype();
		if (!header.isScaled()) {
			switch (type) {
				case UINT8: return ArrayImgs.unsignedBytes(data, shape);
				case INT8: return ArrayImgs.bytes(data, shape);
				case INT16: return ArrayImgs.shorts(shorts(bytes, n), shape);
				case UINT16: return ArrayImgs.unsignedShorts(shorts(bytes, n), shape);
				case INT32: {
					final int[] values = new int[n];
					bytes.asIntBuffer().get(values);
					return ArrayImgs.ints(values, shape);
				}
				case FLOAT32: {
					final float[] values = new float[n];
					bytes.asFloatBuffer().get(values);
					return ArrayImgs.floats(values, shape);
				}
				case FLOAT64: {
					final double[] values = new double[n];
					bytes.asDoubleBuffer().get(values);
					return ArrayImgs.doubles(values, shape);
				}
			}
		}
		// one loop per stored type keeps the per-voxel work free of calls
		final double slope = header.sclSlope();
		final double inter = header.sclInter();
		switch (type) {
			case INT32: {
				final IntBuffer raw = bytes.asIntBuffer();
				final double[] values = new double[n];
				for (int i = 0; i < n; i++)
					values[i] = raw.get(i) * slope + inter;
				return ArrayImgs.doubles(values, shape);
			}
			case FLOAT64: {
				final DoubleBuffer raw = bytes.asDoubleBuffer();
				final double[] values = new double[n];
				for (int i = 0; i < n; i++)
					values[i] = raw.get(i) * slope + inter;
				return ArrayImgs.doubles(values, shape);
			}
			default:
		}
		final float[] values = new float[n];
		switch (type) {
			case UINT8:
				for (int i = 0; i < n; i++)
					values[i] = (float) ((data[i] & 0xff) * slope + inter);
				break;
			case INT8:
				for (int i = 0; i < n; i++)
					values[i] = (float) (data[i] * slope + inter);
				break;
			case INT16: {
				final ShortBuffer raw = bytes.asShortBuffer();
				for (int i = 0; i < n; i++)
					values[i] = (float) (raw.get(i) * slope + inter);
				break;
			}
			case UINT16: {
				final ShortBuffer raw = bytes.asShortBuffer();
				for (int i = 0; i < n; i++)
					values[i] = (float) ((raw.get(i) & 0xffff) * slope + inter);
				break;
			}
			case FLOAT32: {
				final FloatBuffer raw = bytes.asFloatBuffer();
				for (int i = 0; i < n; i++)
					values[i] = (float) (raw.get(i) * slope + inter);
				break;
			}
			default: throw new AssertionError(type);
		}
		return ArrayImgs.floats(values, shape);
	}

	private static short[] shorts(final ByteBuffer bytes, final int n) {
		final short[] values = new short[n];
		bytes.asShortBuffer().get(values);
		return values;
	}

	/**
	 * Writes the voxels of {@code image}, x fastest, little-endian, as {@code target}.
	 *
	 * @throws InvalidInputException when a value cannot be stored exactly as {@code target}: a
	 *           fraction, NaN or out-of-range value for an integer type, or a finite value beyond
	 *           float32's range
	 */
	static void encode(final RandomAccessibleInterval<? extends RealType<?>> image, final NiftiDatatype target, final OutputStream out,
		final Path file) throws IOException
	{
		final Object storage = storageOf(image);
		if (storage != null && NiftiDatatype.forType(image.getType()) == target) {
			writeNative(storage, out);
			return;
		}
		final Values values = storage != null ? arrayValues(storage, image.getType()) : copyValues(image);
		final long[] dims = Intervals.dimensionsAsLongArray(image);
		final int n = Math.toIntExact(Intervals.numElements(image));
		final ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < n; i++) {
			final double v = values.get(i);
			if (target.isInteger() ? !(v >= target.min() && v <= target.max() && v == Math.rint(v))
				: target == NiftiDatatype.FLOAT32 && Double.isFinite(v) && Math.abs(v) > Float.MAX_VALUE)
				throw new InvalidInputException(file + ": the value " + v + " at voxel " + position(i, dims) + " cannot be stored as " +
					target + (target.isInteger() ? " (integers " + (long) target.min() + " to " + (long) target.max() + ")" : ""));
			if (buffer.remaining() < target.bytesPerVoxel()) flush(buffer, out);
			switch (target) {
				case UINT8:
				case INT8: buffer.put((byte) (long) v); break;
				case INT16:
				case UINT16: buffer.putShort((short) (long) v); break;
				case INT32: buffer.putInt((int) (long) v); break;
				case FLOAT32: buffer.putFloat((float) v); break;
				case FLOAT64: buffer.putDouble(v); break;
			}
		}
		flush(buffer, out);
	}

	/**
	 * The primitive array behind an {@link ArrayImg} of one of the seven NIfTI types, or null for
	 * any other image (views, other containers, other types).
	 */
	private static Object storageOf(final RandomAccessibleInterval<? extends RealType<?>> image) {
		if (!(image instanceof ArrayImg)) return null;
		final Object type = image.getType();
		if (!(type instanceof UnsignedByteType || type instanceof ByteType || type instanceof ShortType || type instanceof UnsignedShortType ||
			type instanceof IntType || type instanceof FloatType || type instanceof DoubleType)) return null;
		final Object access = ((ArrayImg<?, ?>) image).update(null);
		return access instanceof ArrayDataAccess ? ((ArrayDataAccess<?>) access).getCurrentStorageArray() : null;
	}

	private static Values arrayValues(final Object storage, final RealType<?> type) {
		if (storage instanceof byte[]) {
			final byte[] a = (byte[]) storage;
			return type instanceof UnsignedByteType ? i -> a[i] & 0xff : i -> a[i];
		}
		if (storage instanceof short[]) {
			final short[] a = (short[]) storage;
			return type instanceof UnsignedShortType ? i -> a[i] & 0xffff : i -> a[i];
		}
		if (storage instanceof int[]) {
			final int[] a = (int[]) storage;
			return i -> a[i];
		}
		if (storage instanceof float[]) {
			final float[] a = (float[]) storage;
			return i -> a[i];
		}
		final double[] a = (double[]) storage;
		return i -> a[i];
	}

	/** Any other image: one pass through its voxels in flat order into a double array. */
	private static Values copyValues(final RandomAccessibleInterval<? extends RealType<?>> image) {
		final double[] copy = new double[Math.toIntExact(Intervals.numElements(image))];
		int i = 0;
		for (final RealType<?> v : Views.flatIterable(image))
			copy[i++] = v.getRealDouble();
		return i1 -> copy[i1];
	}

	private static void writeNative(final Object storage, final OutputStream out) throws IOException {
		if (storage instanceof byte[]) {
			out.write((byte[]) storage);
			return;
		}
		final ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
		if (storage instanceof short[]) {
			final short[] a = (short[]) storage;
			for (int start = 0; start < a.length; start += CHUNK_BYTES / 2) {
				final int count = Math.min(CHUNK_BYTES / 2, a.length - start);
				buffer.asShortBuffer().put(a, start, count);
				out.write(buffer.array(), 0, 2 * count);
			}
		}
		else if (storage instanceof int[]) {
			final int[] a = (int[]) storage;
			for (int start = 0; start < a.length; start += CHUNK_BYTES / 4) {
				final int count = Math.min(CHUNK_BYTES / 4, a.length - start);
				buffer.asIntBuffer().put(a, start, count);
				out.write(buffer.array(), 0, 4 * count);
			}
		}
		else if (storage instanceof float[]) {
			final float[] a = (float[]) storage;
			for (int start = 0; start < a.length; start += CHUNK_BYTES / 4) {
				final int count = Math.min(CHUNK_BYTES / 4, a.length - start);
				buffer.asFloatBuffer().put(a, start, count);
				out.write(buffer.array(), 0, 4 * count);
			}
		}
		else {
			final double[] a = (double[]) storage;
			for (int start = 0; start < a.length; start += CHUNK_BYTES / 8) {
				final int count = Math.min(CHUNK_BYTES / 8, a.length - start);
				buffer.asDoubleBuffer().put(a, start, count);
				out.write(buffer.array(), 0, 8 * count);
			}
		}
	}

	private static void flush(final ByteBuffer buffer, final OutputStream out) throws IOException {
		out.write(buffer.array(), 0, buffer.position());
		buffer.clear();
	}

	/** Voxel coordinates of a flat index, x fastest, for messages. */
	static String position(final long index, final long[] dims) {
		final long[] pos = new long[dims.length];
		long rest = index;
		for (int d = 0; d < dims.length; d++) {
			pos[d] = rest % dims[d];
			rest /= dims[d];
		}
		return Arrays.toString(pos);
	}
}
