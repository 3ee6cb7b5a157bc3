package io.github.sssfiji.model.sam2.predictor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What {@link Sam2Tracker} computed for one frame ({@code track_step}'s output dict plus the
 * intermediates a parity check needs). Every array lives in this frame's own sub-manager; close the
 * frame when done with it. The tracker keeps its own copies of what the memory bank needs, so
 * closing a frame never disturbs tracking. Batch size is 1; S is the model input size, h = S/16.
 */
public final class TrackedFrame implements AutoCloseable {

	private final NDManager manager;
	private final int frameIndex;
	private final boolean conditioning;
	final Parts parts;

	/** The arrays of a frame, filled in step by step by the tracker. */
	static final class Parts {
		NDArray pixFeatWithMem;
		NDArray memory;
		NDArray memoryPos;
		int numObjPtrTokens;
		NDArray lowResMultimasks;
		NDArray ious;
		int bestMaskIndex = -1;
		NDArray lowResMasks;
		NDArray highResMasks;
		NDArray objPtr;
		NDArray objectScoreLogits;
		NDArray memoryEncoderMask;
		NDArray maskmemFeatures;
		NDArray storedMaskmemFeatures;
		NDArray maskmemPosEnc;
	}

	TrackedFrame(final NDManager manager, final int frameIndex, final boolean conditioning, final Parts parts) {
		this.manager = manager;
		this.frameIndex = frameIndex;
		this.conditioning = conditioning;
		this.parts = parts;
	}

	/** The manager owning every array of this frame. */
	public NDManager manager() {
		return manager;
	}

	/** Position of the frame in the sequence (0 = first frame fed). */
	public int frameIndex() {
		return frameIndex;
	}

	/** Whether the frame had a prompt and so joined the conditioning frames. */
	public boolean isConditioning() {
		return conditioning;
	}

	/** {@code pix_feat_with_mem} (1, d, h, h): memory-conditioned features (first frame: features + {@code no_mem_embed}). */
	public NDArray pixFeatWithMem() {
		return parts.pixFeatWithMem;
	}

	/** Memory-attention input {@code memory}, batch first (1, Nmem, m); null when no memory was attended to. */
	public NDArray memory() {
		return parts.memory;
	}

	/** Memory-attention input {@code memory_pos} (1, Nmem, m); null when no memory was attended to. */
	public NDArray memoryPos() {
		return parts.memoryPos;
	}

	/** How many of the last memory tokens are object-pointer tokens. */
	public int numObjPtrTokens() {
		return parts.numObjPtrTokens;
	}

	/** All decoder masks after the object-score gate (1, M, S/4, S/4), M = 3 (multimask) or 1. */
	public NDArray lowResMultimasks() {
		return parts.lowResMultimasks;
	}

	/** Predicted IoU per mask (1, M). */
	public NDArray ious() {
		return parts.ious;
	}

	/** Index of the mask chosen by IoU when M = 3; -1 for a single mask. */
	public int bestMaskIndex() {
		return parts.bestMaskIndex;
	}

	/** {@code pred_masks}: the chosen low-resolution mask logits (1, 1, S/4, S/4). */
	public NDArray lowResMasks() {
		return parts.lowResMasks;
	}

	/** {@code pred_masks_high_res}: the chosen mask logits at the model size (1, 1, S, S). */
	public NDArray highResMasks() {
		return parts.highResMasks;
	}

	/** {@code obj_ptr} (1, d). */
	public NDArray objPtr() {
		return parts.objPtr;
	}

	/** {@code object_score_logits} (1, 1): the object is present where this is positive. */
	public NDArray objectScoreLogits() {
		return parts.objectScoreLogits;
	}

	/** The mask fed to the memory encoder (1, 1, S, S), already scaled and biased. */
	public NDArray memoryEncoderMask() {
		return parts.memoryEncoderMask;
	}

	/** {@code maskmem_features} as computed in float32 (1, m, h, h). */
	public NDArray maskmemFeatures() {
		return parts.maskmemFeatures;
	}

	/** The memory features as the bank stores them: bfloat16-rounded when the tracker emulates bf16, else equal to {@link #maskmemFeatures}. */
	public NDArray storedMaskmemFeatures() {
		return parts.storedMaskmemFeatures;
	}

	/** {@code maskmem_pos_enc} (1, m, h, h). */
	public NDArray maskmemPosEnc() {
		return parts.maskmemPosEnc;
	}

	/** Whether the object score says the object is present. */
	public boolean objectPresent() {
		return parts.objectScoreLogits.toFloatArray()[0] > 0;
	}

	@Override
	public void close() {
		manager.close();
	}
}
