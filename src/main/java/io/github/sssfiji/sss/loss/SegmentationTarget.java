package io.github.sssfiji.sss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Checks and prepares the arguments shared by the segmentation losses: logits (batch, classes,
 * height, width), an integer label map (batch, height, width) in which {@value #IGNORE_INDEX}
 * marks pixels without a label, and optional per-pixel weights (batch, height, width).
 */
final class SegmentationTarget {

	/** The label of pixels that take no part in a loss (PyTorch's {@code ignore_index=255}). */
	static final int IGNORE_INDEX = 255;

	/** Labels with ignored pixels replaced by class 0, as int64 (safe to index with). */
	final NDArray labels;
	/** Per-pixel factor, float (batch, height, width): the weight, 0 where the label is ignored. */
	final NDArray pixelWeights;
	/** 1 where the label is not ignored, float (batch, height, width). */
	final NDArray labelled;

	private SegmentationTarget(final NDArray labels, final NDArray pixelWeights, final NDArray labelled) {
		this.labels = labels;
		this.pixelWeights = pixelWeights;
		this.labelled = labelled;
	}

	/**
	 * @throws IllegalArgumentException if shapes disagree or a label is neither a class index nor
	 *           {@value #IGNORE_INDEX}
	 */
	static SegmentationTarget of(final String loss, final NDArray logits, final NDArray target, final NDArray weights) {
		final Shape l = logits.getShape();
		final Shape t = target.getShape();
		if (l.dimension() != 4)
			throw new IllegalArgumentException(loss + ": logits must be (batch, classes, height, width), got " + l);
		if (t.dimension() != 3 || t.get(0) != l.get(0) || t.get(1) != l.get(2) || t.get(2) != l.get(3))
			throw new IllegalArgumentException(loss + ": target of shape " + t + " does not fit logits of shape " + l);
		if (weights != null && !weights.getShape().equals(t))
			throw new IllegalArgumentException(loss + ": weights of shape " + weights.getShape() + " do not fit target of shape " + t);
		if (target.getDataType().isFloating())
			throw new IllegalArgumentException(loss + ": target must hold integer labels, got " + target.getDataType());
		final NDArray labels = target.toType(DataType.INT64, false);
		final NDArray labelledMask = labels.neq(IGNORE_INDEX);
		final NDArray safe = labels.mul(labelledMask.toType(DataType.INT64, false));
		final long classes = l.get(1);
		final long min = safe.min().getLong();
		final long max = safe.max().getLong();
		if (min < 0 || max >= classes)
			throw new IllegalArgumentException(loss + ": labels must be in [0, " + classes + ") or " + IGNORE_INDEX +
				", found " + (min < 0 ? min : max));
		final NDArray labelled = labelledMask.toType(DataType.FLOAT32, false);
		final NDArray pixelWeights = weights == null ? labelled : weights.toType(DataType.FLOAT32, false).mul(labelled);
		return new SegmentationTarget(safe, pixelWeights, labelled);
	}
}
