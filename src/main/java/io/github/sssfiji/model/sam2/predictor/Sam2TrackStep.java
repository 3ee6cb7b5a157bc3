package io.github.sssfiji.model.sam2.predictor;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.sssfiji.model.sam2.modeling.MaskDecoder;
import io.github.sssfiji.model.sam2.modeling.PromptEncoder;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.nn.Resize;

/**
 * The numerical pieces of {@code SAM2Base.track_step} for batch size 1, inference only:
 * {@code _forward_sam_heads}, {@code _use_mask_as_output}, the two branches of
 * {@code _prepare_memory_conditioned_features} and {@code _encode_new_memory}, the spatial-memory
 * part through {@link MemoryConditioning} (shared with the SSS backbone). Which frames feed the
 * memory is decided by {@link Sam2Tracker}. Every array is created in, or attached to, the
 * frame manager passed in: the small tracking parameters are copied to Java once, so no operation
 * ever has a long-lived array as its first operand.
 */
final class Sam2TrackStep {

	/** {@code NO_OBJ_SCORE} of sam2_base.py: the mask logit of a frame without the object. */
	static final float NO_OBJ_SCORE = -1024f;
	/** {@code _use_mask_as_output}: a mask prompt becomes logits of -10 / +10. */
	private static final float MASK_OUT_SCALE = 20f, MASK_OUT_BIAS = -10f;

	private final Sam2Model model;
	private final Sam2TrackingConfig config;
	private final int d;
	private final int memDim;
	private final int imageSize;
	private final float[] noMemEmbed;
	private final float[] noMemPosEnc;
	private final float[] noObjPtr;
	private final MemoryConditioning conditioning;

	Sam2TrackStep(final Sam2Model model, final Sam2TrackingConfig config) {
		this.model = model;
		this.config = config;
		this.d = model.config().dModel();
		this.memDim = model.config().memDim();
		this.imageSize = model.config().imageSize();
		this.noMemEmbed = values(model.noMemEmbed());
		this.noMemPosEnc = values(model.noMemPosEnc());
		this.noObjPtr = values(model.noObjPtr());
		this.conditioning = new MemoryConditioning(model);
	}

	private static float[] values(final NDArray p) {
		return p.toType(DataType.FLOAT32, false).toFloatArray();
	}

	/** The initial conditioning frame with {@code directly_add_no_mem_embed}: features + {@code no_mem_embed}. */
	NDArray addNoMemEmbed(final NDManager frame, final NDArray vision) {
		return vision.add(frame.create(noMemEmbed, new Shape(1, d, 1, 1)));
	}

	/**
	 * The initial conditioning frame without {@code directly_add_no_mem_embed}: memory attention over
	 * the single token {@code no_mem_embed} with position {@code no_mem_pos_enc}. The official code
	 * expands the d-wide token to the memory width, so this only runs where they are equal.
	 */
	NDArray attendToNoMemory(final NDManager frame, final NDArray vision, final NDArray visionPos, final TrackedFrame.Parts parts) {
		if (memDim != d)
			throw new IllegalStateException("directly_add_no_mem_embed=false needs mem_dim == d_model (" + memDim + " vs " + d +
				"); the official SAM2Base cannot run this configuration either");
		parts.memory = frame.create(noMemEmbed, new Shape(1, 1, memDim));
		parts.memoryPos = frame.create(noMemPosEnc, new Shape(1, 1, memDim));
		return attend(vision, visionPos, parts);
	}

	/**
	 * Memory-conditioned features from spatial memories (each (1, m, h, h) with its position
	 * encoding and temporal position) and object pointers (each (1, d) with its temporal distance).
	 */
	NDArray attendToMemory(final NDManager frame, final NDArray vision, final NDArray visionPos, final List<MemoryConditioning.Memory> spatial,
		final List<Pointer> pointers, final int maxObjPtrs, final TrackedFrame.Parts parts)
	{
		final NDList memories = new NDList();
		final NDList positions = new NDList();
		if (!spatial.isEmpty()) {
			final NDList tokens = conditioning.tokens(spatial, frame);
			memories.add(tokens.get(0));
			positions.add(tokens.get(1));
		}
		int pointerTokens = 0;
		if (!pointers.isEmpty()) {
			final int split = d / memDim;
			final NDList ptrs = new NDList();
			for (final Pointer p : pointers) ptrs.add(attached(frame, p.objPtr.duplicate()));
			// (P, d) -> P * (d / m) tokens of width m: pointer p's chunk k is token p * (d / m) + k
			memories.add(NDArrays.concat(ptrs, 0).reshape(1, (long) pointers.size() * split, memDim));
			positions.add(frame.create(pointerPositions(pointers, maxObjPtrs, split), new Shape(1, (long) pointers.size() * split, memDim)));
			pointerTokens = pointers.size() * split;
		}
		parts.memory = NDArrays.concat(memories, 1);
		parts.memoryPos = NDArrays.concat(positions, 1);
		parts.numObjPtrTokens = pointerTokens;
		return attend(vision, visionPos, parts);
	}

	private NDArray attend(final NDArray vision, final NDArray visionPos, final TrackedFrame.Parts parts) {
		return conditioning.attend(vision, visionPos, parts.memory, parts.memoryPos, parts.numObjPtrTokens, false);
	}

	/** Zeros, or with {@code add_tpos_enc_to_obj_ptrs} the 1-d sine encoding of distance / (max pointers - 1), repeated per split token. */
	private float[] pointerPositions(final List<Pointer> pointers, final int maxObjPtrs, final int split) {
		final float[] out = new float[pointers.size() * split * memDim];
		if (!config.addTposEncToObjPtrs) return out;
		final int[] distances = new int[pointers.size()];
		for (int p = 0; p < distances.length; p++) distances[p] = pointers.get(p).distance;
		final float[] pe = sinePositions(distances, maxObjPtrs - 1, memDim);
		for (int p = 0; p < distances.length; p++)
			for (int k = 0; k < split; k++) System.arraycopy(pe, p * memDim, out, (p * split + k) * memDim, memDim);
		return out;
	}

	/**
	 * {@code get_1d_sine_pe(positions / tDiffMax, dim)} in float32: for i below dim/2,
	 * {@code x / 10000^(2 * (i // 2) / (dim / 2))} through sin (first half) and cos (second half).
	 */
	static float[] sinePositions(final int[] positions, final int tDiffMax, final int dim) {
		final int half = dim / 2;
		final float[] out = new float[positions.length * dim];
		for (int p = 0; p < positions.length; p++) {
			final float position = (float) positions[p] / (float) tDiffMax;
			for (int i = 0; i < half; i++) {
				final float exponent = 2f * (float) Math.floor(i / 2f) / half;
				final float x = position / (float) Math.pow(10000.0, exponent);
				out[p * dim + i] = (float) Math.sin(x);
				out[p * dim + half + i] = (float) Math.cos(x);
			}
		}
		return out;
	}

	/**
	 * {@code _forward_sam_heads}: prompt encoding (no points: one padding point), mask decoding with
	 * the high-resolution features, multimask or stability selection, the object-score gate of the
	 * masks, bilinear upsampling to S x S, the best-IoU choice and the gated object pointer.
	 * {@code coords} / {@code labels} may be null; {@code maskPrompt} is (1, 1, S/4, S/4) or null.
	 */
	void forwardSamHeads(final NDManager frame, final NDArray backbone, final float[] coords, final float[] labels,
		final NDArray maskPrompt, final NDArray featS0, final NDArray featS1, final boolean multimask, final TrackedFrame.Parts parts)
	{
		final PromptEncoder prompts = model.promptEncoder();
		final int n = labels == null ? 1 : labels.length;
		final NDArray pointCoords = frame.create(coords == null ? new float[2] : coords, new Shape(1, n, 2));
		final NDArray pointLabels = frame.create(labels == null ? new float[] { -1f } : labels, new Shape(1, n));
		final NDArray sparse = prompts.embedPoints(pointCoords, pointLabels, true);
		final NDArray dense = maskPrompt == null ? prompts.noMaskDense(frame, 1) : prompts.embedMask(maskPrompt);
		final NDArray pe = prompts.densePositionEncoding(frame);
		final MaskDecoder.Output out = model.maskDecoder().predict(backbone, pe, sparse, dense, featS0, featS1);
		final NDList selected = out.select(multimask, config.dynamicMultimaskViaStability, config.stabilityDelta, config.stabilityThreshold,
			config.useMultimaskTokenForObjPtr);
		NDArray lowResMulti = selected.get(0);
		final NDArray ious = selected.get(1);
		final NDArray tokens = selected.get(2);
		final NDArray score = out.objectScoreLogits;
		final float scoreValue = score.toFloatArray()[0];
		final boolean present = scoreValue > 0;
		if (config.predObjScores && !present) lowResMulti = frame.full(lowResMulti.getShape(), NO_OBJ_SCORE);
		final NDArray highResMulti = lowResMulti.getNDArrayInternal().interpolation(new long[] { imageSize, imageSize }, 1, false);
		NDArray token = tokens.get(":, 0, :");
		if (multimask) {
			final int best = argMax(ious.toFloatArray());
			parts.bestMaskIndex = best;
			parts.lowResMasks = lowResMulti.get(":, " + best + ":" + (best + 1) + ", :, :");
			parts.highResMasks = highResMulti.get(":, " + best + ":" + (best + 1) + ", :, :");
			if (tokens.getShape().get(1) > 1) token = tokens.get(":, " + best + ", :");
		}
		else {
			parts.bestMaskIndex = -1;
			parts.lowResMasks = lowResMulti;
			parts.highResMasks = highResMulti;
		}
		NDArray objPtr = model.objPtrProj().forward(token);
		if (config.predObjScores) {
			final NDArray lambda = config.softNoObjPtr ? Activation.sigmoid(score) : frame.create(new float[] { present ? 1f : 0f }, new Shape(1, 1));
			objPtr = gatePointer(frame, objPtr, lambda);
		}
		parts.lowResMultimasks = lowResMulti;
		parts.ious = ious;
		parts.objPtr = objPtr;
		parts.objectScoreLogits = score;
	}

	/**
	 * {@code _use_mask_as_output}: the mask prompt (0/1, 1 x 1 x S x S) is the output, as logits -10 /
	 * +10 (low resolution by antialiased bilinear downsampling); the object pointer comes from the
	 * SAM heads run on the downsampled mask, and presence is "any pixel set".
	 */
	void useMaskAsOutput(final NDManager frame, final NDArray vision, final float[] mask01, final NDArray featS0, final NDArray featS1,
		final TrackedFrame.Parts parts)
	{
		final int s = imageSize, low = s / 4;
		final NDArray mask = frame.create(mask01, new Shape(1, 1, s, s));
		final NDArray highRes = mask.mul(MASK_OUT_SCALE).add(MASK_OUT_BIAS);
		final NDArray lowRes = frame.create(Resize.bilinear(highRes.toFloatArray(), 1, s, s, low, low, true), new Shape(1, 1, low, low));
		NDArray objPtr;
		if (!config.useObjPtrsInEncoder) objPtr = frame.zeros(new Shape(1, d));
		else {
			final TrackedFrame.Parts heads = new TrackedFrame.Parts();
			forwardSamHeads(frame, vision, null, null, model.maskDownsample().forward(mask), featS0, featS1, false, heads);
			objPtr = heads.objPtr;
		}
		boolean present = false;
		for (final float v : mask01) present |= v > 0;
		final float lambda = present ? 1f : 0f;
		if (config.predObjScores) objPtr = gatePointer(frame, objPtr, frame.create(new float[] { lambda }, new Shape(1, 1)));
		parts.lowResMultimasks = lowRes;
		parts.ious = frame.ones(new Shape(1, 1));
		parts.bestMaskIndex = -1;
		parts.lowResMasks = lowRes;
		parts.highResMasks = highRes;
		parts.objPtr = objPtr;
		parts.objectScoreLogits = frame.create(new float[] { MASK_OUT_SCALE * lambda + MASK_OUT_BIAS }, new Shape(1, 1));
	}

	/** {@code fixed_no_obj_ptr}: lambda * ptr; then ptr + (1 - lambda) * no_obj_ptr. */
	private NDArray gatePointer(final NDManager frame, final NDArray objPtr, final NDArray lambda) {
		final NDArray gated = config.fixedNoObjPtr ? objPtr.mul(lambda) : objPtr;
		// -lambda + 1 rounds exactly like 1 - lambda
		return gated.add(lambda.neg().add(1f).mul(frame.create(noObjPtr, new Shape(1, d))));
	}

	/**
	 * {@code _encode_new_memory}: the chosen high-res logits binarised (mask from points, with
	 * {@code binarize_mask_from_pts_for_mem_enc}) or through a sigmoid, scaled and biased, then the
	 * memory encoder on the features without memory.
	 */
	void encodeNewMemory(final NDArray vision, final boolean maskFromPoints, final TrackedFrame.Parts parts) {
		final NDArray mask = MemoryConditioning.maskForMemory(parts.highResMasks, config.binarizeMaskFromPtsForMemEnc && maskFromPoints,
			config.sigmoidScaleForMemEnc, config.sigmoidBiasForMemEnc);
		final NDList encoded = conditioning.encode(vision, mask);
		parts.memoryEncoderMask = mask;
		parts.maskmemFeatures = encoded.get(0);
		parts.maskmemPosEnc = encoded.get(1);
	}

	/** The first index of the largest value, like {@code torch.argmax}. */
	static int argMax(final float[] values) {
		int best = 0;
		for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
		return best;
	}

	private static NDArray attached(final NDManager frame, final NDArray derived) {
		derived.attach(frame);
		return derived;
	}

	/** A stored object pointer and its temporal distance to the current frame. */
	static final class Pointer {
		final NDArray objPtr;
		final int distance;

		Pointer(final NDArray objPtr, final int distance) {
			this.objPtr = objPtr;
			this.distance = distance;
		}
	}
}
