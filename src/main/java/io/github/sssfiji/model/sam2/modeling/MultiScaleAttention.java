package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.LinearLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * Hiera's {@code MultiScaleAttention}: fused qkv projection, optional 2x2 max pooling of the queries
 * (stage transitions), softmax attention with scale 1/sqrt(head_dim), output projection. Input and
 * output are channels-last (B, H, W, C).
 */
final class MultiScaleAttention extends Sam2Block {

	private final int dimOut;
	private final int heads;
	private final int[] qStride;
	private final LinearLayer qkv;
	private final LinearLayer proj;

	MultiScaleAttention(final int dim, final int dimOut, final int heads, final int[] qStride) {
		this.dimOut = dimOut;
		this.heads = heads;
		this.qStride = qStride;
		this.qkv = child("qkv", new LinearLayer(dim, 3L * dimOut));
		this.proj = child("proj", new LinearLayer(dimOut, dimOut));
	}

	NDArray apply(final ParameterStore store, final NDArray x, final boolean training) {
		final Shape s = x.getShape();
		final long b = s.get(0);
		long h = s.get(1), w = s.get(2);
		final int headDim = dimOut / heads;
		final NDArray qkvOut = qkv.apply(store, x, training).reshape(b, h * w, 3, heads, headDim);
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
		return proj.apply(store, out.transpose(0, 2, 1, 3).reshape(b, h, w, -1), training);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(apply(store, inputs.head(), training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape s = inputShapes[0];
		final long h = qStride == null ? s.get(1) : s.get(1) / qStride[0];
		final long w = qStride == null ? s.get(2) : s.get(2) / qStride[1];
		return new Shape[] { new Shape(s.get(0), h, w, dimOut) };
	}
}
