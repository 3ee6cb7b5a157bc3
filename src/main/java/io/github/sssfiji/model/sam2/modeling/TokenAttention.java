package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.LinearLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * SAM's {@code Attention(embedding_dim, num_heads, downsample_rate, kv_in_dim)} on token sequences
 * (B, N, C): q/k/v projections to an internal width of embedding_dim / downsample_rate, multi-head
 * softmax attention, output projection. Dropout is not applied (the mask decoder uses none).
 */
final class TokenAttention extends Sam2Block {

	private final int heads;
	private final int embeddingDim;
	private final LinearLayer qProj;
	private final LinearLayer kProj;
	private final LinearLayer vProj;
	private final LinearLayer outProj;

	TokenAttention(final int embeddingDim, final int heads, final int downsampleRate, final int kvInDim) {
		this.heads = heads;
		this.embeddingDim = embeddingDim;
		final int internal = embeddingDim / downsampleRate;
		if (internal % heads != 0) throw new IllegalArgumentException("heads " + heads + " must divide " + internal);
		this.qProj = child("q_proj", new LinearLayer(embeddingDim, internal));
		this.kProj = child("k_proj", new LinearLayer(kvInDim, internal));
		this.vProj = child("v_proj", new LinearLayer(kvInDim, internal));
		this.outProj = child("out_proj", new LinearLayer(internal, embeddingDim));
	}

	NDArray apply(final ParameterStore store, final NDArray q, final NDArray k, final NDArray v, final boolean training) {
		final NDArray qh = separate(qProj.apply(store, q, training));
		final NDArray kh = separate(kProj.apply(store, k, training));
		final NDArray vh = separate(vProj.apply(store, v, training));
		final NDArray out = Attention.softmaxAttention(qh, kh, vh);
		final Shape s = out.getShape();
		return outProj.apply(store, out.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3)), training);
	}

	private NDArray separate(final NDArray x) {
		final Shape s = x.getShape();
		return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(apply(store, inputs.get(0), inputs.get(1), inputs.get(2), training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape q = inputShapes[0];
		return new Shape[] { new Shape(q.get(0), q.get(1), embeddingDim) };
	}
}
