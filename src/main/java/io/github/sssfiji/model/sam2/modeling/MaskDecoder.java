package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.Conv2dLayer;
import io.github.sssfiji.model.sam2.modeling.layers.ConvTranspose2x2Layer;
import io.github.sssfiji.model.sam2.modeling.layers.LayerNormLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Mlp;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * SAM 2's {@code MaskDecoder} as {@code SAM2Base._build_sam_heads} configures it: object-score,
 * IoU and 4 mask tokens in front of the prompt tokens, a two-way transformer (depth 2, MLP 2048,
 * 8 heads, attention downsample 2), upscaling by two 2x2 transposed convolutions with the
 * high-resolution features {@code conv_s1/conv_s0} added, hypernetwork MLPs per mask token, a sigmoid
 * IoU head and an object-score MLP. {@link #predict} gives all four masks; {@link Output#select}
 * applies the multimask / stability selection of the official {@code forward}.
 */
public final class MaskDecoder extends Sam2Block {

	/** Hard-coded in {@code SAM2Base._build_sam_heads}. */
	static final int TRANSFORMER_DEPTH = 2, TRANSFORMER_MLP = 2048, TRANSFORMER_HEADS = 8, ATTENTION_DOWNSAMPLE = 2;
	static final int IOU_HEAD_HIDDEN = 256, IOU_HEAD_DEPTH = 3, NUM_MASK_TOKENS = 4;

	private final int dModel;
	private final TwoWayTransformer transformer;
	private final Parameter iouToken;
	private final Parameter maskTokens;
	private final Parameter objScoreToken;
	private final ConvTranspose2x2Layer upscale0;
	private final LayerNormLayer upscaleNorm1;
	private final ConvTranspose2x2Layer upscale3;
	private final Conv2dLayer convS0;
	private final Conv2dLayer convS1;
	private final List<Mlp> hypernetworks = new ArrayList<>();
	private final Mlp iouHead;
	private final Mlp objScoreHead;

	public MaskDecoder(final Sam2Config config) {
		this.dModel = config.dModel();
		final int d = dModel;
		this.transformer = child("transformer", new TwoWayTransformer(TRANSFORMER_DEPTH, d, TRANSFORMER_HEADS, TRANSFORMER_MLP,
			ATTENTION_DOWNSAMPLE));
		this.iouToken = weight("iou_token.weight", 1, d);
		this.maskTokens = weight("mask_tokens.weight", NUM_MASK_TOKENS, d);
		this.objScoreToken = weight("obj_score_token.weight", 1, d);
		this.upscale0 = child("output_upscaling.0", new ConvTranspose2x2Layer(d, d / 4));
		this.upscaleNorm1 = child("output_upscaling.1", new LayerNormLayer(d / 4, 1e-6f));
		this.upscale3 = child("output_upscaling.3", new ConvTranspose2x2Layer(d / 4, d / 8));
		this.convS0 = child("conv_s0", new Conv2dLayer(d, d / 8, 1, 1, 0));
		this.convS1 = child("conv_s1", new Conv2dLayer(d, d / 4, 1, 1, 0));
		for (int i = 0; i < NUM_MASK_TOKENS; i++)
			hypernetworks.add(child("output_hypernetworks_mlps." + i, new Mlp(d, d, d / 8, 3, Mlp.relu(), false)));
		this.iouHead = child("iou_prediction_head", new Mlp(d, IOU_HEAD_HIDDEN, NUM_MASK_TOKENS, IOU_HEAD_DEPTH, Mlp.relu(), true));
		this.objScoreHead = child("pred_obj_score_head", new Mlp(d, d, 1, 3, Mlp.relu(), false));
	}

	/** {@code conv_s0(level0)}. */
	public NDArray highResS0(final ParameterStore store, final NDArray level0, final boolean training) {
		return convS0.apply(store, level0, training);
	}

	/** {@code conv_s1(level1)}. */
	public NDArray highResS1(final ParameterStore store, final NDArray level1, final boolean training) {
		return convS1.apply(store, level1, training);
	}

	/**
	 * {@code predict_masks} with {@code repeat_image=False}: image embedding (B, d, h, w), its dense PE
	 * (1, d, h, w), sparse prompts (B, N, d), dense prompts (B, d, h, w), high-res features
	 * {@code feat_s0} (B, d/8, 4h, 4w) and {@code feat_s1} (B, d/4, 2h, 2w).
	 */
	public Output predict(final ParameterStore store, final NDArray imageEmbedding, final NDArray imagePe, final NDArray sparse,
		final NDArray dense, final NDArray featS0, final NDArray featS1, final boolean training)
	{
		final long b = sparse.getShape().get(0);
		// one concat of the three parameters (its result would join the model's manager, so it is attached to the call's)
		final NDArray outputTokens = NDArrays.concat(new NDList(value(store, objScoreToken, sparse, training),
			value(store, iouToken, sparse, training), value(store, maskTokens, sparse, training)), 0);
		outputTokens.attach(sparse.getManager());
		final NDArray tokens = outputTokens.expandDims(0).repeat(0, b).concat(sparse, 1);
		// dense first: a cached image embedding must not become the owner of per-call results
		final NDArray src = dense.add(imageEmbedding);
		final NDArray pos = imagePe.getShape().get(0) == b ? imagePe : imagePe.repeat(0, b);
		final NDList hsSrc = transformer.apply(store, src, pos, tokens, training);
		final NDArray hs = hsSrc.get(0);
		final Shape s = src.getShape();
		final NDArray iouTokenOut = hs.get(":, 1, :");
		final NDArray maskTokensOut = hs.get(":, 2:" + (2 + NUM_MASK_TOKENS) + ", :");
		final NDArray image = hsSrc.get(1).transpose(0, 2, 1).reshape(s.get(0), s.get(1), s.get(2), s.get(3));
		NDArray up = upscale0.apply(store, image, training).add(featS1);
		up = Activation.gelu(upscaleNorm1.applyChannelsFirst(store, up, training));
		up = Activation.gelu(upscale3.apply(store, up, training).add(featS0));
		final NDList hyper = new NDList();
		for (int i = 0; i < NUM_MASK_TOKENS; i++) hyper.add(hypernetworks.get(i).apply(store, maskTokensOut.get(":, " + i + ", :"), training));
		final NDArray hyperIn = NDArrays.stack(hyper, 1);
		final Shape u = up.getShape();
		final NDArray masks = hyperIn.matMul(up.reshape(u.get(0), u.get(1), u.get(2) * u.get(3))).reshape(u.get(0), -1, u.get(2), u.get(3));
		final NDArray iou = iouHead.apply(store, iouTokenOut, training);
		final NDArray objectScore = objScoreHead.apply(store, hs.get(":, 0, :"), training);
		return new Output(masks, iou, maskTokensOut, objectScore);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		final Output o = predict(store, inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3), inputs.get(4), inputs.get(5), training);
		return new NDList(o.allMasks, o.allIou, o.allMaskTokens, o.objectScoreLogits);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape e = inputShapes[0];
		final long b = inputShapes[2].get(0);
		return new Shape[] { new Shape(b, NUM_MASK_TOKENS, 4 * e.get(2), 4 * e.get(3)), new Shape(b, NUM_MASK_TOKENS),
			new Shape(b, NUM_MASK_TOKENS, dModel), new Shape(b, 1) };
	}

	/** The raw decoder outputs for all four mask tokens (token 0 = single-mask token). */
	public static final class Output {
		public final NDArray allMasks;
		public final NDArray allIou;
		public final NDArray allMaskTokens;
		public final NDArray objectScoreLogits;

		Output(final NDArray allMasks, final NDArray allIou, final NDArray allMaskTokens, final NDArray objectScoreLogits) {
			this.allMasks = allMasks;
			this.allIou = allIou;
			this.allMaskTokens = allMaskTokens;
			this.objectScoreLogits = objectScoreLogits;
		}

		/**
		 * The official {@code MaskDecoder.forward} selection. Multimask: tokens 1..3. Single: token 0,
		 * or (with {@code dynamicStability}, at eval) the best-IoU multimask token for every item whose
		 * token-0 stability {@code #(logit > delta) / #(logit > -delta)} is below {@code threshold}.
		 * Output tokens: 1..3 when multimask and {@code useMultimaskTokenForObjPtr}, else token 0.
		 * Returns (masks, iou, sam output tokens).
		 */
		public NDList select(final boolean multimask, final boolean dynamicStability, final float delta, final float threshold,
			final boolean useMultimaskTokenForObjPtr)
		{
			final NDArray masks;
			final NDArray iou;
			if (multimask) {
				masks = allMasks.get(":, 1:, :, :");
				iou = allIou.get(":, 1:");
			}
			else if (dynamicStability) {
				final NDArray single = allMasks.get(":, 0:1, :, :");
				final NDArray singleIou = allIou.get(":, 0:1");
				final NDArray multiIou = allIou.get(":, 1:");
				final long k = multiIou.getShape().get(1);
				final NDArray best = multiIou.argMax(1).oneHot((int) k).toType(DataType.FLOAT32, false); // (B, k)
				final NDArray bestMask = allMasks.get(":, 1:, :, :").mul(best.expandDims(-1).expandDims(-1)).sum(new int[] { 1 }, true);
				final NDArray bestIou = multiIou.mul(best).sum(new int[] { 1 }, true);
				final NDArray flat = single.reshape(single.getShape().get(0), -1);
				final NDArray areaI = flat.gt(delta).toType(DataType.FLOAT32, false).sum(new int[] { 1 });
				final NDArray areaU = flat.gt(-delta).toType(DataType.FLOAT32, false).sum(new int[] { 1 });
				final NDArray stability = areaI.div(areaU.maximum(1f)).add(areaU.eq(0f).toType(DataType.FLOAT32, false));
				final NDArray stable = stability.gte(threshold).toType(DataType.FLOAT32, false).reshape(-1, 1); // (B, 1)
				final NDArray unstable = stable.neg().add(1f);
				masks = single.mul(stable.expandDims(-1).expandDims(-1)).add(bestMask.mul(unstable.expandDims(-1).expandDims(-1)));
				iou = singleIou.mul(stable).add(bestIou.mul(unstable));
			}
			else {
				masks = allMasks.get(":, 0:1, :, :");
				iou = allIou.get(":, 0:1");
			}
			final NDArray tokens = multimask && useMultimaskTokenForObjPtr ? allMaskTokens.get(":, 1:, :") : allMaskTokens.get(":, 0:1, :");
			return new NDList(masks, iou, tokens);
		}
	}
}
