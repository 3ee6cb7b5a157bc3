package io.github.sssfiji.model.sam2.predictor;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import io.github.sssfiji.model.sam2.modeling.PositionEmbeddingSine;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.nn.Ops;

/**
 * The spatial-memory pieces of {@code SAM2Base.track_step}, batched and differentiable, shared by
 * the video tracker ({@link Sam2Tracker}, inference) and the SSS backbone's sequence decoding
 * (training and prediction): the memory tokens of {@code _prepare_memory_conditioned_features}
 * (each stored memory flattened to tokens, its position encoding plus
 * {@code maskmem_tpos_enc[num_maskmem - t_pos - 1]}), memory attention of the current frame's
 * stride-16 features on those tokens, and {@code _encode_new_memory}'s mask transform and memory
 * encoder. Object pointers are the tracker's business: it appends their tokens to these.
 * <p>
 * Results of operations on parameters are attached to the manager of the frame's arrays, so no
 * long-lived manager grows.
 * </p>
 */
public final class MemoryConditioning {

	private final Sam2Model model;
	private final int d, memDim, numMaskmem;

	public MemoryConditioning(final Sam2Model model) {
		this.model = model;
		this.d = model.config().dModel();
		this.memDim = model.config().memDim();
		this.numMaskmem = model.config().numMaskmem();
	}

	/**
	 * One stored spatial memory: features (B, m, h, w), their position encoding (1 or B, m, h, w)
	 * and the temporal position {@code t_pos} (0: a conditioning frame; 1 .. num_maskmem - 1: the
	 * previous frames, {@code num_maskmem - 1} being the frame just before).
	 */
	public record Memory(NDArray features, NDArray posEnc, int temporalPosition) {}

	/** {@code num_maskmem}: the temporal encodings, so at most {@code num_maskmem - 1} previous frames. */
	public int numMaskmem() {
		return numMaskmem;
	}

	/**
	 * The memory-attention inputs {@code memory} and {@code memory_pos}, batch first (B, N, m), of
	 * {@code memories} concatenated in order. {@code maskmem_tpos_enc} is read as the model's own
	 * array, so it is trained where the caller records gradients.
	 *
	 * @param owner the manager of the frame (results and views of long-lived arrays go there)
	 */
	public NDList tokens(final List<Memory> memories, final NDManager owner) {
		final NDArray table = model.maskmemTposEnc().reshape(numMaskmem, memDim);
		table.attach(owner);
		final NDList features = new NDList(memories.size()), positions = new NDList(memories.size());
		for (final Memory memory : memories) {
			final Shape s = memory.features().getShape();
			final long b = s.get(0), hw = s.get(2) * s.get(3);
			features.add(attached(owner, memory.features().reshape(b, memDim, hw)).transpose(0, 2, 1));
			final int index = MemorySelection.temporalEncodingIndex(memory.temporalPosition(), numMaskmem);
			final NDArray tpos = attached(owner, table.get(index)).reshape(1, 1, memDim);
			NDArray pos = attached(owner, memory.posEnc().reshape(memory.posEnc().getShape().get(0), memDim, hw)).transpose(0, 2, 1).add(tpos);
			if (pos.getShape().get(0) != b) pos = pos.repeat(0, b);
			positions.add(pos);
		}
		return new NDList(NDArrays.concat(features, 1), NDArrays.concat(positions, 1));
	}

	/**
	 * Memory-conditioned features {@code pix_feat_with_mem} (B, d, h, w) of the current frame's
	 * features {@code vision} (B, d, h, w) with position {@code visionPos} (1 or B, d, h, w), given
	 * the memory (B, N, m) whose last {@code numObjPtrTokens} tokens are object pointers.
	 */
	public NDArray attend(final NDArray vision, final NDArray visionPos, final NDArray memory, final NDArray memoryPos, final int numObjPtrTokens,
		final boolean training)
	{
		final Shape s = vision.getShape();
		final long b = s.get(0), hw = s.get(2) * s.get(3);
		final NDArray curr = vision.reshape(b, d, hw).transpose(0, 2, 1);
		NDArray currPos = visionPos.reshape(visionPos.getShape().get(0), d, hw).transpose(0, 2, 1);
		if (currPos.getShape().get(0) != b) currPos = currPos.repeat(0, b);
		final NDArray out = model.memoryAttention().forward(curr, currPos, memory, memoryPos, numObjPtrTokens, training);
		return out.transpose(0, 2, 1).reshape(s);
	}

	/**
	 * The mask {@code _encode_new_memory} feeds the memory encoder: the high-resolution logits
	 * binarised ({@code binarize}) or through a sigmoid, then times {@code scale} plus {@code bias}
	 * ({@code sigmoid_scale_for_mem_enc}, {@code sigmoid_bias_for_mem_enc}).
	 */
	public static NDArray maskForMemory(final NDArray highResLogits, final boolean binarize, final float scale, final float bias) {
		NDArray mask = binarize ? highResLogits.gt(0f).toType(DataType.FLOAT32, false) : Activation.sigmoid(highResLogits);
		if (scale != 1f) mask = Ops.mul(mask, scale);
		if (bias != 0f) mask = mask.add(bias);
		return mask;
	}

	/**
	 * The memory encoder on the frame's features without memory {@code vision} (B, d, h, w) and the
	 * mask of {@link #maskForMemory} (B, 1, 16h, 16w): {@code maskmem_features} (B, m, h, w) and
	 * {@code maskmem_pos_enc} (B, m, h, w).
	 */
	public NDList encode(final NDArray vision, final NDArray maskForMemory) {
		return model.memoryEncoder().encode(vision, maskForMemory);
	}

	/** The sine position encoding of the stride-16 level, (1, d, h, w), as the FPN neck gives it. */
	public NDArray visionPosition(final NDManager owner, final int h, final int w) {
		return owner.create(PositionEmbeddingSine.encode(d, h, w), new Shape(1, d, h, w));
	}

	private static NDArray attached(final NDManager owner, final NDArray derived) {
		derived.attach(owner);
		return derived;
	}
}
