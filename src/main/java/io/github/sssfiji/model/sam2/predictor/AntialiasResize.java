package io.github.sssfiji.model.sam2.predictor;

/**
 * {@code F.interpolate(x, size, mode="bilinear", align_corners=False, antialias=True)} on (C, H, W)
 * float32 data, as torch's CPU kernel computes it: per output index a triangle filter whose support
 * grows with the downscaling factor, weights normalised to sum 1, a horizontal pass then a vertical
 * pass, each accumulated in float32 from the first tap. SAM 2 uses it to bring a mask to the
 * low-resolution size ({@code _use_mask_as_output}, {@code add_new_mask}).
 */
public final class AntialiasResize {

	private AntialiasResize() {}

	/** Resizes {@code channels} planes of {@code inH x inW} to {@code outH x outW}. */
	public static float[] bilinear(final float[] src, final int channels, final int inH, final int inW, final int outH, final int outW) {
		if (src.length != channels * inH * inW) throw new IllegalArgumentException("source has " + src.length + " values");
		if (outH < 1 || outW < 1) throw new IllegalArgumentException("output size must be positive");
		final Taps x = Taps.of(inW, outW);
		final Taps y = Taps.of(inH, outH);
		final float[] horizontal = new float[channels * inH * outW];
		for (int row = 0; row < channels * inH; row++) {
			final int base = row * inW;
			for (int o = 0; o < outW; o++) horizontal[row * outW + o] = x.apply(src, base, 1, o);
		}
		final float[] out = new float[channels * outH * outW];
		for (int c = 0; c < channels; c++) {
			final int plane = c * inH * outW;
			for (int o = 0; o < outH; o++)
				for (int col = 0; col < outW; col++) out[(c * outH + o) * outW + col] = y.apply(horizontal, plane + col, outW, o);
		}
		return out;
	}

	/** {@code _compute_indices_min_size_weights_aa} for every output index of one axis. */
	private static final class Taps {
		final int[] min;
		final int[] size;
		final float[][] weights;

		private Taps(final int out) {
			min = new int[out];
			size = new int[out];
			weights = new float[out][];
		}

		static Taps of(final int in, final int out) {
			final Taps t = new Taps(out);
			final float scale = (float) in / (float) out;
			final float support = scale >= 1f ? 1f * scale : 1f; // interp_size / 2 = 1 for bilinear
			final float invScale = scale >= 1f ? 1f / scale : 1f;
			for (int i = 0; i < out; i++) {
				final float center = (float) (scale * (i + 0.5));
				final int xmin = Math.max((int) (center - support + 0.5), 0);
				final int xsize = Math.min((int) (center + support + 0.5), in) - xmin;
				final float[] w = new float[Math.max(xsize, 0)];
				float total = 0f;
				for (int j = 0; j < w.length; j++) {
					w[j] = triangle((float) (((j + xmin) - center + 0.5) * invScale));
					total += w[j];
				}
				if (total != 0f) for (int j = 0; j < w.length; j++) w[j] /= total;
				t.min[i] = xmin;
				t.size[i] = w.length;
				t.weights[i] = w;
			}
			return t;
		}

		float apply(final float[] data, final int base, final int stride, final int o) {
			final float[] w = weights[o];
			int at = base + min[o] * stride;
			float acc = data[at] * w[0];
			for (int j = 1; j < size[o]; j++) {
				at += stride;
				acc += data[at] * w[j];
			}
			return acc;
		}

		private static float triangle(final float x) {
			final float a = Math.abs(x);
			return a < 1f ? 1f - a : 0f;
		}
	}
}
