package io.github.sssfiji.model.sam2.predictor;

/**
 * The image predictor's coordinate and mask transforms ({@code SAM2Transforms.transform_coords},
 * {@code postprocess_masks} without hole or sprinkle filling), in plain Java with PyTorch's float
 * rounding.
 */
public final class Sam2Postprocess {

	private Sam2Postprocess() {}

	/**
	 * Maps (x, y) pairs from an original image of {@code width x height} to the model input frame:
	 * {@code x / W * S}, {@code y / H * S}, in float32, dividing first.
	 */
	public static float[] transformCoords(final float[] xy, final int width, final int height, final int imageSize) {
		if (xy.length % 2 != 0) throw new IllegalArgumentException("coordinates must be (x, y) pairs");
		final float[] out = new float[xy.length];
		for (int i = 0; i < xy.length; i += 2) {
			out[i] = xy[i] / (float) width * imageSize;
			out[i + 1] = xy[i + 1] / (float) height * imageSize;
		}
		return out;
	}

	/**
	 * {@code F.interpolate(masks, (outH, outW), mode="bilinear", align_corners=False)} on (C, inH, inW)
	 * float32 data, as torch's CPU kernel computes it: scale {@code float(in)/float(out)}, source
	 * coordinate {@code scale*(dst+0.5)-0.5} in double and clamped at 0, float32 weights
	 * {@code lambda1 = src - floor(src)}, {@code lambda0 = 1 - lambda1}, a float32 blend along x, then y.
	 */
	public static float[] upsampleBilinear(final float[] src, final int channels, final int inH, final int inW, final int outH,
		final int outW)
	{
		if (src.length != channels * inH * inW) throw new IllegalArgumentException("source has " + src.length + " values");
		final int[] y0 = new int[outH], y1 = new int[outH];
		final float[] wy0 = new float[outH], wy1 = new float[outH];
		linearTaps(inH, outH, y0, y1, wy0, wy1);
		final int[] x0 = new int[outW], x1 = new int[outW];
		final float[] wx0 = new float[outW], wx1 = new float[outW];
		linearTaps(inW, outW, x0, x1, wx0, wx1);
		final float[] out = new float[channels * outH * outW];
		for (int c = 0; c < channels; c++) {
			final int plane = c * inH * inW;
			for (int oy = 0; oy < outH; oy++) {
				final int r0 = plane + y0[oy] * inW, r1 = plane + y1[oy] * inW;
				for (int ox = 0; ox < outW; ox++) {
					final float top = src[r0 + x0[ox]] * wx0[ox] + src[r0 + x1[ox]] * wx1[ox];
					final float bottom = src[r1 + x0[ox]] * wx0[ox] + src[r1 + x1[ox]] * wx1[ox];
					out[(c * outH + oy) * outW + ox] = top * wy0[oy] + bottom * wy1[oy];
				}
			}
		}
		return out;
	}

	private static void linearTaps(final int in, final int out, final int[] i0, final int[] i1, final float[] w0, final float[] w1) {
		final float scale = (float) in / (float) out;
		for (int o = 0; o < out; o++) {
			final double real = Math.max(0.0, (double) scale * (o + 0.5) - 0.5);
			final int index = (int) real;
			i0[o] = index;
			i1[o] = index < in - 1 ? index + 1 : index;
			final float lambda1 = (float) (real - index);
			w1[o] = lambda1;
			w0[o] = 1f - lambda1;
		}
	}
}
