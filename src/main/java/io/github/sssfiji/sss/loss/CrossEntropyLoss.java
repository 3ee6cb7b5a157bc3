package io.github.sssfiji.sss.loss;

import ai.djl.ndarray.NDArray;

/**
 * Pixel-wise softmax cross-entropy for segmentation, with ignored pixels and per-pixel weights.
 * <p>
 * {@code loss = sum_p w_p * CE_p / N}, where the sum runs over pixels whose label is not
 * {@value SegmentationTarget#IGNORE_INDEX} and N is the number of such pixels. Without weights this
 * is {@code torch.nn.CrossEntropyLoss(ignore_index=255)}; with a 0/1 confidence mask as weights it
 * is UniMatch's unlabelled loss ({@code (ce * mask).sum() / (ignore != 255).sum()}), whose
 * denominator deliberately counts all labelled pixels, not only the confident ones. When no pixel
 * is labelled the loss is 0 (PyTorch would give NaN), so an empty batch cannot poison training.
 * </p>
 */
public final class CrossEntropyLoss {

	private CrossEntropyLoss() {}

	/** The loss without weights. */
	public static NDArray of(final NDArray logits, final NDArray target) {
		return of(logits, target, null);
	}

	/**
	 * The loss of {@code logits} (batch, classes, height, width) against the integer labels
	 * {@code target} (batch, height, width).
	 *
	 * @param weights per-pixel factors (batch, height, width), or {@code null} for all 1
	 * @return a scalar with the gradient graph of {@code logits}, in the manager of {@code logits}
	 * @throws IllegalArgumentException if shapes disagree or a label is out of range
	 */
	public static NDArray of(final NDArray logits, final NDArray target, final NDArray weights) {
		final SegmentationTarget t = SegmentationTarget.of("cross-entropy", logits, target, weights);
		final NDArray logProbability = logits.logSoftmax(1).gather(t.labels.expandDims(1), 1).squeeze(1);
		final NDArray count = t.labelled.sum().maximum(1f);
		return logProbability.neg().mul(t.pixelWeights).sum().div(count);
	}
}
