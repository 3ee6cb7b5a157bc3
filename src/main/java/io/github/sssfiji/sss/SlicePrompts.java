package io.github.sssfiji.sss;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

import io.github.sssfiji.morph.EuclideanDistanceTransform;
import io.github.sssfiji.sss.augment.SliceWarp;
import io.github.sssfiji.sss.pcsw.Prompt;

/**
 * SAM-2 prompts for a batch of square slices: per slice and foreground class at most one box and
 * one positive click, as Medical SAM 2 derives them from a mask: the box is the inclusive bounding
 * box of the class's pixels ({@code x} = column, {@code y} = row, 0-based), the click the class pixel
 * farthest from the mask's boundary (maximum of the exact Euclidean distance to the nearest pixel
 * outside the mask, the image's outside counting as outside; the first such pixel in raster order on
 * ties). A class absent from a slice has no prompt. Immutable.
 */
public final class SlicePrompts {

	/** SAM-2 point labels: positive click, box corners; {@link #PAD} is the padding point ({@code not_a_point_embed}). */
	public static final float CLICK = 1, TOP_LEFT = 2, BOTTOM_RIGHT = 3, PAD = -1;

	private final int count;
	private final int classes;
	private final boolean[] present;
	/** Per (slice, class - 1): xMin, yMin, xMax, yMax, clickX, clickY. */
	private final int[] values;

	private SlicePrompts(final int count, final int classes, final boolean[] present, final int[] values) {
		this.count = count;
		this.classes = classes;
		this.present = present;
		this.values = values;
	}

	/**
	 * Prompts given one by one: a box {@code [xMin, yMin, xMax, yMax]} and a click {@code [x, y]}
	 * per (slice, class), for prompts that come from elsewhere (PCSW) or are moved (augmentation).
	 */
	public static final class Builder {

		private final int count, classes;
		private final boolean[] present;
		private final int[] values;

		public Builder(final int count, final int classes) {
			this.count = count;
			this.classes = classes;
			present = new boolean[count * (classes - 1)];
			values = new int[count * (classes - 1) * 6];
		}

		/** Sets the prompt of slice {@code i}, class {@code c} (replacing any). */
		public Builder set(final int i, final int c, final int[] box, final int[] click) {
			if (i < 0 || i >= count || c < 1 || c >= classes)
				throw new IndexOutOfBoundsException("slice " + i + " of " + count + ", class " + c + " of " + classes);
			if (box[0] > box[2] || box[1] > box[3]) throw new IllegalArgumentException("empty box " + Arrays.toString(box));
			final int slot = i * (classes - 1) + c - 1;
			present[slot] = true;
			System.arraycopy(box, 0, values, 6 * slot, 4);
			System.arraycopy(click, 0, values, 6 * slot + 4, 2);
			return this;
		}

		public SlicePrompts build() {
			return new SlicePrompts(count, classes, present.clone(), values.clone());
		}
	}

	/**
	 * A copy whose boxes have each side moved by a uniform random fraction in
	 * {@code [-fraction, fraction]} of the box's width (left and right sides) or height (top and
	 * bottom), clipped to the {@code size x size} slice; the click, if the box no longer holds it, is
	 * moved to the nearest pixel of the box. This is how a box derived from a teacher's pseudo-mask
	 * errs against one derived from the ground truth.
	 */
	public SlicePrompts jittered(final double fraction, final int size, final Random random) {
		if (fraction == 0) return this;
		final int[] moved = values.clone();
		for (int slot = 0; slot < present.length; slot++) {
			if (!present[slot]) continue;
			final int s = 6 * slot;
			final double w = values[s + 2] - values[s] + 1, h = values[s + 3] - values[s + 1] + 1;
			int x0 = clamp((int) Math.round(values[s] + (random.nextDouble() * 2 - 1) * fraction * w), size);
			int y0 = clamp((int) Math.round(values[s + 1] + (random.nextDouble() * 2 - 1) * fraction * h), size);
			int x1 = clamp((int) Math.round(values[s + 2] + (random.nextDouble() * 2 - 1) * fraction * w), size);
			int y1 = clamp((int) Math.round(values[s + 3] + (random.nextDouble() * 2 - 1) * fraction * h), size);
			if (x0 > x1) x0 = x1 = (x0 + x1) / 2;
			if (y0 > y1) y0 = y1 = (y0 + y1) / 2;
			moved[s] = x0;
			moved[s + 1] = y0;
			moved[s + 2] = x1;
			moved[s + 3] = y1;
			moved[s + 4] = Math.min(Math.max(values[s + 4], x0), x1);
			moved[s + 5] = Math.min(Math.max(values[s + 5], y0), y1);
		}
		return new SlicePrompts(count, classes, present.clone(), moved);
	}

	private static int clamp(final int v, final int size) {
		return Math.min(Math.max(v, 0), size - 1);
	}

	/**
	 * These prompts in the {@code size x size} output of {@code warp} (they are in its source's pixel
	 * coordinates): each box's pixel extent is mapped and its bounding box taken (the pixels whose
	 * centres it holds), clipped to the output; the click is mapped and rounded, then moved into the
	 * clipped box if it fell out. A box that leaves the output entirely drops its prompt.
	 */
	public SlicePrompts warped(final SliceWarp warp, final int size) {
		final Builder out = new Builder(count, classes);
		for (int i = 0; i < count; i++)
			for (int c = 1; c < classes; c++) {
				if (!has(i, c)) continue;
				final int[] box = box(i, c), click = click(i, c);
				double minU = Double.POSITIVE_INFINITY, minV = Double.POSITIVE_INFINITY, maxU = Double.NEGATIVE_INFINITY, maxV = Double.NEGATIVE_INFINITY;
				for (final double x : new double[] { box[0] - 0.5, box[2] + 0.5 })
					for (final double y : new double[] { box[1] - 0.5, box[3] + 0.5 }) {
						final double[] uv = warp.toOutput(x, y);
						minU = Math.min(minU, uv[0]);
						maxU = Math.max(maxU, uv[0]);
						minV = Math.min(minV, uv[1]);
						maxV = Math.max(maxV, uv[1]);
					}
				final int x0 = Math.max(0, (int) Math.ceil(minU)), x1 = Math.min(size - 1, (int) Math.floor(maxU));
				final int y0 = Math.max(0, (int) Math.ceil(minV)), y1 = Math.min(size - 1, (int) Math.floor(maxV));
				if (x0 > x1 || y0 > y1) continue;
				final double[] k = warp.toOutput(click[0], click[1]);
				out.set(i, c, new int[] { x0, y0, x1, y1 },
					new int[] { Math.min(Math.max((int) Math.round(k[0]), x0), x1), Math.min(Math.max((int) Math.round(k[1]), y0), y1) });
			}
		return out.build();
	}

	/** No prompt at all for {@code count} slices. */
	public static SlicePrompts none(final int count, final int classes) {
		return new SlicePrompts(count, classes, new boolean[count * (classes - 1)], new int[count * (classes - 1) * 6]);
	}

	/**
	 * The prompts of {@code count} label maps of {@code size x size} stored one after another (row
	 * after row). Labels outside {@code [1, classes)} (background, ignore) give no prompt.
	 *
	 * @param weights if not {@code null}, only pixels with a positive weight count (a confident,
	 *          accepted pseudo-label)
	 */
	public static SlicePrompts fromLabels(final int[] labels, final float[] weights, final int count, final int size, final int classes) {
		return fromLabels(labels, weights, count, size, size, classes);
	}

	/** {@link #fromLabels(int[], float[], int, int, int)} for slices of {@code width x height}. */
	public static SlicePrompts fromLabels(final int[] labels, final float[] weights, final int count, final int width, final int height, final int classes) {
		final int area = width * height;
		if (labels.length != count * area) throw new IllegalArgumentException(labels.length + " labels for " + count + " slices of " + width + " x " + height);
		final int k = classes - 1;
		final boolean[] present = new boolean[count * k];
		final int[] values = new int[count * k * 6];
		final int[] box = new int[4 * k];
		for (int i = 0; i < count; i++) {
			Arrays.fill(box, -1);
			final int offset = i * area;
			for (int y = 0, p = offset; y < height; y++)
				for (int x = 0; x < width; x++, p++) {
					final int c = labels[p];
					if (c < 1 || c >= classes || weights != null && !(weights[p] > 0)) continue;
					final int b = 4 * (c - 1);
					if (box[b] < 0) {
						box[b] = box[b + 2] = x;
						box[b + 1] = box[b + 3] = y;
					}
					else {
						box[b] = Math.min(box[b], x);
						box[b + 2] = Math.max(box[b + 2], x);
						box[b + 3] = y; // rows come in order
					}
				}
			for (int c = 1; c < classes; c++) {
				final int b = 4 * (c - 1);
				if (box[b] < 0) continue;
				final int slot = i * k + c - 1;
				present[slot] = true;
				System.arraycopy(box, b, values, 6 * slot, 4);
				farthestInteriorPoint(labels, weights, offset, width, c, box[b], box[b + 1], box[b + 2], box[b + 3], values, 6 * slot + 4);
			}
		}
		return new SlicePrompts(count, classes, present, values);
	}

	/**
	 * PCSW's prompts (or prompts read from a file) of a volume of {@code slices} slices: per slice and
	 * class the one with the highest score; prompts of classes at or above {@code classes} are left
	 * out.
	 */
	public static SlicePrompts of(final List<Prompt> prompts, final int slices, final int classes) {
		final Builder builder = new Builder(slices, classes);
		final double[] best = new double[slices * classes];
		Arrays.fill(best, Double.NEGATIVE_INFINITY);
		for (final Prompt p : prompts) {
			if (p.classLabel() >= classes) continue;
			if (p.slice() < 0 || p.slice() >= slices)
				throw new IllegalArgumentException("a prompt on slice " + p.slice() + " of a volume of " + slices + " slices");
			final int slot = p.slice() * classes + p.classLabel();
			if (p.score() <= best[slot]) continue;
			best[slot] = p.score();
			builder.set(p.slice(), p.classLabel(), p.box(), p.click());
		}
		return builder.build();
	}

	/**
	 * The mask of class {@code c} inside its box with a one-pixel frame of outside: no outside pixel
	 * beyond the frame can be nearer to a mask pixel than the frame, so the crop gives the exact
	 * distances of the whole slice.
	 */
	private static void farthestInteriorPoint(final int[] labels, final float[] weights, final int offset, final int width, final int c,
		final int x0, final int y0, final int x1, final int y1, final int[] out, final int at)
	{
		final int w = x1 - x0 + 3, h = y1 - y0 + 3;
		final boolean[] inside = new boolean[w * h];
		for (int y = y0; y <= y1; y++)
			for (int x = x0; x <= x1; x++) {
				final int p = offset + y * width + x;
				inside[(y - y0 + 1) * w + x - x0 + 1] = labels[p] == c && (weights == null || weights[p] > 0);
			}
		final int best = EuclideanDistanceTransform.farthestInside(inside, new int[] { w, h }, new double[] { 1, 1 });
		out[at] = best % w - 1 + x0;
		out[at + 1] = best / w - 1 + y0;
	}

	/**
	 * A copy that keeps each prompt with probability {@code probability}. Training with some prompts
	 * left out teaches the decoder to segment from its class token alone, as it must at prediction
	 * time, where no prompt is given.
	 */
	public SlicePrompts keep(final double probability, final Random random) {
		final boolean[] kept = present.clone();
		for (int i = 0; i < kept.length; i++)
			if (kept[i] && random.nextDouble() >= probability) kept[i] = false;
		return new SlicePrompts(count, classes, kept, values);
	}

	/**
	 * A copy that keeps the prompts of the slices {@code slice} accepts and drops the others' (the
	 * slices between SAM-2's prompted frames, which are segmented from memory).
	 */
	public SlicePrompts keepSlices(final IntPredicate slice) {
		final int k = classes - 1;
		final boolean[] kept = present.clone();
		for (int i = 0; i < count; i++)
			if (!slice.test(i)) Arrays.fill(kept, i * k, (i + 1) * k, false);
		return new SlicePrompts(count, classes, kept, values);
	}

	/** The prompts of several batches, one after another. */
	public static SlicePrompts concat(final SlicePrompts... parts) {
		int count = 0;
		for (final SlicePrompts p : parts) {
			if (p.classes != parts[0].classes) throw new IllegalArgumentException("prompts for different class counts");
			count += p.count;
		}
		final int k = parts[0].classes - 1;
		final boolean[] present = new boolean[count * k];
		final int[] values = new int[count * k * 6];
		int at = 0;
		for (final SlicePrompts p : parts) {
			System.arraycopy(p.present, 0, present, at * k, p.present.length);
			System.arraycopy(p.values, 0, values, at * k * 6, p.values.length);
			at += p.count;
		}
		return new SlicePrompts(count, parts[0].classes, present, values);
	}

	/** The prompts of slices {@code indices} of this batch, in that order. */
	public SlicePrompts select(final int... indices) {
		final int k = classes - 1;
		final boolean[] chosen = new boolean[indices.length * k];
		final int[] chosenValues = new int[indices.length * k * 6];
		for (int i = 0; i < indices.length; i++) {
			if (indices[i] < 0 || indices[i] >= count) throw new IndexOutOfBoundsException("slice " + indices[i] + " of " + count);
			System.arraycopy(present, indices[i] * k, chosen, i * k, k);
			System.arraycopy(values, indices[i] * k * 6, chosenValues, i * k * 6, k * 6);
		}
		return new SlicePrompts(indices.length, classes, chosen, chosenValues);
	}

	/** Number of slices. */
	public int count() {
		return count;
	}

	/** Number of classes, background included. */
	public int classes() {
		return classes;
	}

	/** Whether slice {@code i} has a prompt for class {@code c} (1 and up). */
	public boolean has(final int i, final int c) {
		return present[slot(i, c)];
	}

	/** {@code [xMin, yMin, xMax, yMax]} of the prompt of slice {@code i}, class {@code c}. */
	public int[] box(final int i, final int c) {
		final int s = 6 * slot(i, c);
		return Arrays.copyOfRange(values, s, s + 4);
	}

	/** {@code [x, y]} of the click of slice {@code i}, class {@code c}. */
	public int[] click(final int i, final int c) {
		final int s = 6 * slot(i, c);
		return Arrays.copyOfRange(values, s + 4, s + 6);
	}

	/**
	 * The three SAM-2 points (box corners, click) of every slice for class {@code c}, as pixel
	 * coordinates {@code (count, 3, 2)} and point labels {@code (count, 3)}: {@link #TOP_LEFT},
	 * {@link #BOTTOM_RIGHT}, {@link #CLICK} where the slice has the prompt, {@link #PAD} three times
	 * where it has none, so every slice has the same number of tokens.
	 *
	 * @param coordinates receives {@code count * 6} values from {@code at * 6}
	 * @param labels receives {@code count * 3} values from {@code at * 3}
	 */
	public void points(final int c, final float[] coordinates, final float[] labels, final int at) {
		for (int i = 0; i < count; i++) {
			final int s = slot(i, c), o = at + i;
			if (!present[s]) {
				Arrays.fill(labels, 3 * o, 3 * o + 3, PAD);
				Arrays.fill(coordinates, 6 * o, 6 * o + 6, 0);
				continue;
			}
			for (int j = 0; j < 6; j++)
				coordinates[6 * o + j] = values[6 * s + j];
			labels[3 * o] = TOP_LEFT;
			labels[3 * o + 1] = BOTTOM_RIGHT;
			labels[3 * o + 2] = CLICK;
		}
	}

	private int slot(final int i, final int c) {
		if (i < 0 || i >= count || c < 1 || c >= classes)
			throw new IndexOutOfBoundsException("slice " + i + " of " + count + ", class " + c + " of " + classes);
		return i * (classes - 1) + c - 1;
	}
}
