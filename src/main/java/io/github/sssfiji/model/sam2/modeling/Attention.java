package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;

import io.github.sssfiji.nn.Ops;

/** Scaled dot-product attention as SAM 2's reference computes it. */
final class Attention {

	private Attention() {}

	/**
	 * {@code softmax((q @ k^T) * (1/sqrt(d))) @ v} on (..., N, d) arrays: the scale is applied to the
	 * logits, not to q, as in the math formula of {@code F.scaled_dot_product_attention}.
	 */
	static NDArray softmaxAttention(final NDArray q, final NDArray k, final NDArray v) {
		final long d = q.getShape().tail();
		final int rank = k.getShape().dimension();
		final int[] axes = new int[rank];
		for (int i = 0; i < rank; i++) axes[i] = i;
		axes[rank - 2] = rank - 1;
		axes[rank - 1] = rank - 2;
		final float scale = (float) (1.0 / Math.sqrt(d));
		// the N x N intermediates are closed as soon as they are used (autograd keeps what backward needs),
		// so no more than two of them are alive at once
		final NDArray logits = q.matMul(k.transpose(axes));
		final NDArray scaled = Ops.mul(logits, scale);
		logits.close();
		final NDArray weights = scaled.softmax(-1);
		scaled.close();
		final NDArray out = weights.matMul(v);
		weights.close();
		return out;
	}
}
