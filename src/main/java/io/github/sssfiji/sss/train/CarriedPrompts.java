package io.github.sssfiji.sss.train;

import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.augment.CutMixBox;

/**
 * PCSW's prompts of an unlabelled slice carried into the views a training step sees: through the
 * weak view's geometry ({@link SlicePrompts#warped}) and through the strong views' CutMix ({@link #mix}), so that
 * the teacher and the student are prompted where the structure is in their input, never with prompts
 * computed from the target they learn.
 */
public final class CarriedPrompts {

	private CarriedPrompts() {}

	/**
	 * The prompts of the strong views CutMixed with {@code boxes} (view i receives the content of
	 * {@link Batch#mixSource} inside its box), from the weak views' prompts: per class, the prompt of
	 * the view's own slice when its click lies outside the box, and the pasted slice's prompt, its box
	 * cut to the CutMix box, when its click lies inside; when both qualify, the one whose visible box
	 * is larger. A pasted region is so prompted from its own volume.
	 */
	public static SlicePrompts mix(final SlicePrompts weak, final CutMixBox[] boxes) {
		final int n = weak.count(), classes = weak.classes();
		final SlicePrompts.Builder out = new SlicePrompts.Builder(n, classes);
		for (int i = 0; i < n; i++) {
			final CutMixBox cut = boxes[i];
			final int j = Batch.mixSource(i, n);
			for (int c = 1; c < classes; c++) {
				int[] ownBox = null, ownClick = null, pastedBox = null, pastedClick = null;
				long ownArea = -1, pastedArea = -1;
				if (weak.has(i, c)) {
					final int[] click = weak.click(i, c);
					if (cut.isEmpty() || !cut.contains(click[0], click[1])) {
						ownBox = weak.box(i, c);
						ownClick = click;
						ownArea = area(ownBox) - (cut.isEmpty() ? 0 : area(intersection(ownBox, cut)));
					}
				}
				if (!cut.isEmpty() && weak.has(j, c)) {
					final int[] click = weak.click(j, c);
					final int[] inside = intersection(weak.box(j, c), cut);
					if (cut.contains(click[0], click[1]) && inside != null) {
						pastedBox = inside;
						pastedClick = click;
						pastedArea = area(inside);
					}
				}
				if (ownBox != null && ownArea >= pastedArea) out.set(i, c, ownBox, ownClick);
				else if (pastedBox != null) out.set(i, c, pastedBox, pastedClick);
			}
		}
		return out.build();
	}

	/** The inclusive box {@code box} cut to {@code cut}, or {@code null} when they do not meet. */
	private static int[] intersection(final int[] box, final CutMixBox cut) {
		final int x0 = Math.max(box[0], cut.x0()), y0 = Math.max(box[1], cut.y0());
		final int x1 = Math.min(box[2], cut.x0() + cut.w() - 1), y1 = Math.min(box[3], cut.y0() + cut.h() - 1);
		return x0 > x1 || y0 > y1 ? null : new int[] { x0, y0, x1, y1 };
	}

	private static long area(final int[] box) {
		return box == null ? 0 : (long) (box[2] - box[0] + 1) * (box[3] - box[1] + 1);
	}
}
