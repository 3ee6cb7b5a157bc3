package io.github.sssfiji.io.torch;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A tensor read from a file, held in Java as a contiguous C-order array: {@code float[]} for
 * floating types (float16/bfloat16 widened to float32, so no half-precision buffer ever reaches
 * DJL), {@code long[]} for integer and boolean types.
 */
public final class TensorData {

	private final TensorType sourceType;
	private final long[] shape;
	private final float[] floats;
	private final long[] longs;

	private TensorData(final TensorType sourceType, final long[] shape, final float[] floats, final long[] longs) {
		this.sourceType = sourceType;
		this.shape = shape.clone();
		this.floats = floats;
		this.longs = longs;
		final long numel = numel(shape);
		final int length = floats != null ? floats.length : longs.length;
		if (numel != length)
			throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + numel + " values, got " + length);
	}

	/** A floating tensor; {@code sourceType} records the type it had in the file. */
	public static TensorData ofFloats(final TensorType sourceType, final long[] shape, final float[] values) {
		if (!sourceType.isFloating()) throw new IllegalArgumentException(sourceType + " is not a floating type");
		return new TensorData(sourceType, shape, values, null);
	}

	/** An integer or boolean tensor. */
	public static TensorData ofLongs(final TensorType sourceType, final long[] shape, final long[] values) {
		if (sourceType.isFloating()) throw new IllegalArgumentException(sourceType + " is a floating type");
		return new TensorData(sourceType, shape, null, values);
	}

	/**
	 * Product of the dimensions (not negative: callers check), 1 for a 0-d scalar; {@link Long#MAX_VALUE}
	 * where the product passes it.
	 */
	public static long numel(final long[] shape) {
		for (final long d : shape)
			if (d == 0) return 0;
		long n = 1;
		for (final long d : shape) {
			// a shape from a damaged file may pass a long: saturate instead of wrapping to a small or negative count
			if (d > Long.MAX_VALUE / n) return Long.MAX_VALUE;
			n *= d;
		}
		return n;
	}

	/** The element type in the file. */
	public TensorType sourceType() {
		return sourceType;
	}

	/** Whether the values are held as float32. */
	public boolean isFloating() {
		return floats != null;
	}

	/** A copy of the shape (empty for a 0-d scalar). */
	public long[] shape() {
		return shape.clone();
	}

	public long numel() {
		return numel(shape);
	}

	/** The float32 values in C order (not copied). */
	public float[] floats() {
		if (floats == null) throw new IllegalStateException("tensor of type " + sourceType + " holds integers");
		return floats;
	}

	/** The int64 values in C order (not copied). */
	public long[] longs() {
		if (longs == null) throw new IllegalStateException("tensor of type " + sourceType + " holds floats");
		return longs;
	}

	/** The integer values as bytes (uint8 images), in C order; values outside 0..255 wrap. */
	public byte[] bytes() {
		final long[] values = longs();
		final byte[] out = new byte[values.length];
		for (int i = 0; i < values.length; i++)
			out[i] = (byte) values[i];
		return out;
	}

	/** Creates a float32 or int64 array with this shape in the given manager. */
	public NDArray toNDArray(final NDManager manager) {
		final Shape djlShape = new Shape(shape);
		return floats != null ? manager.create(floats, djlShape) : manager.create(longs, djlShape);
	}

	@Override
	public String toString() {
		return sourceType + Arrays.toString(shape);
	}
}
