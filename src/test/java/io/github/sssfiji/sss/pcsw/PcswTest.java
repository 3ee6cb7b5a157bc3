package io.github.sssfiji.sss.pcsw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;

/**
 * PCSW on label and probability volumes built from rectangles, whose boxes, clicks, scores and kept voxels
 * are worked out by hand in the comments.
 */
class PcswTest {

	private static final PcswParameters DEFAULTS = PcswParameters.defaults();

	@Test
	void keepsContinuousStructureAndRejectsIsolatedAndFlickeringBlobs() {
		final LabelVolume v = new LabelVolume(40, 30, 6).box(1, 0, 5, 5, 4, 15, 12);
		final boolean[] structure = v.maskOf(1);
		v.box(1, 2, 2, 30, 20, 33, 23); // isolated: one slice
		v.box(1, 0, 0, 30, 3, 33, 6).box(1, 2, 2, 30, 3, 33, 6).box(1, 4, 4, 30, 3, 33, 6); // flickers: slices 0, 2, 4
		final boolean[] all = v.maskOf(1);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS);
		for (int i = 0; i < all.length; i++) {
			assertEquals(structure[i] ? 1 : 0, r.labels()[i], "label at " + i);
			assertEquals(all[i] && !structure[i], r.rejected()[i], "rejected at " + i);
		}
		assertEquals(List.of(new Chain(0, 1, 0, 5, 99 * 6)), r.chains());
		// 11 x 9 box: farthest from the outside at y = 8 (5 pixels to rows 3 and 13) and x in 9..11; first is (9, 8)
		assertEquals(List.of(prompt(1, 0, 5, 4, 15, 12, 9, 8, 0, 594), prompt(1, 2, 5, 4, 15, 12, 9, 8, 0, 594),
			prompt(1, 4, 5, 4, 15, 12, 9, 8, 0, 594)), r.prompts());
	}

	@Test
	void emptyVolumeGivesNothing() {
		final LabelVolume v = new LabelVolume(10, 10, 3);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS);
		assertTrue(r.chains().isEmpty());
		assertTrue(r.prompts().isEmpty());
		assertArrayEquals(new int[300], r.labels());
		assertArrayEquals(new boolean[300], r.rejected());
		assertArrayEquals(new int[] { 10, 10, 3 }, r.dims());
	}

	@Test
	void singleSliceKeepsEveryLargeEnoughComponent() {
		final LabelVolume v = new LabelVolume(20, 20, 1).box(1, 0, 0, 1, 1, 5, 5).box(1, 0, 0, 10, 10, 14, 16);
		final boolean[] large = v.maskOf(1);
		v.box(1, 0, 0, 18, 0, 19, 1); // 4 pixels, under minArea 10
		final int[] dims2d = { 20, 20 };
		final PcswResult multi = Pcsw.fromLabels(v.labels, dims2d, null, DEFAULTS);
		// 5 x 7 box at (10..14, 10..16): 3 pixels to the side at x = 12, y in 12..14
		assertEquals(List.of(prompt(1, 0, 1, 1, 5, 5, 3, 3, 0, 25), prompt(1, 0, 10, 10, 14, 16, 12, 12, 1, 35)), multi.prompts());
		for (int i = 0; i < large.length; i++) {
			assertEquals(large[i] ? 1 : 0, multi.labels()[i]);
			assertEquals(v.labels[i] == 1 && !large[i], multi.rejected()[i]);
		}
		// single instance: one chain of both, the union's box; both centres are 3 pixels deep, (3, 3) comes first
		final PcswResult single = Pcsw.fromLabels(v.labels, dims2d, null, PcswParameters.cardiac());
		assertEquals(List.of(new Chain(0, 1, 0, 0, 60)), single.chains());
		assertEquals(List.of(prompt(1, 0, 1, 1, 14, 16, 3, 3, 0, 60)), single.prompts());
		assertArrayEquals(multi.labels(), single.labels());
	}

	@Test
	void allForegroundIsOneStructureWithTheImageEdgeAsBoundary() {
		final LabelVolume v = new LabelVolume(9, 7, 4).box(1, 0, 3, 0, 0, 8, 6);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS);
		assertArrayEquals(v.labels, r.labels());
		assertArrayEquals(new boolean[v.labels.length], r.rejected());
		// 4 pixels from the top and bottom edges at y = 3; x in 3..5 is at least as far from the sides
		assertEquals(List.of(prompt(1, 0, 0, 0, 8, 6, 3, 3, 0, 252), prompt(1, 2, 0, 0, 8, 6, 3, 3, 0, 252)), r.prompts());
	}

	@Test
	void structuresTouchingTheBorder() {
		final LabelVolume v = new LabelVolume(20, 20, 4).box(1, 0, 3, 0, 0, 6, 4).box(2, 0, 3, 13, 15, 19, 19);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS);
		assertArrayEquals(v.labels, r.labels());
		// class 1: 3 pixels deep at y = 2, x in 2..4; class 2: 3 pixels deep at y = 17, x in 15..17
		assertEquals(List.of(prompt(1, 0, 0, 0, 6, 4, 2, 2, 0, 140), prompt(1, 2, 0, 0, 6, 4, 2, 2, 0, 140),
			prompt(2, 0, 13, 15, 19, 19, 15, 17, 1, 140), prompt(2, 2, 13, 15, 19, 19, 15, 17, 1, 140)), r.prompts());
	}

	@Test
	void twoDisjointStructuresOfOneClass() {
		final LabelVolume v = new LabelVolume(30, 30, 7);
		v.box(1, 0, 4, 2, 2, 9, 9); // A: 64 pixels on 5 slices, score 320
		v.box(1, 2, 4, 15, 15, 20, 20); // B: 36 pixels on 3 slices, score 108
		final boolean[] a = new LabelVolume(30, 30, 7).box(1, 0, 4, 2, 2, 9, 9).maskOf(1);
		final boolean[] ab = v.maskOf(1);
		v.box(1, 5, 6, 22, 2, 27, 7); // C: supported (2 linked slices) but spans fewer than N = 3
		final PcswResult multi = Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS);
		assertEquals(List.of(new Chain(0, 1, 0, 4, 320), new Chain(1, 1, 2, 4, 108)), multi.chains());
		assertMask(ab, multi.labels());
		final PcswResult single = Pcsw.fromLabels(v.labels, v.dims(), null, PcswParameters.builder().singleInstanceClasses(1).build());
		assertEquals(List.of(new Chain(0, 1, 0, 4, 320)), single.chains());
		assertMask(a, single.labels());
		for (int i = 0; i < a.length; i++)
			assertEquals(v.labels[i] == 1 && !a[i], single.rejected()[i]);
		// another class is not affected by class 1's flag
		assertFalse(PcswParameters.builder().singleInstanceClasses(1).build().isSingleInstance(2));
	}

	@Test
	void branchingStructureIsOneChainWithTheUnionAsPrompt() {
		final LabelVolume v = new LabelVolume(16, 10, 5).box(1, 0, 2, 2, 2, 13, 7).box(1, 3, 4, 2, 2, 6, 7).box(1, 3, 4, 9, 2, 13, 7);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS);
		assertEquals(List.of(new Chain(0, 1, 0, 4, 72 * 3 + 60 * 2)), r.chains());
		// slice 4: two 5 x 6 parts; deepest pixels (3 pixels) at x = 4, y in 4..5 in the left one
		assertEquals(prompt(1, 4, 2, 2, 13, 7, 4, 4, 0, 336), r.prompts().get(2));
		assertArrayEquals(v.labels, r.labels());
	}

	@Test
	void anisotropicSpacingTurnsMaxCentroidDistanceIntoMillimetres() {
		// a 3 x 3 blob moving 4 pixels along x per slice: IoU 0, centroid distance 4 pixels
		final LabelVolume v = new LabelVolume(40, 20, 4);
		for (int z = 0; z < 4; z++)
			v.box(1, z, z, 2 + 4 * z, 8, 4 + 4 * z, 10);
		final PcswParameters p = PcswParameters.builder().minArea(5).maxCentroidDistance(5).build();
		assertEquals(1, Pcsw.fromLabels(v.labels, v.dims(), null, p).chains().size(), "4 pixels <= 5");
		assertEquals(1, Pcsw.fromLabels(v.labels, v.dims(), new double[] { 1, 2, 10 }, p).chains().size(), "4 mm along x <= 5 mm");
		final PcswResult wide = Pcsw.fromLabels(v.labels, v.dims(), new double[] { 2, 1, 10 }, p);
		assertTrue(wide.chains().isEmpty(), "8 mm along x > 5 mm");
		assertArrayEquals(v.maskOf(1), wide.rejected());
	}

	@Test
	void areaRatioBreaksLinks() {
		// 16 pixels inside 100 pixels: centroids 1 pixel apart, area ratio 6.25
		final LabelVolume v = new LabelVolume(20, 20, 4).box(1, 0, 1, 5, 5, 8, 8).box(1, 2, 3, 3, 3, 12, 12);
		assertTrue(Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS).chains().isEmpty());
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, PcswParameters.builder().maxAreaRatio(6.25).build());
		assertEquals(List.of(new Chain(0, 1, 0, 3, 232)), r.chains());
	}

	@Test
	void iouLinksWhenCentroidsAreFar() {
		// an L of 10 + 10 pixels under a bar of 10 that overlaps 10 of it: IoU 0.5, centroids 3.6 pixels apart
		final LabelVolume v = new LabelVolume(12, 12, 2).box(1, 0, 0, 0, 0, 9, 0).box(1, 0, 0, 0, 1, 0, 10).box(1, 1, 1, 0, 0, 9, 0);
		final PcswParameters near = PcswParameters.builder().maxCentroidDistance(1).iouThreshold(0.5).build();
		assertEquals(1, Pcsw.fromLabels(v.labels, v.dims(), null, near).chains().size());
		final PcswParameters strict = near.toBuilder().iouThreshold(0.51).build();
		assertTrue(Pcsw.fromLabels(v.labels, v.dims(), null, strict).chains().isEmpty());
	}

	@Test
	void minimumSupportCountsLinkedSlicesInTheWindow() {
		final LabelVolume v = new LabelVolume(20, 20, 6).box(1, 0, 1, 2, 2, 7, 7).box(2, 3, 5, 10, 10, 15, 15);
		// single instance keeps the best chain whatever its span; m = 2: two linked slices are support enough
		final PcswResult two = Pcsw.fromLabels(v.labels, v.dims(), null, PcswParameters.cardiac());
		assertEquals(List.of(new Chain(0, 1, 0, 1, 72), new Chain(1, 2, 3, 5, 108)), two.chains());
		// m = 3: class 1 spans 2 slices in every window, so it is not supported
		final PcswResult three = Pcsw.fromLabels(v.labels, v.dims(), null, PcswParameters.cardiac().toBuilder().minSupport(3).build());
		assertEquals(List.of(new Chain(0, 2, 3, 5, 108)), three.chains());
	}

	@Test
	void volumeShorterThanTheWindowIsOneWindow() {
		final LabelVolume v = new LabelVolume(20, 20, 2).box(1, 0, 1, 2, 2, 7, 7).box(1, 0, 0, 12, 12, 17, 17);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS);
		assertEquals(List.of(new Chain(0, 1, 0, 1, 72)), r.chains());
		assertEquals(36, count(r.rejected()));
	}

	@Test
	void promptsEveryPromptFrequencySlicesFromTheChainStart() {
		final LabelVolume v = new LabelVolume(10, 10, 8).box(1, 1, 6, 2, 2, 6, 6);
		assertEquals(List.of(1, 3, 5), slices(Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS)));
		assertEquals(List.of(1, 4), slices(Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS.toBuilder().promptFrequency(3).build())));
		assertEquals(List.of(1, 2, 3, 4, 5, 6), slices(Pcsw.fromLabels(v.labels, v.dims(), null, DEFAULTS.toBuilder().promptFrequency(1).build())));
	}

	@Test
	void clickIsInsideAtTheDeepestPixelOfAnIrregularMask() {
		// an L and a notched square, with pixels 1.5 times as tall as wide
		final LabelVolume v = new LabelVolume(30, 25, 3).box(1, 0, 2, 3, 2, 8, 20).box(1, 0, 2, 3, 15, 25, 20).box(0, 0, 2, 6, 17, 7, 18);
		final double sx = 1, sy = 1.5;
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), new double[] { sx, sy }, DEFAULTS);
		assertEquals(2, r.prompts().size());
		for (final Prompt p : r.prompts()) {
			final int z = p.slice();
			assertEquals(1, v.labels[v.index(p.clickX(), p.clickY(), z)], "click inside");
			// deepest pixel by brute force; the image's outside counts as background
			double best = -1;
			for (int y = 0; y < v.ny; y++)
				for (int x = 0; x < v.nx; x++)
					if (v.labels[v.index(x, y, z)] == 1) best = Math.max(best, depth(v, x, y, z, sx, sy));
			assertEquals(best, depth(v, p.clickX(), p.clickY(), z, sx, sy), 1e-9);
		}
	}

	@Test
	void probabilityMapsDropPixelsBelowTheConfidenceThreshold() {
		final int nx = 20, ny = 20, nz = 5, classes = 4, n = nx * ny * nz;
		final float[] p = new float[n * classes];
		java.util.Arrays.fill(p, 0, n, 1f);
		final LabelVolume expected = new LabelVolume(nx, ny, nz);
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					final int i = expected.index(x, y, z);
					if (x >= 2 && x <= 8 && y >= 2 && y <= 8) set(p, n, i, 1, 0.97f); // confident on 5 slices: kept
					if (x >= 12 && x <= 18 && y >= 12 && y <= 18) set(p, n, i, 2, 0.9f); // never confident: no candidate
					if (x >= 12 && x <= 18 && y >= 2 && y <= 8) set(p, n, i, 3, z == 2 ? 0.9f : 0.97f); // gap at slice 2
				}
		final PcswResult r = Pcsw.fromProbabilities(p, new int[] { nx, ny, nz, classes }, null, DEFAULTS);
		assertEquals(1, r.chains().size());
		assertEquals(1, r.chains().get(0).classLabel());
		assertEquals(49 * 5 * 0.97, r.chains().get(0).score(), 1e-3);
		expected.box(1, 0, 4, 2, 2, 8, 8).box(2, 0, 4, 12, 12, 18, 18).box(3, 2, 2, 12, 2, 18, 8);
		assertArrayEquals(expected.labels, r.labels(), "below-threshold pixels keep their label, rejected ones are 0");
		final boolean[] rejected = new LabelVolume(nx, ny, nz).box(1, 0, 1, 12, 2, 18, 8).box(1, 3, 4, 12, 2, 18, 8).maskOf(1);
		assertArrayEquals(rejected, r.rejected());
	}

	@Test
	void singleClassProbabilityMap() {
		final LabelVolume shape = new LabelVolume(12, 12, 4).box(1, 0, 3, 1, 1, 5, 5).box(2, 0, 3, 8, 8, 11, 11).box(3, 0, 3, 0, 8, 3, 11);
		final float[] p = new float[shape.labels.length];
		for (int i = 0; i < p.length; i++)
			p[i] = switch (shape.labels[i]) {
				case 1 -> 0.99f; // confident foreground
				case 2 -> 0.7f; // foreground below the threshold
				case 3 -> 0.2f; // background
				default -> 0f;
			};
		final PcswResult r = Pcsw.fromProbabilities(p, shape.dims(), null, DEFAULTS);
		assertEquals(1, r.chains().size());
		final Chain chain = r.chains().get(0);
		assertEquals(List.of(1, 0, 3), List.of(chain.classLabel(), chain.firstSlice(), chain.lastSlice()));
		assertEquals(25 * 4 * 0.99, chain.score(), 1e-3);
		for (int i = 0; i < p.length; i++)
			assertEquals(shape.labels[i] == 1 || shape.labels[i] == 2 ? 1 : 0, r.labels()[i]);
	}

	@Test
	void badInputNamesTheProblem() {
		final PcswParameters p = DEFAULTS;
		assertMessage("label map: 5 values, but dims [2, 2, 1] need 4", () -> Pcsw.fromLabels(new int[5], new int[] { 2, 2 }, null, p));
		assertMessage("label map: negative label -1 at (x 1, y 0, z 0)", () -> Pcsw.fromLabels(new int[] { 0, -1, 0, 0 }, new int[] { 2, 2 }, null, p));
		assertMessage("label map: label 65536 at (x 0, y 1, z 0) is above 65535, the largest class PCSW handles",
			() -> Pcsw.fromLabels(new int[] { 0, 0, 65536, 0 }, new int[] { 2, 2 }, null, p));
		assertMessage("probability map: value NaN at (x 0, y 2, z 0), class 1 is not a probability in [0, 1]",
			() -> Pcsw.fromProbabilities(new float[] { 1, 1, 0, 0, 0, Float.NaN }, new int[] { 1, 3, 1, 2 }, null, p));
		assertMessage("probability map: dims [2, 2] must be {X, Y, Z, C} or {X, Y, Z}", () -> Pcsw.fromProbabilities(new float[4], new int[] { 2, 2 }, null, p));
		assertMessage("spacing [1.0, 0.0]: pixel size 0.0 along y must be a finite number > 0",
			() -> Pcsw.fromLabels(new int[4], new int[] { 2, 2 }, new double[] { 1, 0 }, p));
	}

	@Test
	void parameterValidationNamesTheParameterAndValue() {
		assertMessage("PCSW parameter confidenceThreshold = 1.5: must be between 0.0 and 1.0", () -> PcswParameters.builder().confidenceThreshold(1.5).build());
		assertMessage("PCSW parameter minArea = 0: must be at least 1 pixel", () -> PcswParameters.builder().minArea(0).build());
		assertMessage("PCSW parameter iouThreshold = 0.0: must be above 0 and at most 1", () -> PcswParameters.builder().iouThreshold(0).build());
		assertMessage("PCSW parameter maxCentroidDistance = -1.0: must be a finite number >= 0", () -> PcswParameters.builder().maxCentroidDistance(-1).build());
		assertMessage("PCSW parameter maxAreaRatio = 0.5: must be a finite number >= 1", () -> PcswParameters.builder().maxAreaRatio(0.5).build());
		assertMessage("PCSW parameter maxAreaRatio = NaN: must be a finite number >= 1", () -> PcswParameters.builder().maxAreaRatio(Double.NaN).build());
		assertMessage("PCSW parameter windowLength = 0: must be at least 1 slice", () -> PcswParameters.builder().windowLength(0).minSupport(1).build());
		assertMessage("PCSW parameter minSupport = 4: must be between 1 and windowLength (3)", () -> PcswParameters.builder().minSupport(4).build());
		assertMessage("PCSW parameter promptFrequency = 0: must be at least 1 slice", () -> PcswParameters.builder().promptFrequency(0).build());
		assertMessage("PCSW parameter singleInstanceClasses: class 0 in [1, 0] is not a foreground class (labels start at 1)",
			() -> PcswParameters.builder().singleInstanceClasses(1, 0));
		final PcswParameters d = PcswParameters.defaults();
		assertEquals(0.95, d.confidenceThreshold());
		assertEquals(0.1, d.iouThreshold());
		assertEquals(3, d.maxAreaRatio());
		assertEquals(3, d.windowLength());
		assertEquals(2, d.minSupport());
		assertEquals(2, d.promptFrequency());
		assertFalse(d.isSingleInstance(1));
		assertTrue(PcswParameters.cardiac().isSingleInstance(3));
	}

	private static void set(final float[] p, final int n, final int i, final int c, final float value) {
		p[i] = 1 - value;
		p[c * n + i] = value;
	}

	/** Distance from (x, y) to the nearest pixel outside the mask, the image's outside included, by brute force. */
	private static double depth(final LabelVolume v, final int x, final int y, final int z, final double sx, final double sy) {
		double best = Double.POSITIVE_INFINITY;
		for (int yy = -1; yy <= v.ny; yy++)
			for (int xx = -1; xx <= v.nx; xx++) {
				final boolean inside = xx >= 0 && yy >= 0 && xx < v.nx && yy < v.ny && v.labels[v.index(xx, yy, z)] == 1;
				if (!inside) best = Math.min(best, Math.hypot((x - xx) * sx, (y - yy) * sy));
			}
		return best;
	}

	private static Prompt prompt(final int c, final int z, final int x0, final int y0, final int x1, final int y1, final int cx, final int cy,
		final int chain, final double score)
	{
		return new Prompt(c, z, x0, y0, x1, y1, cx, cy, chain, score);
	}

	private static List<Integer> slices(final PcswResult r) {
		return r.prompts().stream().map(Prompt::slice).toList();
	}

	private static int count(final boolean[] mask) {
		int n = 0;
		for (final boolean b : mask)
			if (b) n++;
		return n;
	}

	private static void assertMask(final boolean[] expected, final int[] labels) {
		for (int i = 0; i < expected.length; i++)
			assertEquals(expected[i] ? 1 : 0, labels[i], "label at " + i);
	}

	private static void assertMessage(final String expected, final org.junit.jupiter.api.function.Executable call) {
		assertEquals(expected, assertThrows(InvalidInputException.class, call).getMessage());
	}
}
