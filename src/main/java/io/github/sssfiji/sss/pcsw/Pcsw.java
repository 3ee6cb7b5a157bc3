package io.github.sssfiji.sss.pcsw;


import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.morph.ConnectedComponents;
import io.github.sssfiji.morph.ConnectedComponents.Connectivity;
import io.github.sssfiji.morph.EuclideanDistanceTransform;

/**
 * PCSW (Physical Constraints with a Sliding Window): turns the per-slice pseudo-masks of a volume into
 * physically plausible masks and SAM-2 prompts. {@link PcswParameters#rule()} chooses the rule: ours
 * ({@link PcswRule#CHAINS}, the default, below) or the authors' released one ({@link PcswRule#CONTINUITY}: one
 * prompted slice per class from the first window of slices whose largest 3-D component holds at least
 * {@link #CONTINUITY_THRESHOLD} of its foreground, nothing rejected; see {@link ContinuityRule}). Ours, per
 * foreground class c (class 0 is background):
 * <ol>
 * <li><b>Candidates.</b> Per slice, the 8-connected components of {@code label == c && confidence >=
 * confidenceThreshold} with at least {@code minArea} pixels.</li>
 * <li><b>Graph.</b> Components a, b of adjacent slices are linked when {@code max(area) / min(area) <=
 * maxAreaRatio} and ({@code IoU(a, b) >= iouThreshold} or the distance of their centroids {@code <=
 * maxCentroidDistance}). The centroid distance is physical when the in-plane spacing is given.</li>
 * <li><b>Sliding window.</b> Windows of N = {@code windowLength} consecutive slices, stride 1. Within a window,
 * a component's <i>linked</i> components are those reachable from it along edges whose two ends both lie in
 * the window (the connected component of the graph restricted to the window's slices). A component is
 * supported when, in at least one window holding it, its linked components lie in at least m - 1 slices other
 * than its own (m = {@code minSupport}); equivalently, they span at least m slices counting its own. Others
 * (isolated or flickering blobs) are rejected.</li>
 * <li><b>Chains.</b> A depth-first search over the graph of supported components yields chains (3-D connected
 * structures; they hold every slice between their first and last). Kept: the best-scoring chain (score = sum
 * of area x mean confidence; on ties the one starting first) of a single-instance class, whatever its span;
 * every chain spanning at least N slices of the other classes.</li>
 * <li><b>Prompts.</b> On the first slice of each kept chain and every {@code promptFrequency} slices after it:
 * the inclusive bounding box of the chain's mask on the slice and one positive click at the mask pixel
 * farthest from the mask's boundary (the maximum of the exact Euclidean distance transform, with the in-plane
 * spacing; pixels outside the image count as background; ties go to the first pixel in raster order).</li>
 * </ol>
 * A volume with fewer slices than N is one window: N and m are clipped to its number of slices. A single slice
 * (Z = 1) skips steps 2-4: every candidate is kept; the candidates of a single-instance class form one chain,
 * each candidate of another class is a chain of its own.
 * <p>
 * Arrays are flat, x fastest (ImgLib2 order). The work is linear in the number of voxels plus the number of
 * pairs of components on adjacent slices whose bounding boxes overlap.
 * </p>
 */
public final class Pcsw {

	/** Largest class label: labels are classes, not instance ids, and each class costs a pass over the volume. */
	public static final int MAX_CLASS = 65535;

	/**
	 * tau of the {@link PcswRule#CONTINUITY} rule: a window qualifies when its largest component holds at least this
	 * fraction of its foreground voxels (0.8, the released code's default).
	 */
	public static final double CONTINUITY_THRESHOLD = 0.8;

	private Pcsw() {}

	/**
	 * PCSW on a label map, every label with confidence 1.
	 *
	 * @param labels class per voxel (0 background, up to {@link #MAX_CLASS}), flat, x fastest
	 * @param dims {X, Y} or {X, Y, Z}
	 * @param spacing pixel size along x and y (further values are ignored), or null when unknown (d_max in pixels)
	 */
	public static PcswResult fromLabels(final int[] labels, final int[] dims, final double[] spacing, final PcswParameters parameters) {
		return run(labels, null, volumeDims(dims, "label map"), spacing, parameters);
	}

	/**
	 * PCSW on probability maps: the label of a voxel is its argmax class (the lowest on ties), its confidence the
	 * winning probability.
	 *
	 * @param probabilities flat, x fastest: {X, Y, Z, C} holds C class maps (class 0 background, as a softmax
	 *          output); {X, Y, Z} holds the foreground probability p of one class (label 1 where p > 0.5,
	 *          confidence max(p, 1 - p))
	 * @param dims {X, Y, Z, C} or {X, Y, Z}
	 * @param spacing pixel size along x and y (further values are ignored), or null when unknown
	 */
	public static PcswResult fromProbabilities(final float[] probabilities, final int[] dims, final double[] spacing,
		final PcswParameters parameters)
	{
		if (dims.length != 3 && dims.length != 4)
			throw new InvalidInputException("probability map: dims " + Arrays.toString(dims) + " must be {X, Y, Z, C} or {X, Y, Z}");
		final int[] volume = volumeDims(Arrays.copyOf(dims, 3), "probability map");
		final int classes = dims.length == 4 ? dims[3] : 1;
		if (classes < 1) throw new InvalidInputException("probability map: " + classes + " classes in dims " + Arrays.toString(dims));
		final int n = volume[0] * volume[1] * volume[2];
		if ((long) n * classes != probabilities.length)
			throw new InvalidInputException("probability map: " + probabilities.length + " values, but dims " + Arrays.toString(dims) + " need " +
				(long) n * classes);
		for (int i = 0; i < probabilities.length; i++) {
			final float p = probabilities[i];
			if (!(p >= 0 && p <= 1)) throw new InvalidInputException("probability map: value " + p + " at " + position(i % n, volume) +
				(classes > 1 ? ", class " + i / n : "") + " is not a probability in [0, 1]");
		}
		final int[] labels = new int[n];
		final float[] confidence = new float[n];
		if (classes == 1) {
			for (int i = 0; i < n; i++) {
				final float p = probabilities[i];
				labels[i] = p > 0.5f ? 1 : 0;
				confidence[i] = Math.max(p, 1 - p);
			}
		}
		else {
			System.arraycopy(probabilities, 0, confidence, 0, n);
			for (int c = 1; c < classes; c++) {
				final int offset = c * n;
				for (int i = 0; i < n; i++) {
					final float p = probabilities[offset + i];
					if (p > confidence[i]) {
						confidence[i] = p;
						labels[i] = c;
					}
				}
			}
		}
		return run(labels, confidence, volume, spacing, parameters);
	}

	/**
	 * PCSW on labels with a confidence per voxel.
	 *
	 * @param labels class per voxel (0 background, up to {@link #MAX_CLASS}), flat, x fastest
	 * @param confidence confidence per voxel, or null for confidence 1 everywhere
	 * @param dims {X, Y, Z}
	 * @param spacing pixel size along x and y, or null when unknown
	 */
	public static PcswResult run(final int[] labels, final float[] confidence, final int[] dims, final double[] spacing,
		final PcswParameters parameters)
	{
		if (dims.length != 3) throw new InvalidInputException("PCSW: dims " + Arrays.toString(dims) + " must be {X, Y, Z}");
		requireLength("label map", labels.length, dims);
		if (confidence != null && confidence.length != labels.length)
			throw new InvalidInputException("confidence map: " + confidence.length + " values, label map " + labels.length);
		if (parameters == null) throw new InvalidInputException("PCSW: parameters missing");
		final double[] pixelSize = inPlaneSpacing(spacing);
		final int nx = dims[0], ny = dims[1], nz = dims[2];
		final int area = nx * ny;
		// which classes each slice holds, so a class's mask is built only where it exists
		int maxLabel = 0;
		final boolean[][] present = new boolean[nz][];
		for (int z = 0; z < nz; z++) {
			int sliceMax = 0;
			for (int i = z * area, end = i + area; i < end; i++) {
				final int label = labels[i];
				if (label > sliceMax) {
					if (label > MAX_CLASS) throw new InvalidInputException("label map: label " + label + " at " + position(i, dims) +
						" is above " + MAX_CLASS + ", the largest class PCSW handles");
					sliceMax = label;
				}
				else if (label < 0) throw new InvalidInputException("label map: negative label " + label + " at " + position(i, dims));
			}
			present[z] = new boolean[sliceMax + 1];
			for (int i = z * area, end = i + area; i < end; i++)
				present[z][labels[i]] = true;
			maxLabel = Math.max(maxLabel, sliceMax);
		}
		if (parameters.rule() == PcswRule.CONTINUITY) return ContinuityRule.run(labels, confidence, dims, maxLabel, present, parameters);
		final int[] filtered = labels.clone();
		final boolean[] rejected = new boolean[labels.length];
		final List<Chain> chains = new ArrayList<>();
		final List<Prompt> prompts = new ArrayList<>();
		final ClassPass pass = new ClassPass(labels, confidence, nx, ny, nz, pixelSize, parameters, present);
		for (int c = 1; c <= maxLabel; c++)
			pass.run(c, filtered, rejected, chains, prompts);
		return new PcswResult(dims.clone(), filtered, rejected, chains, prompts);
	}

	private static int[] volumeDims(final int[] dims, final String what) {
		if (dims.length != 2 && dims.length != 3)
			throw new InvalidInputException(what + ": dims " + Arrays.toString(dims) + " must be {X, Y} or {X, Y, Z}");
		final int[] volume = { dims[0], dims[1], dims.length == 3 ? dims[2] : 1 };
		for (final int d : volume)
			if (d < 1) throw new InvalidInputException(what + ": dims " + Arrays.toString(dims) + " must all be at least 1");
		if ((long) volume[0] * volume[1] * volume[2] > Integer.MAX_VALUE)
			throw new InvalidInputException(what + ": dims " + Arrays.toString(dims) + " exceed 2^31 voxels");
		return volume;
	}

	private static void requireLength(final String what, final int length, final int[] volume) {
		for (final int d : volume)
			if (d < 1) throw new InvalidInputException(what + ": dims " + Arrays.toString(volume) + " must all be at least 1");
		final long expected = (long) volume[0] * volume[1] * volume[2];
		if (length != expected) throw new InvalidInputException(what + ": " + length + " values, but dims " + Arrays.toString(volume) + " need " + expected);
	}

	private static double[] inPlaneSpacing(final double[] spacing) {
		if (spacing == null) return new double[] { 1, 1 };
		if (spacing.length < 2) throw new InvalidInputException("spacing " + Arrays.toString(spacing) + ": needs at least the x and y pixel sizes");
		for (int d = 0; d < 2; d++)
			if (!(spacing[d] > 0) || Double.isInfinite(spacing[d]))
				throw new InvalidInputException("spacing " + Arrays.toString(spacing) + ": pixel size " + spacing[d] + " along " + (d == 0 ? "x" : "y") +
					" must be a finite number > 0");
		return new double[] { spacing[0], spacing[1] };
	}

	private static String position(final int index, final int[] volume) {
		final int x = index % volume[0];
		final int y = index / volume[0] % volume[1];
		final int z = index / (volume[0] * volume[1]);
		return "(x " + x + ", y " + y + ", z " + z + ")";
	}

	/** A candidate: one connected component of one slice. */
	private static final class Component {

		final int slice;
		/** Its label in the slice's component labelling. */
		final int label;
		final int area;
		final double confidenceSum;
		final double cx, cy;
		final int xMin, yMin, xMax, yMax;
		int[] neighbours = new int[0];
		int neighbourCount;

		Component(final int slice, final int label, final int area, final double confidenceSum, final double cx, final double cy, final int xMin,
			final int yMin, final int xMax, final int yMax)
		{
			this.slice = slice;
			this.label = label;
			this.area = area;
			this.confidenceSum = confidenceSum;
			this.cx = cx;
			this.cy = cy;
			this.xMin = xMin;
			this.yMin = yMin;
			this.xMax = xMax;
			this.yMax = yMax;
		}

		void link(final int other) {
			if (neighbourCount == neighbours.length) neighbours = Arrays.copyOf(neighbours, Math.max(4, 2 * neighbourCount));
			neighbours[neighbourCount++] = other;
		}
	}

	/** The five steps for one class at a time; buffers are reused across classes. */
	private static final class ClassPass {

		private final int[] labels;
		private final float[] confidence;
		private final int nx, ny, nz, area;
		private final double sx, sy;
		private final PcswParameters parameters;
		private final boolean[][] present;
		private final boolean[] mask;
		/** Per slice: the component labelling of the current class (null where it has no candidate pixel). */
		private final int[][] componentLabels;
		/** Per slice: candidate index of each component label, -1 when too small. */
		private final int[][] candidateOf;
		/** Index of the first candidate of each slice; sliceStart[nz] = number of candidates. */
		private final int[] sliceStart;
		private final List<Component> candidates = new ArrayList<>();

		ClassPass(final int[] labels, final float[] confidence, final int nx, final int ny, final int nz, final double[] pixelSize,
			final PcswParameters parameters, final boolean[][] present)
		{
			this.labels = labels;
			this.confidence = confidence;
			this.nx = nx;
			this.ny = ny;
			this.nz = nz;
			this.area = nx * ny;
			this.sx = pixelSize[0];
			this.sy = pixelSize[1];
			this.parameters = parameters;
			this.present = present;
			this.mask = new boolean[area];
			this.componentLabels = new int[nz][];
			this.candidateOf = new int[nz][];
			this.sliceStart = new int[nz + 1];
		}

		void run(final int c, final int[] filtered, final boolean[] rejected, final List<Chain> chains, final List<Prompt> prompts) {
			findCandidates(c);
			final int n = candidates.size();
			final boolean[] kept = new boolean[n];
			final int[] chainOf = new int[n];
			Arrays.fill(chainOf, -1);
			final List<int[]> keptChains = new ArrayList<>();
			if (n > 0) {
				if (nz == 1) groupSingleSlice(c, keptChains);
				else {
					link();
					final boolean[] supported = support();
					selectChains(c, supported, keptChains);
				}
			}
			final int firstId = chains.size();
			for (int k = 0; k < keptChains.size(); k++) {
				final int[] members = keptChains.get(k);
				double score = 0;
				for (final int v : members) {
					kept[v] = true;
					chainOf[v] = firstId + k;
					score += candidates.get(v).confidenceSum;
				}
				final int first = candidates.get(members[0]).slice;
				final int last = candidates.get(members[members.length - 1]).slice;
				chains.add(new Chain(firstId + k, c, first, last, score));
			}
			for (int k = 0; k < keptChains.size(); k++)
				addPrompts(chains.get(firstId + k), keptChains.get(k), chainOf, prompts);
			writeMasks(kept, filtered, rejected);
		}

		/** Step 1: labelled components per slice and their statistics, in one pass over each slice. */
		private void findCandidates(final int c) {
			candidates.clear();
			final double threshold = parameters.confidenceThreshold();
			final int[] sliceDims = { nx, ny };
			for (int z = 0; z < nz; z++) {
				sliceStart[z] = candidates.size();
				componentLabels[z] = null;
				candidateOf[z] = null;
				if (c >= present[z].length || !present[z][c]) continue;
				final int offset = z * area;
				boolean any = false;
				for (int i = 0; i < area; i++) {
					final boolean m = labels[offset + i] == c && (confidence == null || confidence[offset + i] >= threshold);
					mask[i] = m;
					any |= m;
				}
				if (!any) continue;
				final ConnectedComponents cc = ConnectedComponents.label(mask, sliceDims, Connectivity.FULL);
				final int count = cc.count();
				final int[] cl = cc.labels();
				final int[] xMin = new int[count + 1], yMin = new int[count + 1], xMax = new int[count + 1], yMax = new int[count + 1];
				Arrays.fill(xMin, Integer.MAX_VALUE);
				Arrays.fill(yMin, Integer.MAX_VALUE);
				Arrays.fill(xMax, -1);
				Arrays.fill(yMax, -1);
				final long[] sumX = new long[count + 1], sumY = new long[count + 1];
				final double[] sumConfidence = new double[count + 1];
				for (int y = 0, i = 0; y < ny; y++)
					for (int x = 0; x < nx; x++, i++) {
						final int l = cl[i];
						if (l == 0) continue;
						if (x < xMin[l]) xMin[l] = x;
						if (x > xMax[l]) xMax[l] = x;
						if (y < yMin[l]) yMin[l] = y;
						yMax[l] = y;
						sumX[l] += x;
						sumY[l] += y;
						sumConfidence[l] += confidence == null ? 1 : confidence[offset + i];
					}
				final int[] index = new int[count + 1];
				index[0] = -1;
				for (int l = 1; l <= count; l++) {
					final int size = (int) cc.size(l);
					if (size < parameters.minArea()) {
						index[l] = -1;
						continue;
					}
					index[l] = candidates.size();
					candidates.add(new Component(z, l, size, sumConfidence[l], (double) sumX[l] / size, (double) sumY[l] / size, xMin[l], yMin[l],
						xMax[l], yMax[l]));
				}
				componentLabels[z] = cl;
				candidateOf[z] = index;
			}
			sliceStart[nz] = candidates.size();
		}

		/** Step 2: edges between candidates of adjacent slices under the physical constraints. */
		private void link() {
			for (int z = 0; z + 1 < nz; z++)
				for (int a = sliceStart[z]; a < sliceStart[z + 1]; a++)
					for (int b = sliceStart[z + 1]; b < sliceStart[z + 2]; b++)
						if (linked(candidates.get(a), candidates.get(b))) {
							candidates.get(a).link(b);
							candidates.get(b).link(a);
						}
		}

		private boolean linked(final Component a, final Component b) {
			if (Math.max(a.area, b.area) > parameters.maxAreaRatio() * Math.min(a.area, b.area)) return false;
			final double dx = (a.cx - b.cx) * sx, dy = (a.cy - b.cy) * sy;
			if (Math.sqrt(dx * dx + dy * dy) <= parameters.maxCentroidDistance()) return true;
			final int x0 = Math.max(a.xMin, b.xMin), x1 = Math.min(a.xMax, b.xMax);
			final int y0 = Math.max(a.yMin, b.yMin), y1 = Math.min(a.yMax, b.yMax);
			if (x0 > x1 || y0 > y1) return false; // disjoint boxes: IoU 0, below any allowed threshold
			final int[] la = componentLabels[a.slice], lb = componentLabels[b.slice];
			int overlap = 0;
			for (int y = y0; y <= y1; y++)
				for (int i = y * nx + x0, end = y * nx + x1; i <= end; i++)
					if (la[i] == a.label && lb[i] == b.label) overlap++;
			final double iou = (double) overlap / (a.area + b.area - overlap);
			return iou >= parameters.iouThreshold();
		}

		/** Step 3: sliding-window judging; see the class documentation for "linked". */
		private boolean[] support() {
			final int n = candidates.size();
			final int window = Math.min(parameters.windowLength(), nz);
			final int minSlices = Math.min(parameters.minSupport(), window);
			final boolean[] supported = new boolean[n];
			final int[] visitedIn = new int[n];
			Arrays.fill(visitedIn, -1);
			final int[] sliceSeen = new int[nz];
			Arrays.fill(sliceSeen, -1);
			final int[] stack = new int[n];
			final int[] members = new int[n];
			int group = 0;
			for (int start = 0; start + window <= nz; start++) {
				final int lo = sliceStart[start], hi = sliceStart[start + window];
				for (int seed = lo; seed < hi; seed++) {
					if (visitedIn[seed] == start) continue;
					int top = 0, size = 0, slices = 0;
					stack[top++] = seed;
					visitedIn[seed] = start;
					group++;
					while (top > 0) {
						final int v = stack[--top];
						members[size++] = v;
						final Component cv = candidates.get(v);
						if (sliceSeen[cv.slice] != group) {
							sliceSeen[cv.slice] = group;
							slices++;
						}
						for (int e = 0; e < cv.neighbourCount; e++) {
							final int w = cv.neighbours[e];
							if (w < lo || w >= hi || visitedIn[w] == start) continue;
							visitedIn[w] = start;
							stack[top++] = w;
						}
					}
					if (slices >= minSlices) for (int k = 0; k < size; k++)
						supported[members[k]] = true;
				}
			}
			return supported;
		}

		/** Step 4: chains by depth-first search over the supported graph, then the selection. */
		private void selectChains(final int c, final boolean[] supported, final List<int[]> keptChains) {
			final int n = candidates.size();
			final boolean[] visited = new boolean[n];
			final int[] stack = new int[n];
			final int[] members = new int[n];
			final List<int[]> all = new ArrayList<>();
			for (int seed = 0; seed < n; seed++) {
				if (!supported[seed] || visited[seed]) continue;
				int top = 0, size = 0;
				stack[top++] = seed;
				visited[seed] = true;
				while (top > 0) {
					final int v = stack[--top];
					members[size++] = v;
					final Component cv = candidates.get(v);
					for (int e = 0; e < cv.neighbourCount; e++) {
						final int w = cv.neighbours[e];
						if (!supported[w] || visited[w]) continue;
						visited[w] = true;
						stack[top++] = w;
					}
				}
				final int[] chain = Arrays.copyOf(members, size);
				Arrays.sort(chain); // candidates are in slice order, so the chain is too
				all.add(chain);
			}
			if (parameters.isSingleInstance(c)) {
				int[] best = null;
				double bestScore = Double.NEGATIVE_INFINITY;
				for (final int[] chain : all) {
					final double score = score(chain);
					if (score > bestScore) {
						bestScore = score;
						best = chain;
					}
				}
				if (best != null) keptChains.add(best);
			}
			else {
				final int minSpan = Math.min(parameters.windowLength(), nz);
				for (final int[] chain : all)
					if (candidates.get(chain[chain.length - 1]).slice - candidates.get(chain[0]).slice + 1 >= minSpan) keptChains.add(chain);
			}
		}

		/** Z = 1: no graph; a single-instance class is one chain, another class one chain per candidate. */
		private void groupSingleSlice(final int c, final List<int[]> keptChains) {
			final int n = candidates.size();
			if (parameters.isSingleInstance(c)) {
				final int[] all = new int[n];
				for (int v = 0; v < n; v++)
					all[v] = v;
				keptChains.add(all);
			}
			else for (int v = 0; v < n; v++)
				keptChains.add(new int[] { v });
		}

		private double score(final int[] chain) {
			double score = 0;
			for (final int v : chain)
				score += candidates.get(v).confidenceSum;
			return score;
		}

		/** Step 5: box and click on every promptFrequency-th slice of the chain, from its first. */
		private void addPrompts(final Chain chain, final int[] members, final int[] chainOf, final List<Prompt> prompts) {
			int m = 0;
			for (int z = chain.firstSlice(); z <= chain.lastSlice(); z += parameters.promptFrequency()) {
				while (candidates.get(members[m]).slice < z)
					m++;
				int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
				for (int k = m; k < members.length && candidates.get(members[k]).slice == z; k++) {
					final Component cv = candidates.get(members[k]);
					x0 = Math.min(x0, cv.xMin);
					y0 = Math.min(y0, cv.yMin);
					x1 = Math.max(x1, cv.xMax);
					y1 = Math.max(y1, cv.yMax);
				}
				// the chain's mask in its box, with a one-pixel frame of background: the image's outside counts as
				// background, and no background pixel outside the frame can be nearer than the frame
				final int w = x1 - x0 + 3, h = y1 - y0 + 3;
				final boolean[] crop = new boolean[w * h];
				final int[] cl = componentLabels[z], index = candidateOf[z];
				for (int y = y0; y <= y1; y++)
					for (int x = x0; x <= x1; x++) {
						final int l = cl[y * nx + x];
						crop[(y - y0 + 1) * w + (x - x0 + 1)] = l > 0 && index[l] >= 0 && chainOf[index[l]] == chain.id();
					}
				final int best = EuclideanDistanceTransform.farthestInside(crop, new int[] { w, h }, new double[] { sx, sy });
				prompts.add(new Prompt(chain.classLabel(), z, x0, y0, x1, y1, best % w - 1 + x0, best / w - 1 + y0, chain.id(), chain.score()));
			}
		}

		/** Removes every candidate pixel outside a kept chain from the label map and marks it rejected. */
		private void writeMasks(final boolean[] kept, final int[] filtered, final boolean[] rejected) {
			for (int z = 0; z < nz; z++) {
				final int[] cl = componentLabels[z];
				if (cl == null) continue;
				final int[] index = candidateOf[z];
				final int offset = z * area;
				for (int i = 0; i < area; i++) {
					final int l = cl[i];
					if (l == 0) continue;
					final int v = index[l];
					if (v < 0 || !kept[v]) {
						filtered[offset + i] = 0;
						rejected[offset + i] = true;
					}
				}
			}
		}
	}
}
