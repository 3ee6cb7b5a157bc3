package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.ConvTranspose2d;
import io.github.sssfiji.nn.LayerNorm;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM 2's {@code MaskDecoder} as {@code SAM2Base._build_sam_heads} configures it: object-score,
 * IoU and 4 mask tokens in front of the prompt tokens, a two-way transformer (depth 2, MLP 2048,
 * 8 heads, attention downsample 2), upscaling by two 2x2 transposed convolutions with the
 * high-resolution features {@code conv_s1/conv_s0} added, hypernetwork MLPs per mask token, a sigmoid
 * IoU head and an object-score MLP. {@link #predict} gives all four masks; {@link Output#select}
 * applies the multimask / stability selection of the official {@code forward}.
 */
public final class MaskDecoder {

	/** Hard-coded in {@code SAM2Base._build_sam_heads}. */
	static final int TRANSFORMER_DEPTH = 2, TRANSFORMER_MLP = 2048, TRANSFORMER_HEADS = 8, ATTENTION_DOWNSAMPLE = 2;
	static final int IOU_HEAD_HIDDEN = 256, IOU_HEAD_DEPTH = 3, NUM_MASK_TOKENS = 4;

	private final int dModel;
	private final TwoWayTransformer transformer;
	private final NDArray iouToken;
	private final NDArray maskTokens;
	private final NDArray objScoreToken;
	private final ConvTranspose2d upscale0;
	private final LayerNorm upscaleNorm1;
	private final ConvTranspose2d upscale3;
	private final Conv2d convS0;
	private final Conv2d convS1;
	private final List<Mlp> hypernetworks = new ArrayList<>();
	private final Mlp iouHead;
	private final Mlp objScoreHead;

	MaskDecoder(final ModelState state, final Sam2Config config) {
		this.dModel = config.dModel();
		final int d = dModel;
		this.iouToken = state.addParameter("iou_token.weight", Sam2Init.shape(1, d), Sam2Init.WEIGHT);
		this.maskTokens = state.addParameter("mask_tokens.weight", Sam2Init.shape(NUM_MASK_TOKENS, d), Sam2Init.WEIGHT);
		this.objScoreToken = state.addParameter("obj_score_token.weight", Sam2Init.shape(1, d), Sam2Init.WEIGHT);
		this.transformer = new TwoWayTransformer(state.scope("transformer"), TRANSFORMER_DEPTH, d, TRANSFORMER_HEADS, TRANSFORMER_MLP,
			ATTENTION_DOWNSAMPLE);
		this.upscale0 = ConvTranspose2d.create(state, "output_upscaling.0", d, d / 4, Sam2Init.WEIGHT);
		this.upscaleNorm1 = LayerNorm.create(state, "output_upscaling.1", d / 4, 1e-6f);
		this.upscale3 = ConvTranspose2d.create(state, "output_upscaling.3", d / 4, d / 8, Sam2Init.WEIGHT);
		this.convS0 = Conv2d.create(state, "conv_s0", d, d / 8, 1, 1, 0, 1, Sam2Init.WEIGHT);
		this.convS1 = Conv2d.create(state, "conv_s1", d, d / 4, 1, 1, 0, 1, Sam2Init.WEIGHT);
		for (int i = 0; i < NUM_MASK_TOKENS; i++)
			hypernetworks.add(new Mlp(state.scope("output_hypernetworks_mlps." + i), d, d, d / 8, 3, Mlp.relu(), false));
		this.iouHead = new Mlp(state.scope("iou_prediction_head"), d, IOU_HEAD_HIDDEN, NUM_MASK_TOKENS, IOU_HEAD_DEPTH, Mlp.relu(), true);
		this.objScoreHead = new Mlp(state.scope("pred_obj_score_head"), d, d, 1, 3, Mlp.relu(), false);
	}

	/** {@code conv_s0(level0)}. */
	public NDArray highResS0(final NDArray level0) {
		return convS0.forward(level0);
	}

	/** {@code conv_s1(level1)}. */
	public NDArray highResS1(final NDArray level1) {
		return convS1.forward(level1);
	}

	/**
	 * {@code predict_masks} with {@code repeat_image=False}: image embedding (B, d, h, w), its dense PE
	 * (1, d, h, w), sparse prompts (B, N, d), dense prompts (B, d, h, w), high-res features
	 * {@code feat_s0} (B, d/8, 4h, 4w) and {@code feat_s1} (B, d/4, 2h, 2w).
	 */
	public Output predict(final NDArray imageEmbedding, final NDArray imagePe, final NDArray sparse,
		final NDArray dense, final NDArray featS0, final NDArray featS1)
	{
		final long b = sparse.getShape().get(0);
		// one concat of the three parameters (its result would join the model's manager, so it is attached to the call's)
		final NDArray outputTokens = NDArrays.concat(new NDList(objScoreToken,
			iouToken, maskTokens), 0);
		outputTokens.attach(sparse.getManager());
		final NDArray tokens = outputTokens.expandDims(0).repeat(0, b).concat(sparse, 1);
		// dense first: a cached image embedding must not become the owner of per-call results
		final NDArray src = dense.add(imageEmbedding);
		final NDArray pos = imagePe.getShape().get(0) == b ? imagePe : imagePe.repeat(0, b);
		final NDList hsSrc = transformer.forward(src, pos, tokens);
		final NDArray hs = hsSrc.get(0);
		final Shape s = src.getShape();
		final NDArray iouTokenOut = hs.get(":, 1, :");
		final NDArray maskTokensOut = hs.get(":, 2:" + (2 + NUM_MASK_TOKENS) + ", :");
		final NDArray image = hsSrc.get(1).transpose(0, 2, 1).reshape(s.get(0), s.get(1), s.get(2), s.get(3));
		NDArray up = upscale0.forward(image).add(featS1);
		up = Activation.gelu(upscaleNorm1.forwardChannelsFirst(up));
		up = Activation.gelu(upscale3.forward(up).add(featS0));
		final NDList hyper = new NDList();
		for (int i = 0; i < NUM_MASK_TOKENS; i++) hyper.add(hypernetworks.get(i).forward(maskTokensOut.get(":, " + i + ", :")));
		final NDArray hyperIn = NDArrays.stack(hyper, 1);
		final Shape u = up.getShape();
		final NDArray masks = hyperIn.matMul(up.reshape(u.get(0), u.get(1), u.get(2) * u.get(3))).reshape(u.get(0), -1, u.get(2), u.get(3));
		final NDArray iou = iouHead.forward(iouTokenOut);
		final NDArray objectScore = objScoreHead.forward(hs.get(":, 0, :"));
		return new Output(masks, iou, maskTokensOut, objectScore);
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
