package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * SAM 2's axial rotary position encoding ({@code compute_axial_cis} / {@code apply_rotary_enc}) in
 * real arithmetic: channel pair (2j, 2j+1) of a head is rotated by {@code x * f_j} for j < dim/4 and by
 * {@code y * f_(j - dim/4)} otherwise, with {@code f_j = 1 / theta^(4j / dim)} and token t at
 * x = t mod W, y = t div W.
 */
final class RotaryEncoding {

	private RotaryEncoding() {}

	/** cos and sin tables (tokens x dim/2), float32 as torch computes them. */
	static float[][] tables(final int dim, final int endX, final int endY, final float theta) {
		final int quarter = dim / 4;
		final float[] freqs = new float[quarter];
		for (int j = 0; j < quarter; j++) freqs[j] = 1f / (float) Math.pow(theta, (float) (4 * j) / dim);
		final int n = endX * endY;
		final float[] cos = new float[n * 2 * quarter];
		final float[] sin = new float[n * 2 * quarter];
		for (int t = 0; t < n; t++) {
			final float tx = t % endX, ty = t / endX;
			for (int j = 0; j < quarter; j++) {
				final float ax = tx * freqs[j], ay = ty * freqs[j];
				cos[t * 2 * quarter + j] = (float) Math.cos(ax);
				sin[t * 2 * quarter + j] = (float) Math.sin(ax);
				cos[t * 2 * quarter + quarter + j] = (float) Math.cos(ay);
				sin[t * 2 * quarter + quarter + j] = (float) Math.sin(ay);
			}
		}
		return new float[][] { cos, sin };
	}

	/**
	 * Rotates x (B, heads, N, d). {@code cos}/{@code sin} have (n, d/2) entries; with N a multiple of
	 * n the table is repeated ({@code rope_k_repeat}).
	 */
	static NDArray apply(final NDArray x, final float[] cos, final float[] sin, final int tableTokens) {
		final Shape s = x.getShape();
		final long n = s.get(2), d = s.get(3);
		if (n % tableTokens != 0) throw new IllegalArgumentException(n + " tokens are not a multiple of the RoPE table's " + tableTokens);
		final NDManager m = x.getManager();
		NDArray c = m.create(cos, new Shape(tableTokens, d / 2));
		NDArray sn = m.create(sin, new Shape(tableTokens, d / 2));
		if (n != tableTokens) {
			c = c.tile(new long[] { n / tableTokens, 1 });
			sn = sn.tile(new long[] { n / tableTokens, 1 });
		}
		final NDArray pairs = x.reshape(s.get(0), s.get(1), n, d / 2, 2);
		final NDArray re = pairs.get("..., 0");
		final NDArray im = pairs.get("..., 1");
		final NDArray outRe = re.mul(c).sub(im.mul(sn));
		final NDArray outIm = re.mul(sn).add(im.mul(c));
		return NDArrays.stack(new NDList(outRe, outIm), -1).reshape(s);
	}
}
