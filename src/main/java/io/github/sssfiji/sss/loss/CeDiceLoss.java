package io.github.sssfiji.sss.loss;

import ai.djl.ndarray.NDArray;

import io.github.sssfiji.nn.Ops;

/**
 * The supervised segmentation loss of UniMatch's medical setting and of SSS:
 * {@code (CrossEntropy + Dice) / 2}, both with the same ignored pixels and per-pixel weights (see
 * {@link CrossEntropyLoss} and {@link DiceLoss}; Dice over all classes, background included).
 */
public final class CeDiceLoss {

	private CeDiceLoss() {}

	/** The loss without weights. */
	public static NDArray of(final NDArray logits, final NDArray target) {
		return of(logits, target, null);
	}

	/**
	 * @param weights per-pixel factors (batch, height, width), or {@code null} for all 1
	 * @return a scalar with the gradient graph of {@code logits}, in the manager of {@code logits}
	 */
	public static NDArray of(final NDArray logits, final NDArray target, final NDArray weights) {
		return Ops.div(CrossEntropyLoss.of(logits, target, weights).add(DiceLoss.of(logits, target, weights, true)), 2);
	}
}
