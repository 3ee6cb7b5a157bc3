package io.github.sssfiji.sss.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import io.github.sssfiji.nn.Ops;

/**
 * Multi-class soft Dice loss as in UniMatch's medical code (SSL4MIS's {@code DiceLoss}): softmax
 * probabilities p, one-hot targets t, and per class c, over all pixels of the batch,
 * <pre>
 * dice_c = (2 sum(w p_c t_c) + s) / (sum(w t_c^2) + sum(w p_c^2) + s),  s = 1e-5
 * loss   = mean over classes of (1 - dice_c)
 * </pre>
 * Pixels labelled {@value SegmentationTarget#IGNORE_INDEX} get w = 0. With 0/1 weights this equals
 * UniMatch's {@code DiceLoss(softmax probabilities, target, ignore = 1 - weights)}; UniMatch
 * averages over all classes, background included. Note the squares in the denominator: it is
 * not the {@code sum(p) + sum(t)} form.
 */
public final class DiceLoss {

	/** UniMatch's smoothing term. */
	public static final double SMOOTH = 1e-5;

	private DiceLoss() {}

	/** The loss over all classes, background included, without weights (UniMatch's labelled Dice). */
	public static NDArray of(final NDArray logits, final NDArray target) {
		return of(logits, target, null, true);
	}

	/**
	 * The loss of {@code logits} (batch, classes, height, width) against the integer labels
	 * {@code target} (batch, height, width).
	 *
	 * @param weights per-pixel factors (batch, height, width), or {@code null} for all 1
	 * @param includeBackground whether class 0 takes part in the mean (UniMatch: yes)
	 * @return a scalar with the gradient graph of {@code logits}, in the manager of {@code logits}
	 * @throws IllegalArgumentException if shapes disagree or a label is out of range
	 */
	public static NDArray of(final NDArray logits, final NDArray target, final NDArray weights,
		final boolean includeBackground)
	{
		final SegmentationTarget t = SegmentationTarget.of("Dice", logits, target, weights);
		final int classes = Math.toIntExact(logits.getShape().get(1));
		if (!includeBackground && classes < 2)
			throw new IllegalArgumentException("Dice without background needs at least 2 classes, got " + classes);
		final NDArray probability = logits.softmax(1);
		final NDArray oneHot = t.labels.oneHot(classes, DataType.FLOAT32).transpose(0, 3, 1, 2);
		final NDArray w = t.pixelWeights.expandDims(1);
		final int[] allButClass = { 0, 2, 3 };
		final NDArray weightedProbability = probability.mul(w);
		final NDArray intersection = weightedProbability.mul(oneHot).sum(allButClass);
		final NDArray targetSum = oneHot.mul(w).sum(allButClass);
		final NDArray probabilitySum = weightedProbability.mul(probability).sum(allButClass);
		final NDArray dice = Ops.mul(intersection, 2).add(SMOOTH).div(targetSum.add(probabilitySum).add(SMOOTH));
		final NDArray perClass = dice.neg().add(1);
		return includeBackground ? perClass.mean() : perClass.get("1:").mean();
	}
}
