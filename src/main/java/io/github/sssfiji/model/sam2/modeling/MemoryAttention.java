package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import io.github.sssfiji.nn.LayerNorm;
import io.github.sssfiji.nn.Linear;
import io.github.sssfiji.nn.Ops;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM 2's {@code MemoryAttention} with the v1 layer configuration: the current frame's tokens plus
 * 0.1 x their position encoding pass 4 pre-norm layers of RoPE self-attention, RoPE cross-attention
 * to the memory (keys + memory pos; object-pointer tokens excluded from RoPE) and a ReLU MLP, then a
 * final LayerNorm. Batch-first: tokens (B, N, C), memory (B, Nmem, m). Dropout 0.1 in training only.
 */
public final class MemoryAttention {

	static final int LAYERS = 4;
	static final float DROPOUT = 0.1f;
	static final float ROPE_THETA = 10000f;

	private final List<Layer> layers = new ArrayList<>();
	private final LayerNorm norm;

	MemoryAttention(final ModelState state, final Sam2Config config) {
		final int d = config.dModel();
		for (int i = 0; i < LAYERS; i++) layers.add(new Layer(state.scope("layers." + i), d, config.memDim(), config.memoryFeedForward()));
		this.norm = LayerNorm.create(state, "norm", d, 1e-5f);
	}

	/**
	 * Conditions the current tokens (B, HW, d) with position (B, HW, d) on the memory (B, Nmem, m)
	 * with position (B, Nmem, m), whose last {@code numObjPtrTokens} entries are object pointers.
	 */
	public NDArray forward(final NDArray curr, final NDArray currPos, final NDArray memory,
		final NDArray memoryPos, final int numObjPtrTokens, final boolean training)
	{
		NDArray x = curr.add(Ops.mul(currPos, 0.1f));
		for (final Layer layer : layers) x = layer.forward(x, memory, memoryPos, numObjPtrTokens, training);
		return norm.forward(x);
	}

	/** {@code MemoryAttentionLayer} (pos_enc_at_attn false, keys with pos, queries without). */
	static final class Layer {
		private final RoPEAttention selfAttn;
		private final RoPEAttention crossAttn;
		private final Linear linear1;
		private final Linear linear2;
		private final LayerNorm norm1;
		private final LayerNorm norm2;
		private final LayerNorm norm3;

		Layer(final ModelState state, final int d, final int memDim, final int feedForward) {
			this.selfAttn = new RoPEAttention(state.scope("self_attn"), d, 1, d, ROPE_THETA, DROPOUT, false);
			this.crossAttn = new RoPEAttention(state.scope("cross_attn_image"), d, 1, memDim, ROPE_THETA, DROPOUT, true);
			this.linear1 = Linear.create(state, "linear1", d, feedForward, true, Sam2Init.WEIGHT);
			this.linear2 = Linear.create(state, "linear2", feedForward, d, true, Sam2Init.WEIGHT);
			this.norm1 = LayerNorm.create(state, "norm1", d, 1e-5f);
			this.norm2 = LayerNorm.create(state, "norm2", d, 1e-5f);
			this.norm3 = LayerNorm.create(state, "norm3", d, 1e-5f);
		}

		NDArray forward(final NDArray tgt, final NDArray memory, final NDArray memoryPos,
			final int numObjPtrTokens, final boolean training)
		{
			NDArray t2 = norm1.forward(tgt);
			NDArray x = tgt.add(drop(selfAttn.forward(t2, t2, t2, 0, training), training));
			t2 = norm2.forward(x);
			x = x.add(drop(crossAttn.forward(t2, memory.add(memoryPos), memory, numObjPtrTokens, training), training));
			t2 = norm3.forward(x);
			t2 = linear2.forward(drop(Activation.relu(linear1.forward(t2)), training));
			return x.add(drop(t2, training));
		}

		private static NDArray drop(final NDArray x, final boolean training) {
			return training ? Dropout.dropout(x, DROPOUT, true).head() : x;
		}
	}
}
