package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.nn.LayerNorm;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM's {@code TwoWayTransformer}: prompt tokens and image tokens attend to each other in
 * {@code depth} blocks (token self-attention, token-to-image, ReLU MLP, image-to-token), then a final
 * token-to-image attention. Post-norm LayerNorms with eps 1e-5.
 */
final class TwoWayTransformer {

	private static final float EPS = 1e-5f;

	private final int embeddingDim;
	private final List<Layer> layers = new ArrayList<>();
	private final TokenAttention finalAttn;
	private final LayerNorm normFinal;

	TwoWayTransformer(final ModelState state, final int depth, final int embeddingDim, final int heads, final int mlpDim, final int downsample) {
		this.embeddingDim = embeddingDim;
		for (int i = 0; i < depth; i++) layers.add(new Layer(state.scope("layers." + i), embeddingDim, heads, mlpDim, downsample, i == 0));
		this.finalAttn = new TokenAttention(state.scope("final_attn_token_to_image"), embeddingDim, heads, downsample, embeddingDim);
		this.normFinal = LayerNorm.create(state, "norm_final_attn", embeddingDim, EPS);
	}

	/** Returns (queries (B, N, C), keys (B, HW, C)) for an image (B, C, H, W), its PE and the tokens. */
	NDList forward(final NDArray image, final NDArray imagePe, final NDArray tokens) {
		final Shape s = image.getShape();
		final NDArray imageTokens = image.reshape(s.get(0), s.get(1), -1).transpose(0, 2, 1);
		final NDArray keyPe = imagePe.reshape(imagePe.getShape().get(0), s.get(1), -1).transpose(0, 2, 1);
		NDArray queries = tokens;
		NDArray keys = imageTokens;
		for (final Layer layer : layers) {
			final NDList out = layer.forward(queries, keys, tokens, keyPe);
			queries = out.get(0);
			keys = out.get(1);
		}
		final NDArray attn = finalAttn.forward(queries.add(tokens), keys.add(keyPe), keys);
		return new NDList(normFinal.forward(queries.add(attn)), keys);
	}

	/** {@code TwoWayAttentionBlock}. */
	static final class Layer {
		private final boolean skipFirstLayerPe;
		private final TokenAttention selfAttn;
		private final LayerNorm norm1;
		private final TokenAttention tokenToImage;
		private final LayerNorm norm2;
		private final Mlp mlp;
		private final LayerNorm norm3;
		private final LayerNorm norm4;
		private final TokenAttention imageToToken;

		Layer(final ModelState state, final int dim, final int heads, final int mlpDim, final int downsample, final boolean skipFirstLayerPe) {
			this.skipFirstLayerPe = skipFirstLayerPe;
			this.selfAttn = new TokenAttention(state.scope("self_attn"), dim, heads, 1, dim);
			this.norm1 = LayerNorm.create(state, "norm1", dim, EPS);
			this.tokenToImage = new TokenAttention(state.scope("cross_attn_token_to_image"), dim, heads, downsample, dim);
			this.norm2 = LayerNorm.create(state, "norm2", dim, EPS);
			this.mlp = new Mlp(state.scope("mlp"), dim, mlpDim, dim, 2, Mlp.relu(), false);
			this.norm3 = LayerNorm.create(state, "norm3", dim, EPS);
			this.norm4 = LayerNorm.create(state, "norm4", dim, EPS);
			this.imageToToken = new TokenAttention(state.scope("cross_attn_image_to_token"), dim, heads, downsample, dim);
		}

		NDList forward(final NDArray queriesIn, final NDArray keysIn, final NDArray queryPe,
			final NDArray keyPe)
		{
			NDArray queries;
			if (skipFirstLayerPe) queries = selfAttn.forward(queriesIn, queriesIn, queriesIn);
			else {
				final NDArray q = queriesIn.add(queryPe);
				queries = queriesIn.add(selfAttn.forward(q, q, queriesIn));
			}
			queries = norm1.forward(queries);
			NDArray q = queries.add(queryPe);
			NDArray k = keysIn.add(keyPe);
			queries = norm2.forward(queries.add(tokenToImage.forward(q, k, keysIn)));
			queries = norm3.forward(queries.add(mlp.forward(queries)));
			q = queries.add(queryPe);
			k = keysIn.add(keyPe);
			final NDArray keys = norm4.forward(keysIn.add(imageToToken.forward(k, q, queries)));
			return new NDList(queries, keys);
		}
	}
}
