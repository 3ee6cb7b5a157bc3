package io.github.sssfiji.sss.train;

import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.augment.CutMixBox;

/**
 * The inputs of one training iteration, as flat arrays of {@code size x size} slices stored one
 * after another: weakly augmented labelled images and labels; for the unlabelled part the weak
 * views, their ignore mask (PCSW-rejected or outside the source slice), and the two strong views
 * already CutMixed with the boxes {@code boxes1}, {@code boxes2} from slice {@code n - 1 - i} of the
 * batch ({@link #mixSource}). With prompted pseudo-labels ({@link PseudoLabels}) also the PCSW
 * prompts carried into the weak views and into the two strong views ({@link CarriedPrompts}), and
 * with propagated ones the refresh's pseudo-labels warped into the weak views (label, and 1 where
 * confident, else 0), with {@code propagatedSlices} telling which samples have them.
 */
public record Batch(int size, int labelledCount, float[] labelledImages, int[] labels, int unlabelledCount, float[] weakImages,
	boolean[] ignore, float[] strong1, float[] strong2, CutMixBox[] boxes1, CutMixBox[] boxes2, SlicePrompts weakPrompts,
	SlicePrompts strongPrompts1, SlicePrompts strongPrompts2, boolean[] propagatedSlices, int[] propagatedLabels, float[] propagatedConfidence)
{

	/** The slice whose content slice {@code i} receives inside its CutMix box (UniMatch V2 mixes with the batch flipped). */
	public static int mixSource(final int i, final int count) {
		return count - 1 - i;
	}

	public boolean hasUnlabelled() {
		return unlabelledCount > 0;
	}
}
