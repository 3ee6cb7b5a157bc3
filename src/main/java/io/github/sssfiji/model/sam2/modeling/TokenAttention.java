package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.nn.Linear;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM's {@code Attention(embedding_dim, num_heads, downsample_rate, kv_in_dim)} on token sequences
 * (B, N, C): q/k/v projections to an internal width of embedding_dim / downsample_rate, multi-head
 * softmax attention, output projection. Dropout is not applied (the mask decoder uses none).
 */
final class TokenAttention {

	private final int heads;
	private final int embeddingDim;
	private final Linear qProj;
	private final Linear kProj;
	private final Linear vProj;
	private final Linear outProj;

	TokenAttention(final ModelState state, final int embeddingDim, final int heads, final int downsampleRate, final int kvInDim) {
		this.heads = heads;
		this.embeddingDim = embeddingDim;
		final int internal = embeddingDim / downsampleRate;
		if (internal % heads != 0) throw new IllegalArgumentException("heads " + heads + " must divide " + internal);
		this.qProj = Linear.create(state, "q_proj", embeddingDim, internal, true, Sam2Init.WEIGHT);
		this.kProj = Linear.create(state, "k_proj", kvInDim, internal, true, Sam2Init.WEIGHT);
		this.vProj = Linear.create(state, "v_proj", kvInDim, internal, true, Sam2Init.WEIGHT);
		this.outProj = Linear.create(state, "out_proj", internal, embeddingDim, true, Sam2Init.WEIGHT);
	}

	NDArray forward(final NDArray q, final NDArray k, final NDArray v) {
		final NDArray qh = separate(qProj.forward(q));
		final NDArray kh = separate(kProj.forward(k));
		final NDArray vh = separate(vProj.forward(v));
		final NDArray out = Attention.softmaxAttention(qh, kh, vh);
		final Shape s = out.getShape();
		return outProj.forward(out.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3)));
	}

	private NDArray separate(final NDArray x) {
		final Shape s = x.getShape();
		return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
	}
}
