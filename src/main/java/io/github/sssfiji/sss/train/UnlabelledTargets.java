package io.github.sssfiji.sss.train;

import io.github.sssfiji.sss.augment.CutMixBox;

/**
 * The targets of the unlabelled loss for one strong view: the teacher's pseudo-labels, confidences
 * and ignore mask of the weak views, CutMixed with the view's boxes exactly as its images were, then
 * turned into a label map with {@link #IGNORE} where a pixel is ignored (PCSW-rejected or padding:
 * such pixels leave the loss entirely, numerator and denominator) and weights 1 where the confidence
 * reaches the threshold, 0 elsewhere (UniMatch: low-confidence pixels still count in the
 * denominator).
 */
public record UnlabelledTargets(int[] labels, float[] weights) {

	/** The label the losses skip. */
	public static final int IGNORE = 255;

	/**
	 * @param pseudo argmax of the teacher per pixel, {@code count} slices of {@code size x size}
	 * @param confidence max probability per pixel
	 * @param ignore pixels without a usable pseudo-label
	 * @param boxes the view's CutMix box per slice
	 */
	public static UnlabelledTargets build(final int[] pseudo, final float[] confidence, final boolean[] ignore, final CutMixBox[] boxes,
		final int size, final double threshold)
	{
		final int count = boxes.length;
		final int[] p = pseudo.clone();
		final float[] c = confidence.clone();
		final boolean[] g = ignore.clone();
		for (int i = 0; i < count; i++) {
			final int j = Batch.mixSource(i, count);
			boxes[i].mix(p, i, pseudo, j, size);
			boxes[i].mix(c, i, confidence, j, size);
			boxes[i].mix(g, i, ignore, j, size);
		}
		final float[] weights = new float[p.length];
		for (int k = 0; k < p.length; k++) {
			if (g[k]) p[k] = IGNORE;
			weights[k] = c[k] >= threshold ? 1f : 0f;
		}
		return new UnlabelledTargets(p, weights);
	}
}
