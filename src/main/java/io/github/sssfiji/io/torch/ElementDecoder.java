package io.github.sssfiji.io.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes raw tensor bytes to Java arrays: float32/float16/bfloat16/float64 to {@code float[]},
 * integer and boolean types to {@code long[]}. Half types are widened exactly.
 */
final class ElementDecoder {

	private ElementDecoder() {}

	static Object decode(final byte[] raw, final int offset, final int count, final TensorType type, final boolean bigEndian) {
		final ByteBuffer b = ByteBuffer.wrap(raw, offset, count * type.bytes()).slice()
			.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		if (type.isFloating()) {
			final float[] out = new float[count];
			switch (type) {
				case FLOAT32:
					b.asFloatBuffer().get(out);
					break;
				case FLOAT64:
					for (int i = 0; i < count; i++) out[i] = (float) b.getDouble(i * 8);
					break;
				case FLOAT16:
					for (int i = 0; i < count; i++) out[i] = halfToFloat(b.getShort(i * 2));
					break;
				case BFLOAT16:
					for (int i = 0; i < count; i++) out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
					break;
				default:
					throw new AssertionError(type);
			}
			return out;
		}
		final long[] out = new long[count];
		switch (type) {
			case INT64:
				b.asLongBuffer().get(out);
				break;
			case INT32:
				for (int i = 0; i < count; i++) out[i] = b.getInt(i * 4);
				break;
			case INT16:
				for (int i = 0; i < count; i++) out[i] = b.getShort(i * 2);
				break;
			case INT8:
				for (int i = 0; i < count; i++) out[i] = b.get(i);
				break;
			case UINT8:
			case BOOL:
				for (int i = 0; i < count; i++) out[i] = b.get(i) & 0xff;
				break;
			default:
				throw new AssertionError(type);
		}
		return out;
	}

	/** IEEE 754 binary16 to float32, exact for every value including subnormals, infinities and NaN. */
	static float halfToFloat(final short half) {
		final int h = half & 0xffff;
		final int sign = (h & 0x8000) << 16;
		final int exponent = (h >>> 10) & 0x1f;
		final int mantissa = h & 0x3ff;
		if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
		if (exponent != 0) return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
		// subnormal half: mantissa * 2^-24, exact in float32
		final float magnitude = mantissa * 0x1p-24f;
		return sign != 0 ? -magnitude : magnitude;
	}
}
