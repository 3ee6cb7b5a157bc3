package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.LayerNormLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Mlp;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * SAM's {@code TwoWayTransformer}: prompt tokens and image tokens attend to each other in
 * {@code depth} blocks (token self-attention, token-to-image, ReLU MLP, image-to-token), then a final
 * token-to-image attention. Post-norm LayerNorms with eps 1e-5.
 */
final class TwoWayTransformer extends Sam2Block {

	private static final float EPS = 1e-5f;

	private final int embeddingDim;
	private final List<Layer> layers = new ArrayList<>();
	private final TokenAttention finalAttn;
	private final LayerNormLayer normFinal;

	TwoWayTransformer(final int depth, final int embeddingDim, final int heads, final int mlpDim, final int downsample) {
		this.embeddingDim = embeddingDim;
		for (int i = 0; i < depth; i++) layers.add(child("layers." + i, new Layer(embeddingDim, heads, mlpDim, downsample, i == 0)));
		this.finalAttn = child("final_attn_token_to_image", new TokenAttention(embeddingDim, heads, downsample, embeddingDim));
		this.normFinal = child("norm_final_attn", new LayerNormLayer(embeddingDim, EPS));
	}

	/** Returns (queries (B, N, C), keys (B, HW, C)) for an image (B, C, H, W), its PE and the tokens. */
	NDList apply(final ParameterStore store, final NDArray image, final NDArray imagePe, final NDArray tokens, final boolean training) {
		final Shape s = image.getShape();
		final NDArray imageTokens = image.reshape(s.get(0), s.get(1), -1).transpose(0, 2, 1);
		final NDArray keyPe = imagePe.reshape(imagePe.getShape().get(0), s.get(1), -1).transpose(0, 2, 1);
		NDArray queries = tokens;
		NDArray keys = imageTokens;
		for (final Layer layer : layers) {
			final NDList out = layer.apply(store, queries, keys, tokens, keyPe, training);
			queries = out.get(0);
			keys = out.get(1);
		}
		final NDArray attn = finalAttn.apply(store, queries.add(tokens), keys.add(keyPe), keys, training);
		return new NDList(normFinal.apply(store, queries.add(attn), training), keys);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return apply(store, inputs.get(0), inputs.get(1), inputs.get(2), training);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape img = inputShapes[0];
		return new Shape[] { inputShapes[2], new Shape(img.get(0), img.get(2) * img.get(3), embeddingDim) };
	}

	/** {@code TwoWayAttentionBlock}. */
	static final class Layer extends Sam2Block {
		private final boolean skipFirstLayerPe;
		private final TokenAttention selfAttn;
		private final LayerNormLayer norm1;
		private final TokenAttention tokenToImage;
		private final LayerNormLayer norm2;
		private final Mlp mlp;
		private final LayerNormLayer norm3;
		private final LayerNormLayer norm4;
		private final TokenAttention imageToToken;

		Layer(final int dim, final int heads, final int mlpDim, final int downsample, final boolean skipFirstLayerPe) {
			this.skipFirstLayerPe = skipFirstLayerPe;
			this.selfAttn = child("self_attn", new TokenAttention(dim, heads, 1, dim));
			this.norm1 = child("norm1", new LayerNormLayer(dim, EPS));
			this.tokenToImage = child("cross_attn_token_to_image", new TokenAttention(dim, heads, downsample, dim));
			this.norm2 = child("norm2", new LayerNormLayer(dim, EPS));
			this.mlp = child("mlp", new Mlp(dim, mlpDim, dim, 2, Mlp.relu(), false));
			this.norm3 = child("norm3", new LayerNormLayer(dim, EPS));
			this.norm4 = child("norm4", new LayerNormLayer(dim, EPS));
			this.imageToToken = child("cross_attn_image_to_token", new TokenAttention(dim, heads, downsample, dim));
		}

		NDList apply(final ParameterStore store, final NDArray queriesIn, final NDArray keysIn, final NDArray queryPe,
			final NDArray keyPe, final boolean training)
		{
			NDArray queries;
			if (skipFirstLayerPe) queries = selfAttn.apply(store, queriesIn, queriesIn, queriesIn, training);
			else {
				final NDArray q = queriesIn.add(queryPe);
				queries = queriesIn.add(selfAttn.apply(store, q, q, queriesIn, training));
			}
			queries = norm1.apply(store, queries, training);
			NDArray q = queries.add(queryPe);
			NDArray k = keysIn.add(keyPe);
			queries = norm2.apply(store, queries.add(tokenToImage.apply(store, q, k, keysIn, training)), training);
			queries = norm3.apply(store, queries.add(mlp.apply(store, queries, training)), training);
			q = queries.add(queryPe);
			k = keysIn.add(keyPe);
			final NDArray keys = norm4.apply(store, keysIn.add(imageToToken.apply(store, k, q, queries, training)), training);
			return new NDList(queries, keys);
		}

		@Override
		protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
			final PairList<String, Object> params)
		{
			return apply(store, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), training);
		}

		@Override
		public Shape[] getOutputShapes(final Shape[] inputShapes) {
			return new Shape[] { inputShapes[0], inputShapes[1] };
		}
	}
}
