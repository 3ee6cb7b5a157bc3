package io.github.sssfiji.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Every resize SSS's networks and predictors use, each the function of its PyTorch counterpart as
 * torch's CPU kernels compute it (DJL's own interpolation always antialiases and cannot align corners):
 * <ul>
 * <li>{@link #bilinear}: {@code F.interpolate(x, size, mode="bilinear", align_corners=False,
 * antialias=A)} on float32 (C, H, W) data: SAM 2's image transform, its mask post-processing and its
 * mask-to-low-resolution step;</li>
 * <li>{@link #bicubic} and {@link #bicubicMatrix}: {@code mode="bicubic", align_corners=False}, Hiera's
 * position-embedding resize (as a matrix product, so that it keeps gradients);</li>
 * <li>{@link #bilinear2xAlignCorners}: the U-Net's {@code scale_factor=2, align_corners=True} upsampling
 * on tensors, with gradients.</li>
 * </ul>
 * The slice geometry of training and prediction (crops, scales, the ACDC protocol's resize to the
 * training size) is an affine warp, {@code sss.augment.SliceWarp}, not one of these.
 */
public final class Resize {

	private static final float A = -0.75f;

	private Resize() {}

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
		if (!antialias) return plainBilinear(src, channels, inH, inW, outH, outW);
		// torch's separable antialiased kernel: the last (contiguous) axis first, then the rows
		final AntialiasTaps columns = AntialiasTaps.of(inW, outW);
		final AntialiasTaps rows = AntialiasTaps.of(inH, outH);
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

	/**
	 * {@code F.interpolate(masks, (outH, outW), mode="bilinear", align_corners=False)} on (C, inH, inW)
	 * float32 data, as torch's CPU kernel computes it: scale {@code float(in)/float(out)}, source
	 * coordinate {@code scale*(dst+0.5)-0.5} in double and clamped at 0, float32 weights
	 * {@code lambda1 = src - floor(src)}, {@code lambda0 = 1 - lambda1}, a float32 blend along x, then y.
	 */
	private static float[] plainBilinear(final float[] src, final int channels, final int inH, final int inW, final int outH,
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

	/**
	 * {@code F.interpolate(x, size, mode="bicubic", align_corners=False)} on float32 (C, H, W) data,
	 * reproduced step by step: scale {@code in/out} in float32, source coordinate
	 * {@code scale*(dst+0.5)-0.5} (not clamped), Keys cubic weights with A = -0.75, border taps clamped,
	 * rows of the 4x4 neighbourhood summed first along x, then along y.
	 */
	public static float[] bicubic(final float[] src, final int channels, final int inH, final int inW, final int outH, final int outW) {
		if (src.length != channels * inH * inW) throw new IllegalArgumentException("source has " + src.length + " values");
		final int[] yIdx = new int[outH * 4];
		final float[] yW = new float[outH * 4];
		cubicTaps(inH, outH, yIdx, yW);
		final int[] xIdx = new int[outW * 4];
		final float[] xW = new float[outW * 4];
		cubicTaps(inW, outW, xIdx, xW);
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
	 * {@link #bicubic} up to float32 summation order and stays differentiable in DJL. Clamped border
	 * taps add their weights to the edge sample.
	 */
	public static float[] bicubicMatrix(final int in, final int out) {
		final int[] index = new int[out * 4];
		final float[] weight = new float[out * 4];
		cubicTaps(in, out, index, weight);
		final float[] m = new float[out * in];
		for (int o = 0; o < out; o++)
			for (int j = 0; j < 4; j++) m[o * in + index[o * 4 + j]] += weight[o * 4 + j];
		return m;
	}

	/**
	 * {@code F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)} as two matrix
	 * products with the interpolation matrices of the two axes: {@code A_h x A_w^T}.
	 * <p>
	 * libtorch's own kernel is not reachable: DJL's JNI interpolation always passes
	 * {@code align_corners=False} (its boolean argument is the anti-alias flag), and UniMatch's
	 * U-Net needs {@code align_corners=True}. The products, forward and backward, took about a third
	 * of the time of the former index gathers (whose backward scatters) on the U-Net's levels.
	 * </p>
	 */
	public static NDArray bilinear2xAlignCorners(final NDArray x) {
		final Shape shape = x.getShape();
		final NDManager manager = x.getManager();
		// not closed here: the backward pass reads the matrices; they belong to x's manager, the
		// step's, and go with it
		final NDArray rows = interpolationMatrix(manager, shape.get(2));
		final NDArray columns = shape.get(3) == shape.get(2) ? rows : interpolationMatrix(manager, shape.get(3));
		return rows.matMul(x.matMul(columns.transpose()));
	}

	/** The (2 size) x size matrix of linear interpolation with aligned corners. */
	private static NDArray interpolationMatrix(final NDManager manager, final long size) {
		final int in = Math.toIntExact(size), out = 2 * in;
		final float[] weights = new float[out * in];
		final double scale = in == 1 ? 0 : (in - 1) / (double) (out - 1);
		for (int i = 0; i < out; i++) {
			final double source = i * scale;
			final int lower = (int) Math.floor(source), upper = Math.min(lower + 1, in - 1);
			final float fraction = (float) (source - lower);
			weights[i * in + lower] += 1 - fraction;
			weights[i * in + upper] += fraction;
		}
		return manager.create(weights, new Shape(out, in));
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

	private static void cubicTaps(final int in, final int out, final int[] index, final float[] weight) {
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

	/** Source index range and normalised triangle-filter weights per output index. */
	private static final class AntialiasTaps {

		final int[] first;
		final int[] count;
		final float[] weights;
		final int stride;

		private AntialiasTaps(final int outputs, final int stride) {
			this.first = new int[outputs];
			this.count = new int[outputs];
			this.weights = new float[outputs * stride];
			this.stride = stride;
		}

		/**
		 * {@code _compute_indices_weights_aa} of torch's {@code UpSampleKernel.cpp} for the linear
		 * filter, keeping its mix of float ({@code scalar_t}) and double (literals such as 0.5) steps.
		 */
		static AntialiasTaps of(final int input, final int output) {
			final float scale = (float) input / (float) output;
			final float support = scale >= 1.0 ? (float) (1.0 * scale) : 1.0f;
			final float invscale = scale >= 1.0 ? (float) (1.0 / scale) : 1.0f;
			final int stride = (int) Math.ceil(support) * 2 + 1;
			final AntialiasTaps t = new AntialiasTaps(output, stride);
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
