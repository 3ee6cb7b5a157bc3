package io.github.sssfiji.sss.pcsw;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.sssfiji.morph.ConnectedComponents;
import io.github.sssfiji.morph.ConnectedComponents.Connectivity;

/**
 * PCSW's {@link PcswRule#CONTINUITY} rule, the authors' released form (SSS-DESIGN.md, section 7), on a volume of
 * S slices. Per foreground class c:
 * <ol>
 * <li><b>Coarse mask.</b> The voxels of {@code label == c && confidence >= confidenceThreshold}: with probabilities,
 * the teacher's argmax per class where it is confident. The released code binarises at 0.5 the masks of a small
 * head trained on the encoder's features; the teacher's probabilities stand in for that head, which would be
 * trained from the same labels ({@code confidenceThreshold} 0 with one class map reproduces the 0.5 binarisation).
 * No other threshold of {@link PcswParameters} applies (no minimum area, no spacing).</li>
 * <li><b>Windows.</b> N runs from {@link #firstWindow(int) N_start} to {@link #lastWindow(int) N_max}, and for
 * each N the window starts at slice 0, 1, ..., S - N: windows of consecutive slices, smallest N first, then left
 * to right. With integer (floor) division, as the released code: {@code N_min = max(2, S / 3)},
 * {@code N_max = max(3, S / 2)}, {@code N_start = (N_min + N_max) / 2}. Lengths above S give no window, so a
 * volume of one slice has none and one of two slices has the single window of both (N = 2). Examples: S = 10
 * gives N 4 and 5; S = 20 gives N 8, 9 and 10; S = 3 to 7 give N 2 and 3.</li>
 * <li><b>Continuity.</b> In a window, the 3-D components of the class's mask with face connectivity (6
 * neighbours, {@link ConnectedComponents} with {@link Connectivity#FACE}; scipy's default structure in the
 * released code) and {@code C = voxels of the largest component / foreground voxels of the window} (the largest is
 * the first in raster order, x fastest and z slowest, on ties). A window without foreground does not qualify. The
 * first window with {@code C >= }{@link Pcsw#CONTINUITY_THRESHOLD} (0.8) wins.</li>
 * <li><b>Prompt.</b> On the window's slice where the winning component's area is largest (the first on ties): the
 * inclusive bounding box of the component on that slice and one positive click at the box centre,
 * {@code ((xMin + xMax) / 2, (yMin + yMax) / 2)} rounded down (the released code keeps the half pixel). The centre
 * is the released rule and is kept even where it is not in the component (a ring, a crescent such as the
 * myocardium): the click may then lie on background. The class's {@link Chain} is the winning component: its first
 * and last slice and the sum of its voxels' confidences.</li>
 * <li><b>Fallback.</b> No window qualifies: the slice with the most foreground of the class (the first on ties),
 * the bounding box of all its foreground and a click at the foreground's centroid rounded to the nearest pixel
 * (halves down), which need not be foreground either; the chain is that slice's foreground.</li>
 * </ol>
 * One prompted slice per class and volume; a class without foreground voxels gets no prompt (the released code,
 * which handles one class, then prompts the whole image). Nothing is rejected: the result's label map is the input
 * label map and its rejected mask is empty (the released sketch keeps the coarse masks as they are; it only
 * chooses the prompt).
 * <p>
 * Work: per class and window one labelling of the window, cropped to the class's bounding box in x and y; at most
 * about {@code (N_max - N_start + 1) x S} windows of at most S / 2 slices each, fewer when a window qualifies early.
 * </p>
 */
final class ContinuityRule {

	private ContinuityRule() {}

	/** N_min = max(2, S / 3), integer division. */
	static int minWindow(final int slices) {
		return Math.max(2, slices / 3);
	}

	/** N_max = max(3, S / 2), integer division. */
	static int lastWindow(final int slices) {
		return Math.max(3, slices / 2);
	}

	/** N_start = (N_min + N_max) / 2, integer division: the middle of [N_min, N_max], rounded down. */
	static int firstWindow(final int slices) {
		return (minWindow(slices) + lastWindow(slices)) / 2;
	}

	/**
	 * The rule on a validated label map (see {@link Pcsw#run}).
	 *
	 * @param maxLabel the largest label present
	 * @param present per slice, which labels it holds
	 */
	static PcswResult run(final int[] labels, final float[] confidence, final int[] dims, final int maxLabel, final boolean[][] present,
		final PcswParameters parameters)
	{
		final List<Chain> chains = new ArrayList<>();
		final List<Prompt> prompts = new ArrayList<>();
		for (int c = 1; c <= maxLabel; c++)
			new ClassVolume(labels, confidence, dims, present, c, parameters.confidenceThreshold()).prompt(chains, prompts);
		return new PcswResult(dims.clone(), labels.clone(), new boolean[labels.length], chains, prompts);
	}

	/** One class's coarse mask, cropped to its bounding box in x and y, with its foreground per slice. */
	private static final class ClassVolume {

		private final int[] labels;
		private final float[] confidence;
		private final int nx, ny, nz;
		private final int classLabel;
		private final double threshold;
		/** Bounding box of the class's mask in x and y (x1 < x0 when it is empty). */
		private int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
		private int cw, ch, carea;
		/** The mask in the box, flat, x fastest, all slices. */
		private boolean[] mask;
		/** prefix[z] = foreground voxels of slices 0..z-1. */
		private final long[] prefix;

		ClassVolume(final int[] labels, final float[] confidence, final int[] dims, final boolean[][] present, final int classLabel,
			final double threshold)
		{
			this.labels = labels;
			this.confidence = confidence;
			nx = dims[0];
			ny = dims[1];
			nz = dims[2];
			this.classLabel = classLabel;
			this.threshold = threshold;
			prefix = new long[nz + 1];
			final int area = nx * ny;
			for (int z = 0; z < nz; z++) {
				if (classLabel >= present[z].length || !present[z][classLabel]) continue;
				for (int y = 0, i = z * area; y < ny; y++)
					for (int x = 0; x < nx; x++, i++)
						if (in(i)) {
							x0 = Math.min(x0, x);
							x1 = Math.max(x1, x);
							y0 = Math.min(y0, y);
							y1 = Math.max(y1, y);
						}
			}
			if (x1 < 0) return;
			cw = x1 - x0 + 1;
			ch = y1 - y0 + 1;
			carea = cw * ch;
			mask = new boolean[carea * nz];
			for (int z = 0; z < nz; z++) {
				long count = 0;
				if (classLabel < present[z].length && present[z][classLabel]) for (int y = 0; y < ch; y++)
					for (int x = 0; x < cw; x++)
						if (in(index(x, y, z))) {
							mask[(z * ch + y) * cw + x] = true;
							count++;
						}
				prefix[z + 1] = prefix[z] + count;
			}
		}

		/** Whether voxel {@code i} of the volume is in the class's coarse mask. */
		private boolean in(final int i) {
			return labels[i] == classLabel && (confidence == null || confidence[i] >= threshold);
		}

		/** Index in the volume of voxel (x, y) of the box on slice z. */
		private int index(final int x, final int y, final int z) {
			return (z * ny + y0 + y) * nx + x0 + x;
		}

		/** Adds the class's chain and its one prompt; nothing without foreground. */
		void prompt(final List<Chain> chains, final List<Prompt> prompts) {
			if (mask == null) return;
			final int first = firstWindow(nz), last = lastWindow(nz);
			for (int n = first; n <= Math.min(last, nz); n++)
				for (int start = 0; start + n <= nz; start++) {
					final long total = prefix[start + n] - prefix[start];
					if (total == 0) continue;
					final ConnectedComponents cc = ConnectedComponents.label(Arrays.copyOfRange(mask, start * carea, (start + n) * carea),
						new int[] { cw, ch, n }, Connectivity.FACE);
					int best = 1;
					for (int l = 2; l <= cc.count(); l++)
						if (cc.size(l) > cc.size(best)) best = l;
					// the released code's ratio, compared as it is: largest / total >= tau
					if ((double) cc.size(best) / total >= Pcsw.CONTINUITY_THRESHOLD) {
						component(cc.labels(), best, start, n, chains, prompts);
						return;
					}
				}
			fallback(chains, prompts);
		}

		/** The winning component {@code label} of the window of {@code n} slices from {@code start}. */
		private void component(final int[] cl, final int label, final int start, final int n, final List<Chain> chains, final List<Prompt> prompts) {
			int bestSlice = -1, firstSlice = -1, lastSlice = -1;
			long bestArea = 0;
			double score = 0;
			for (int k = 0; k < n; k++) {
				long area = 0;
				for (int y = 0, j = k * carea; y < ch; y++)
					for (int x = 0; x < cw; x++, j++)
						if (cl[j] == label) {
							area++;
							score += confidence == null ? 1 : confidence[index(x, y, start + k)];
						}
				if (area == 0) continue;
				if (firstSlice < 0) firstSlice = start + k;
				lastSlice = start + k;
				if (area > bestArea) {
					bestArea = area;
					bestSlice = k;
				}
			}
			int bx0 = Integer.MAX_VALUE, by0 = Integer.MAX_VALUE, bx1 = -1, by1 = -1;
			for (int y = 0, j = bestSlice * carea; y < ch; y++)
				for (int x = 0; x < cw; x++, j++)
					if (cl[j] == label) {
						bx0 = Math.min(bx0, x);
						bx1 = Math.max(bx1, x);
						by0 = Math.min(by0, y);
						by1 = Math.max(by1, y);
					}
			final Chain chain = new Chain(chains.size(), classLabel, firstSlice, lastSlice, score);
			chains.add(chain);
			// the box centre, rounded down; it may lie outside the component (see the class documentation)
			prompts.add(new Prompt(classLabel, start + bestSlice, x0 + bx0, y0 + by0, x0 + bx1, y0 + by1, x0 + (bx0 + bx1) / 2, y0 + (by0 + by1) / 2,
				chain.id(), score));
		}

		/** No window qualifies: the slice with the most foreground, its box and the foreground's centroid. */
		private void fallback(final List<Chain> chains, final List<Prompt> prompts) {
			int slice = 0;
			for (int z = 1; z < nz; z++)
				if (prefix[z + 1] - prefix[z] > prefix[slice + 1] - prefix[slice]) slice = z;
			int bx0 = Integer.MAX_VALUE, by0 = Integer.MAX_VALUE, bx1 = -1, by1 = -1;
			long sumX = 0, sumY = 0, count = 0;
			double score = 0;
			for (int y = 0, j = slice * carea; y < ch; y++)
				for (int x = 0; x < cw; x++, j++)
					if (mask[j]) {
						bx0 = Math.min(bx0, x);
						bx1 = Math.max(bx1, x);
						by0 = Math.min(by0, y);
						by1 = Math.max(by1, y);
						sumX += x0 + x;
						sumY += y0 + y;
						count++;
						score += confidence == null ? 1 : confidence[index(x, y, slice)];
					}
			final Chain chain = new Chain(chains.size(), classLabel, slice, slice, score);
			chains.add(chain);
			prompts.add(new Prompt(classLabel, slice, x0 + bx0, y0 + by0, x0 + bx1, y0 + by1, nearest(sumX, count), nearest(sumY, count), chain.id(),
				score));
		}
	}

	/** {@code sum / count} rounded to the nearest integer, halves down, exactly: ceil(sum / count - 1/2). */
	static int nearest(final long sum, final long count) {
		return (int) -Math.floorDiv(count - 2 * sum, 2 * count);
	}
}
