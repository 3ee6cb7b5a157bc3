package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.LayerNormLayer;
import io.github.sssfiji.model.sam2.modeling.layers.LinearLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;
import io.github.sssfiji.nn.Ops;

/**
 * SAM 2's {@code MemoryAttention} with the v1 layer configuration: the current frame's tokens plus
 * 0.1 x their position encoding pass 4 pre-norm layers of RoPE self-attention, RoPE cross-attention
 * to the memory (keys + memory pos; object-pointer tokens excluded from RoPE) and a ReLU MLP, then a
 * final LayerNorm. Batch-first: tokens (B, N, C), memory (B, Nmem, m). Dropout 0.1 in training only.
 */
public final class MemoryAttention extends Sam2Block {

	static final int LAYERS = 4;
	static final float DROPOUT = 0.1f;
	static final float ROPE_THETA = 10000f;

	private final List<Layer> layers = new ArrayList<>();
	private final LayerNormLayer norm;

	public MemoryAttention(final Sam2Config config) {
		final int d = config.dModel();
		for (int i = 0; i < LAYERS; i++) layers.add(child("layers." + i, new Layer(d, config.memDim(), config.memoryFeedForward())));
		this.norm = child("norm", new LayerNormLayer(d, 1e-5f));
	}

	/**
	 * Conditions the current tokens (B, HW, d) with position (B, HW, d) on the memory (B, Nmem, m)
	 * with position (B, Nmem, m), whose last {@code numObjPtrTokens} entries are object pointers.
	 */
	public NDArray apply(final ParameterStore store, final NDArray curr, final NDArray currPos, final NDArray memory,
		final NDArray memoryPos, final int numObjPtrTokens, final boolean training)
	{
		NDArray x = curr.add(Ops.mul(currPos, 0.1f));
		for (final Layer layer : layers) x = layer.apply(store, x, memory, memoryPos, numObjPtrTokens, training);
		return norm.apply(store, x, training);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(apply(store, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), 0, training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		return new Shape[] { inputShapes[0] };
	}

	/** {@code MemoryAttentionLayer} (pos_enc_at_attn false, keys with pos, queries without). */
	static final class Layer extends Sam2Block {
		private final RoPEAttention selfAttn;
		private final RoPEAttention crossAttn;
		private final LinearLayer linear1;
		private final LinearLayer linear2;
		private final LayerNormLayer norm1;
		private final LayerNormLayer norm2;
		private final LayerNormLayer norm3;

		Layer(final int d, final int memDim, final int feedForward) {
			this.selfAttn = child("self_attn", new RoPEAttention(d, 1, d, ROPE_THETA, DROPOUT, false));
			this.crossAttn = child("cross_attn_image", new RoPEAttention(d, 1, memDim, ROPE_THETA, DROPOUT, true));
			this.linear1 = child("linear1", new LinearLayer(d, feedForward));
			this.linear2 = child("linear2", new LinearLayer(feedForward, d));
			this.norm1 = child("norm1", new LayerNormLayer(d, 1e-5f));
			this.norm2 = child("norm2", new LayerNormLayer(d, 1e-5f));
			this.norm3 = child("norm3", new LayerNormLayer(d, 1e-5f));
		}

		NDArray apply(final ParameterStore store, final NDArray tgt, final NDArray memory, final NDArray memoryPos,
			final int numObjPtrTokens, final boolean training)
		{
			NDArray t2 = norm1.apply(store, tgt, training);
			NDArray x = tgt.add(drop(selfAttn.apply(store, t2, t2, t2, 0, training), training));
			t2 = norm2.apply(store, x, training);
			x = x.add(drop(crossAttn.apply(store, t2, memory.add(memoryPos), memory, numObjPtrTokens, training), training));
			t2 = norm3.apply(store, x, training);
			t2 = linear2.apply(store, drop(Activation.relu(linear1.apply(store, t2, training)), training), training);
			return x.add(drop(t2, training));
		}

		private static NDArray drop(final NDArray x, final boolean training) {
			return training ? Dropout.dropout(x, DROPOUT, true).head() : x;
		}

		@Override
		protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
			final PairList<String, Object> params)
		{
			return new NDList(apply(store, inputs.get(0), inputs.get(1), inputs.get(2), 0, training));
		}

		@Override
		public Shape[] getOutputShapes(final Shape[] inputShapes) {
			return new Shape[] { inputShapes[0] };
		}
	}
}
