package io.github.sssfiji.model.sam2.predictor;

/**
 * The {@code Resize((S, S))} step of {@code SAM2Transforms} on a float image in [0, 1]: torchvision
 * runs {@code F.interpolate(x, (S, S), mode="bilinear", align_corners=False, antialias=A)} on the
 * tensor. {@code A} is true from torchvision 0.17 on, which the official {@code sam2} package needs
 * ({@code torchvision>=0.18.1}); torchvision up to 0.16 resized tensors without antialiasing. Both are
 * reproduced here with PyTorch's CPU float rounding, in plain Java (DJL's interpolation always
 * antialiases).
 */
public final class Sam2Resize {

	private Sam2Resize() {}

	/**
	 * Resizes {@code channels} planes of {@code inH x inW} float32 values (C order) to
	 * {@code outH x outW}; bilinear, align_corners=False, with or without antialiasing.
	 */
	public static float[] bilinear(final float[] src, final int channels, final int inH, final int inW, final int outH, final int outW,
		final boolean antialias)
	{
		if (inH < 1 || inW < 1 || outH < 1 || outW < 1) throw new IllegalArgumentException("sizes must be positive");
		if (src.length != (long) channels * inH * inW)
			throw new IllegalArgumentException("source has " + src.length + " values, expected " + channels + "x" + inH + "x" + inW);
		if (!antialias) return Sam2Postprocess.upsampleBilinear(src, channels, inH, inW, outH, outW);
		// torch's separable antialiased kernel: the last (contiguous) axis first, then the rows
		final Taps columns = Taps.antialiased(inW, outW);
		final Taps rows = Taps.antialiased(inH, outH);
		final float[] wide = new float[channels * inH * outW];
		for (int r = 0; r < channels * inH; r++) {
			final int in = r * inW, out = r * outW;
			for (int o = 0; o < outW; o++) {
				final int start = columns.first[o], taps = columns.count[o], w = o * columns.stride;
				float sum = src[in + start] * columns.weights[w];
				for (int j = 1; j < taps; j++)
					sum += src[in + start + j] * columns.weights[w + j];
				wide[out + o] = sum;
			}
		}
		final float[] out = new float[channels * outH * outW];
		for (int c = 0; c < channels; c++) {
			final int plane = c * inH * outW;
			for (int o = 0; o < outH; o++) {
				final int start = rows.first[o], taps = rows.count[o], w = o * rows.stride;
				final int target = (c * outH + o) * outW;
				final float w0 = rows.weights[w];
				final int base = plane + start * outW;
				for (int x = 0; x < outW; x++)
					out[target + x] = wide[base + x] * w0;
				for (int j = 1; j < taps; j++) {
					final float wj = rows.weights[w + j];
					final int row = base + j * outW;
					// same order of float additions as torch: tap 0, then tap 1, ... per output value
					for (int x = 0; x < outW; x++)
						out[target + x] += wide[row + x] * wj;
				}
			}
		}
		return out;
	}

	/** Source index range and normalised triangle-filter weights per output index. */
	private static final class Taps {

		final int[] first;
		final int[] count;
		final float[] weights;
		final int stride;

		private Taps(final int outputs, final int stride) {
			this.first = new int[outputs];
			this.count = new int[outputs];
			this.weights = new float[outputs * stride];
			this.stride = stride;
		}

		/**
		 * {@code _compute_indices_weights_aa} of torch's {@code UpSampleKernel.cpp} for the linear
		 * filter, keeping its mix of float ({@code scalar_t}) and double (literals such as 0.5) steps.
		 */
		static Taps antialiased(final int input, final int output) {
			final float scale = (float) input / (float) output;
			final float support = scale >= 1.0 ? (float) (1.0 * scale) : 1.0f;
			final float invscale = scale >= 1.0 ? (float) (1.0 / scale) : 1.0f;
			final int stride = (int) Math.ceil(support) * 2 + 1;
			final Taps t = new Taps(output, stride);
			for (int i = 0; i < output; i++) {
				final float center = (float) (scale * (i + 0.5));
				final int xmin = Math.max((int) (long) ((double) (center - support) + 0.5), 0);
				final int xsize = (int) Math.min((long) ((double) (center + support) + 0.5), input) - xmin;
				float total = 0;
				final int w = i * stride;
				for (int j = 0; j < xsize; j++) {
					final float weight = triangle((float) (((double) ((float) (j + xmin) - center) + 0.5) * invscale));
					t.weights[w + j] = weight;
					total += weight;
				}
				if (total != 0) for (int j = 0; j < xsize; j++)
					t.weights[w + j] /= total;
				t.first[i] = xmin;
				t.count[i] = xsize;
			}
			return t;
		}

		private static float triangle(final float x) {
			final float a = x < 0 ? -x : x;
			return a < 1.0 ? (float) (1.0 - a) : 0f;
		}
	}
}
