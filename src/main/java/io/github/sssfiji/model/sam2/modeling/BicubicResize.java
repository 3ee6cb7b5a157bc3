package io.github.sssfiji.model.sam2.modeling;

/**
 * PyTorch's CPU {@code F.interpolate(x, size, mode="bicubic", align_corners=False)} on float32
 * (C, H, W) data, reproduced step by step: scale {@code in/out} in float32, source coordinate
 * {@code scale*(dst+0.5)-0.5} (not clamped), Keys cubic weights with A = -0.75, border taps clamped,
 * rows of the 4x4 neighbourhood summed first along x, then along y.
 */
public final class BicubicResize {

	private static final float A = -0.75f;

	private BicubicResize() {}

	public static float[] resize(final float[] src, final int channels, final int inH, final int inW, final int outH, final int outW) {
		if (src.length != channels * inH * inW) throw new IllegalArgumentException("source has " + src.length + " values");
		final int[] yIdx = new int[outH * 4];
		final float[] yW = new float[outH * 4];
		taps(inH, outH, yIdx, yW);
		final int[] xIdx = new int[outW * 4];
		final float[] xW = new float[outW * 4];
		taps(inW, outW, xIdx, xW);
		final float[] out = new float[channels * outH * outW];
		for (int c = 0; c < channels; c++) {
			final int plane = c * inH * inW;
			for (int oy = 0; oy < outH; oy++) {
				for (int ox = 0; ox < outW; ox++) {
					float acc = 0;
					for (int j = 0; j < 4; j++) {
						final int row = plane + yIdx[oy * 4 + j] * inW;
						float t = 0;
						for (int i = 0; i < 4; i++) {
							final float term = src[row + xIdx[ox * 4 + i]] * xW[ox * 4 + i];
							t = i == 0 ? term : t + term;
						}
						final float term = t * yW[oy * 4 + j];
						acc = j == 0 ? term : acc + term;
					}
					out[(c * outH + oy) * outW + ox] = acc;
				}
			}
		}
		return out;
	}

	/**
	 * The resize along one axis as an (out x in) matrix, so that {@code Wy @ X @ Wx^T} equals
	 * {@link #resize} up to float32 summation order and stays differentiable in DJL. Clamped border
	 * taps add their weights to the edge sample.
	 */
	public static float[] matrix(final int in, final int out) {
		final int[] index = new int[out * 4];
		final float[] weight = new float[out * 4];
		taps(in, out, index, weight);
		final float[] m = new float[out * in];
		for (int o = 0; o < out; o++)
			for (int j = 0; j < 4; j++) m[o * in + index[o * 4 + j]] += weight[o * 4 + j];
		return m;
	}

	private static void taps(final int in, final int out, final int[] index, final float[] weight) {
		final float scale = (float) in / out;
		for (int o = 0; o < out; o++) {
			final float real = scale * (o + 0.5f) - 0.5f;
			final int base = (int) Math.floor(real);
			final float t = real - base;
			weight[o * 4] = cubic2(t + 1f);
			weight[o * 4 + 1] = cubic1(t);
			weight[o * 4 + 2] = cubic1(1f - t);
			weight[o * 4 + 3] = cubic2(2f - t);
			for (int j = 0; j < 4; j++) index[o * 4 + j] = Math.min(Math.max(base - 1 + j, 0), in - 1);
		}
	}

	private static float cubic1(final float x) {
		return ((A + 2) * x - (A + 3)) * x * x + 1;
	}

	private static float cubic2(final float x) {
		return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
	}
}
