package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.nn.Linear;
import io.github.sssfiji.nn.ModelState;

/**
 * Hiera's {@code MultiScaleAttention}: fused qkv projection, optional 2x2 max pooling of the queries
 * (stage transitions), softmax attention with scale 1/sqrt(head_dim), output projection. Input and
 * output are channels-last (B, H, W, C).
 */
final class MultiScaleAttention {

	private final int dimOut;
	private final int heads;
	private final int[] qStride;
	private final Linear qkv;
	private final Linear proj;

	MultiScaleAttention(final ModelState state, final int dim, final int dimOut, final int heads, final int[] qStride) {
		this.dimOut = dimOut;
		this.heads = heads;
		this.qStride = qStride;
		this.qkv = Linear.create(state, "qkv", dim, 3L * dimOut, true, Sam2Init.WEIGHT);
		this.proj = Linear.create(state, "proj", dimOut, dimOut, true, Sam2Init.WEIGHT);
	}

	NDArray forward(final NDArray x) {
		final Shape s = x.getShape();
		final long b = s.get(0);
		long h = s.get(1), w = s.get(2);
		final int headDim = dimOut / heads;
		final NDArray qkvOut = qkv.forward(x).reshape(b, h * w, 3, heads, headDim);
		NDArray q = qkvOut.get(":, :, 0");
		final NDArray k = qkvOut.get(":, :, 1");
		final NDArray v = qkvOut.get(":, :, 2");
		if (qStride != null) {
			q = WindowOps.maxPoolChannelsLast(q.reshape(b, h, w, -1), qStride);
			h = q.getShape().get(1);
			w = q.getShape().get(2);
			q = q.reshape(b, h * w, heads, headDim);
		}
		final NDArray out = Attention.softmaxAttention(q.transpose(0, 2, 1, 3), k.transpose(0, 2, 1, 3), v.transpose(0, 2, 1, 3));
		return proj.forward(out.transpose(0, 2, 1, 3).reshape(b, h, w, -1));
	}
}
