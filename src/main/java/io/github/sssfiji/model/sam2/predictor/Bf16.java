package io.github.sssfiji.model.sam2.predictor;

/**
 * bfloat16 storage emulated in float32: the value a float32 takes after {@code .to(torch.bfloat16)}
 * and back, i.e. round-to-nearest-even on the upper 16 bits of its bit pattern. DJL must never see a
 * BFLOAT16 tensor (it aborts the JVM), so the SAM 2 video predictor's bf16 memory bank is kept as
 * float32 arrays holding exactly these values.
 */
public final class Bf16 {

	private Bf16() {}

	/** One value rounded to the nearest bfloat16 (ties to even); NaN stays NaN, overflow gives infinity. */
	public static float round(final float value) {
		if (Float.isNaN(value)) return Float.NaN; // c10::BFloat16 maps every NaN to the quiet NaN 0x7FC0
		final int bits = Float.floatToRawIntBits(value);
		final int lsb = (bits >>> 16) & 1;
		return Float.intBitsToFloat((bits + 0x7FFF + lsb) & 0xFFFF0000);
	}

	/** Rounds every value in place and returns the array. */
	public static float[] roundInPlace(final float[] values) {
		for (int i = 0; i < values.length; i++) values[i] = round(values[i]);
		return values;
	}
}
