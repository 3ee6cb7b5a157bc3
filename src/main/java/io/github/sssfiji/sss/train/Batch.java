package io.github.sssfiji.sss.train;

import io.github.sssfiji.sss.augment.CutMixBox;

/**
 * The inputs of one training iteration, as flat arrays of {@code size x size} slices stored one
 * after another: weakly augmented labelled images and labels; for the unlabelled part the weak
 * views, their ignore mask (PCSW-rejected or outside the source slice), and the two strong views
 * already CutMixed with the boxes {@code boxes1}, {@code boxes2} from slice {@code n - 1 - i} of the
 * batch ({@link #mixSource}).
 */
public record Batch(int size, int labelledCount, float[] labelledImages, int[] labels, int unlabelledCount, float[] weakImages,
	boolean[] ignore, float[] strong1, float[] strong2, CutMixBox[] boxes1, CutMixBox[] boxes2)
{

	/** The slice whose content slice {@code i} receives inside its CutMix box (UniMatch V2 mixes with the batch flipped). */
	public static int mixSource(final int i, final int count) {
		return count - 1 - i;
	}

	public boolean hasUnlabelled() {
		return unlabelledCount > 0;
	}
}
