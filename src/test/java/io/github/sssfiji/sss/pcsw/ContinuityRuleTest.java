package io.github.sssfiji.sss.pcsw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;

/**
 * PCSW's {@code continuity} rule (the authors' released form) on label volumes built from rectangles; windows,
 * continuities, prompt slices, boxes and clicks are worked out by hand in the comments. Boxes are written
 * (x0, y0, x1, y1), inclusive; {@code box(label, z0, z1, x0, y0, x1, y1)} paints slices z0..z1.
 */
class ContinuityRuleTest {

	private static final PcswParameters CONTINUITY = PcswParameters.builder().rule(PcswRule.CONTINUITY).build();

	@Test
	void windowLengthsRunFromTheMiddleOfAThirdToAHalfOfTheSlicesWithFloorDivision() {
		// S: N_min = max(2, S/3), N_max = max(3, S/2), N_start = (N_min + N_max) / 2
		// 1: 2, 3 -> 2 | 2: 2, 3 -> 2 | 3: 2, 3 -> 2 | 7: 2, 3 -> 2 | 8: 2, 4 -> 3 | 10: 3, 5 -> 4 | 20: 6, 10 -> 8
		// 21: 7, 10 -> 8 | 100: 33, 50 -> 41
		final int[] slices = { 1, 2, 3, 7, 8, 10, 20, 21, 100 };
		final int[] first = { 2, 2, 2, 2, 3, 4, 8, 8, 41 };
		final int[] last = { 3, 3, 3, 3, 4, 5, 10, 10, 50 };
		for (int k = 0; k < slices.length; k++) {
			assertEquals(first[k], ContinuityRule.firstWindow(slices[k]), "N_start for S = " + slices[k]);
			assertEquals(last[k], ContinuityRule.lastWindow(slices[k]), "N_max for S = " + slices[k]);
		}
	}

	/**
	 * S = 10: N = 4 and 5. A column (4 x 4 = 16 voxels a slice, 6 x 5 = 30 on slice 5) on slices 3..6; 4 x 4
	 * fragments (16 voxels) on every other slice, none touching a neighbour's foreground through a face. N = 4:
	 * window 0..3: 4 components of 16, C = 16 / 64 = 0.25; 1..4: 32 / 64 = 0.5; 2..5: 62 / 78 = 0.795 < 0.8; 3..6:
	 * the column alone, C = 78 / 78 = 1: it wins. Its largest slice is 5 (30 voxels): box (2, 2, 7, 6), click at
	 * the centre ((2 + 7) / 2, (2 + 6) / 2) = (4, 4). Nothing is rejected, the labels are the input's.
	 */
	@Test
	void theFirstContinuousWindowGivesTheComponentsLargestSlice() {
		final LabelVolume v = new LabelVolume(14, 14, 10).box(1, 3, 6, 2, 2, 5, 5).box(1, 5, 5, 2, 2, 7, 6);
		for (final int z : new int[] { 0, 2, 7, 9 })
			v.box(1, z, z, 8, 8, 11, 11);
		for (final int z : new int[] { 1, 8 })
			v.box(1, z, z, 8, 0, 11, 3);
		final int[] input = v.labels.clone();
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, CONTINUITY);
		assertEquals(List.of(new Chain(0, 1, 3, 6, 78)), r.chains());
		assertEquals(List.of(new Prompt(1, 5, 2, 2, 7, 6, 4, 4, 0, 78)), r.prompts());
		assertArrayEquals(input, r.labels());
		assertArrayEquals(new boolean[input.length], r.rejected());
	}

	/**
	 * S = 10: N = 4, then 5. A column of 16 voxels a slice on every slice and a 4 x 5 fragment (20 voxels) on slice 1
	 * at (8, 8)..(11, 12), clear of the column. N = 4: window 0..3: 64 / 84 = 0.76; 1..4: the same; 2..5: 64 / 64 =
	 * 1, the winner. N = 5 from 0 reaches exactly 80 / 100 = 0.8 and a later N = 4 window (3..6) also qualifies, but
	 * the smallest N comes first, then the leftmost window. The chain is the column within the window, slices 2..5;
	 * all its slices tie at 16 voxels, so the prompt is on the first, slice 2.
	 */
	@Test
	void windowsGoBySmallestLengthFirstThenLeftToRight() {
		final LabelVolume v = new LabelVolume(14, 14, 10).box(1, 0, 9, 2, 2, 5, 5).box(1, 1, 1, 8, 8, 11, 12);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, CONTINUITY);
		assertEquals(List.of(new Chain(0, 1, 2, 5, 64)), r.chains());
		// box (2, 2, 5, 5): centre (3, 3), rounded down from (3.5, 3.5)
		assertEquals(List.of(new Prompt(1, 2, 2, 2, 5, 5, 3, 3, 0, 64)), r.prompts());
	}

	/**
	 * S = 2: one window, both slices (N = 2). A column of 16 a slice (32) and a fragment: 8 voxels give C = 32 / 40 =
	 * 0.8, which qualifies (prompt on slice 0, the first of two equal slices, box (0, 0, 3, 3), centre (1, 1)); 9
	 * voxels give 32 / 41 = 0.78: no window qualifies, and the fallback takes slice 1, the one with the most
	 * foreground (16 + 9 = 25): its box spans column and fragment, (0, 0, 10, 8), and the click is the centroid of
	 * its 25 voxels: x (16 * 1.5 + 9 * 9) / 25 = 105 / 25 = 4.2 -> 4, y (16 * 1.5 + (6 + 7 + 8) * 3) / 25 = 87 / 25 =
	 * 3.48 -> 3. That pixel (4, 3) is background: the fallback's click need not lie in the foreground.
	 */
	@Test
	void aContinuityOfExactlyTauQualifiesAndBelowItTheFallbackTakesTheFullestSlice() {
		final LabelVolume exact = new LabelVolume(12, 12, 2).box(1, 0, 1, 0, 0, 3, 3).box(1, 1, 1, 8, 6, 11, 7);
		final PcswResult qualifies = Pcsw.fromLabels(exact.labels, exact.dims(), null, CONTINUITY);
		assertEquals(List.of(new Chain(0, 1, 0, 1, 32)), qualifies.chains());
		assertEquals(List.of(new Prompt(1, 0, 0, 0, 3, 3, 1, 1, 0, 32)), qualifies.prompts());

		final LabelVolume below = new LabelVolume(12, 12, 2).box(1, 0, 1, 0, 0, 3, 3).box(1, 1, 1, 8, 6, 10, 8);
		final PcswResult fallback = Pcsw.fromLabels(below.labels, below.dims(), null, CONTINUITY);
		assertEquals(List.of(new Chain(0, 1, 1, 1, 25)), fallback.chains());
		assertEquals(List.of(new Prompt(1, 1, 0, 0, 10, 8, 4, 3, 0, 25)), fallback.prompts());
		assertEquals(0, below.labels[below.index(4, 3, 1)]);
	}

	/**
	 * S = 10, no structure: on even slices 4 x 4 squares at (0, 0) and (8, 8), on odd slices at (0, 8) and (8, 0), so
	 * no square touches one of a neighbouring slice and every component is one square: C = 1 / (2N) in every window.
	 * Slice 6's first square is 5 x 4 (20 voxels), so slice 6 has the most foreground (36 against 32). Box (0, 0, 11,
	 * 11); centroid x (10 * 4 + 38 * 4) / 36 = 192 / 36 = 5.33 -> 5, y (6 * 5 + 38 * 4) / 36 = 182 / 36 = 5.06 -> 5.
	 */
	@Test
	void withoutAQualifyingWindowTheSliceWithTheMostForegroundIsPrompted() {
		final LabelVolume v = new LabelVolume(12, 12, 10);
		for (int z = 0; z < 10; z++)
			if (z % 2 == 0) v.box(1, z, z, 0, 0, z == 6 ? 4 : 3, 3).box(1, z, z, 8, 8, 11, 11);
			else v.box(1, z, z, 0, 8, 3, 11).box(1, z, z, 8, 0, 11, 3);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, CONTINUITY);
		assertEquals(List.of(new Chain(0, 1, 6, 6, 36)), r.chains());
		assertEquals(List.of(new Prompt(1, 6, 0, 0, 11, 11, 5, 5, 0, 36)), r.prompts());
	}

	/**
	 * S = 2, one window. Slice 0: a 4 x 4 square at (0, 0)..(3, 3); slice 1: a 5 x 5 square at (4, 4)..(8, 8), which
	 * meets it at a corner only. With face connectivity they are two components: C = 25 / 41 = 0.61, the fallback
	 * prompts slice 1 (25 voxels) alone, chain 1..1. Had they been one component (26-connectivity) the chain would
	 * span slices 0..1 with score 41. Moved to (0, 0)..(4, 4) the square shares faces with slice 0's: one component,
	 * C = 1, chain 0..1, prompt on slice 1 with box (0, 0, 4, 4) and centre (2, 2). Within a slice the same holds:
	 * two squares meeting at a corner on both slices are two components of 32, C = 0.5.
	 */
	@Test
	void componentsTouchingOnlyDiagonallyAreSeparate() {
		final LabelVolume corner = new LabelVolume(10, 10, 2).box(1, 0, 0, 0, 0, 3, 3).box(1, 1, 1, 4, 4, 8, 8);
		final PcswResult apart = Pcsw.fromLabels(corner.labels, corner.dims(), null, CONTINUITY);
		assertEquals(List.of(new Chain(0, 1, 1, 1, 25)), apart.chains());
		assertEquals(List.of(new Prompt(1, 1, 4, 4, 8, 8, 6, 6, 0, 25)), apart.prompts());

		final LabelVolume face = new LabelVolume(10, 10, 2).box(1, 0, 0, 0, 0, 3, 3).box(1, 1, 1, 0, 0, 4, 4);
		final PcswResult joined = Pcsw.fromLabels(face.labels, face.dims(), null, CONTINUITY);
		assertEquals(List.of(new Chain(0, 1, 0, 1, 41)), joined.chains());
		assertEquals(List.of(new Prompt(1, 1, 0, 0, 4, 4, 2, 2, 0, 41)), joined.prompts());

		// in-plane: (0, 0)..(3, 3) and (4, 4)..(7, 7) on both slices; fallback on slice 0 (tie at 32, the first), box
		// (0, 0, 7, 7), centroid (3.5, 3.5) -> (3, 3), halves down
		final LabelVolume inPlane = new LabelVolume(10, 10, 2).box(1, 0, 1, 0, 0, 3, 3).box(1, 0, 1, 4, 4, 7, 7);
		final PcswResult diagonal = Pcsw.fromLabels(inPlane.labels, inPlane.dims(), null, CONTINUITY);
		assertEquals(List.of(new Chain(0, 1, 0, 0, 32)), diagonal.chains());
		assertEquals(List.of(new Prompt(1, 0, 0, 0, 7, 7, 3, 3, 0, 32)), diagonal.prompts());
	}

	/**
	 * S = 10, N = 4 first. Class 1: a column on all slices at (0, 0)..(3, 3): window 0..3 wins, prompt on slice 0
	 * (ties), centre (1, 1), score 64. Class 2: a column on slices 4..9 at (6, 6)..(9, 9), wider on slice 7
	 * ((6, 6)..(11, 9), 24 voxels): windows 0..3 have no class-2 voxel and do not count; window 1..4 holds slice 4
	 * only, C = 1, so it wins with the chain 4..4 and its prompt on slice 4 (the rule favours a window that just
	 * reaches a structure). Class 3: a 2 x 2 dot on every slice, at (12, 12)..(13, 13) on even slices and (12, 10)..(13,
	 * 11) on odd ones, never sharing a face: C = 1/4 in every window, the fallback on slice 0 (all tie at 4) with box
	 * and centroid of its dot, (12, 12)..(13, 13), centroid (12.5, 12.5) -> (12, 12). Class 4 has no voxel: no prompt.
	 * One prompt per class.
	 */
	@Test
	void eachClassWithForegroundGetsOnePrompt() {
		final LabelVolume v = new LabelVolume(14, 14, 10).box(1, 0, 9, 0, 0, 3, 3).box(2, 4, 9, 6, 6, 9, 9).box(2, 7, 7, 6, 6, 11, 9);
		for (int z = 0; z < 10; z++)
			v.box(3, z, z, 12, z % 2 == 0 ? 12 : 10, 13, z % 2 == 0 ? 13 : 11);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, CONTINUITY);
		assertEquals(List.of(new Chain(0, 1, 0, 3, 64), new Chain(1, 2, 4, 4, 16), new Chain(2, 3, 0, 0, 4)), r.chains());
		assertEquals(List.of(new Prompt(1, 0, 0, 0, 3, 3, 1, 1, 0, 64), new Prompt(2, 4, 6, 6, 9, 9, 7, 7, 1, 16),
			new Prompt(3, 0, 12, 12, 13, 13, 12, 12, 2, 4)), r.prompts());
	}

	/**
	 * The released click is the box centre even when the component does not hold it: a ring (the outline of
	 * (2, 2)..(8, 8)) on both slices of S = 2 is one component, C = 1, and the click (5, 5) is the hole.
	 */
	@Test
	void theClickIsTheBoxCentreEvenInsideARingsHole() {
		final LabelVolume v = new LabelVolume(11, 11, 2).box(1, 0, 1, 2, 2, 8, 8).box(0, 0, 1, 3, 3, 7, 7);
		final PcswResult r = Pcsw.fromLabels(v.labels, v.dims(), null, CONTINUITY);
		// the outline: 49 - 25 = 24 voxels a slice
		assertEquals(List.of(new Prompt(1, 0, 2, 2, 8, 8, 5, 5, 0, 48)), r.prompts());
		assertEquals(0, v.labels[v.index(5, 5, 0)]);
	}

	/**
	 * One slice (a 2-D map): no window of N >= 2 fits, so the fallback prompts the slice: two squares (0, 0)..(1, 1)
	 * and (5, 5)..(7, 7), box (0, 0, 7, 7), centroid x (2 * 1 + 3 * 18) / 13 = 56 / 13 = 4.3 -> 4, y the same.
	 */
	@Test
	void aSingleSliceIsPromptedByTheFallback() {
		final LabelVolume v = new LabelVolume(9, 9, 1).box(1, 0, 0, 0, 0, 1, 1).box(1, 0, 0, 5, 5, 7, 7);
		final PcswResult r = Pcsw.fromLabels(v.labels, new int[] { 9, 9 }, null, CONTINUITY);
		assertEquals(List.of(new Prompt(1, 0, 0, 0, 7, 7, 4, 4, 0, 13)), r.prompts());
	}

	/**
	 * Probabilities of one class, S = 2: a 4 x 4 column with p = 0.99 and, on slice 1, a 4 x 4 fragment with p = 0.7
	 * (label 1, confidence 0.7). At the default confidence threshold 0.95 the fragment is not in the coarse mask:
	 * C = 1, chain 0..1, score 32 * 0.99 = 31.68. At threshold 0.5 it is: C = 32 / 48 = 0.67, the fallback prompts
	 * slice 1 (32 voxels), box (0, 0, 9, 9), centroid (1.5 * 16 + 7.5 * 16) / 32 = 4.5 -> 4.
	 */
	@Test
	void theCoarseMaskIsTheConfidentArgmax() {
		final int nx = 10, ny = 10, nz = 2;
		final float[] p = new float[nx * ny * nz];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < 4; y++)
				for (int x = 0; x < 4; x++)
					p[(z * ny + y) * nx + x] = 0.99f;
		for (int y = 6; y < 10; y++)
			for (int x = 6; x < 10; x++)
				p[(ny + y) * nx + x] = 0.7f;
		final int[] dims = { nx, ny, nz };
		final PcswResult confident = Pcsw.fromProbabilities(p, dims, null, CONTINUITY);
		assertEquals(1, confident.prompts().size());
		final Prompt c = confident.prompts().get(0);
		assertEquals(List.of(0, 0, 0, 3, 3, 1, 1), List.of(c.slice(), c.xMin(), c.yMin(), c.xMax(), c.yMax(), c.clickX(), c.clickY()));
		assertEquals(32 * 0.99, c.score(), 1e-4);
		assertEquals(1, confident.chains().get(0).lastSlice());

		final PcswResult all = Pcsw.fromProbabilities(p, dims, null, CONTINUITY.toBuilder().confidenceThreshold(0.5).build());
		final Prompt a = all.prompts().get(0);
		assertEquals(List.of(1, 0, 0, 9, 9, 4, 4), List.of(a.slice(), a.xMin(), a.yMin(), a.xMax(), a.yMax(), a.clickX(), a.clickY()));
		// the argmax label map, nothing rejected
		assertEquals(1, all.labels()[(ny + 7) * nx + 7]);
		assertArrayEquals(new boolean[p.length], all.rejected());
	}

	@Test
	void centroidsRoundToTheNearestPixelWithHalvesDown() {
		assertEquals(0, ContinuityRule.nearest(0, 1));
		assertEquals(0, ContinuityRule.nearest(1, 2)); // 0.5
		assertEquals(1, ContinuityRule.nearest(3, 2)); // 1.5
		assertEquals(1, ContinuityRule.nearest(4, 3)); // 1.33
		assertEquals(2, ContinuityRule.nearest(5, 3)); // 1.67
		assertEquals(5, ContinuityRule.nearest(182, 36)); // 5.06
	}

	@Test
	void theRuleIsAParameterNamedRuleWithChainsAsDefault() {
		assertEquals(PcswRule.CHAINS, PcswParameters.defaults().rule());
		assertEquals(PcswRule.CHAINS, PcswParameters.cardiac().rule());
		assertEquals("chains", PcswParameter.RULE.defaultValue());
		final PcswParameters p = PcswParameter.RULE.set(PcswParameters.builder(), "continuity").build();
		assertEquals(PcswRule.CONTINUITY, p.rule());
		assertEquals("continuity", PcswParameter.RULE.value(p));
		assertEquals(PcswRule.CONTINUITY, p.toBuilder().build().rule());
		assertArrayEquals(new String[] { "chains", "continuity" }, PcswParameter.RULE.choices());
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> PcswParameter.RULE.set(PcswParameters.builder(), "released"));
		assertTrue(e.getMessage().contains("rule") && e.getMessage().contains("'released'") && e.getMessage().contains("chains, continuity"),
			e.getMessage());
		assertThrows(InvalidInputException.class, () -> PcswParameters.builder().rule(null).build());
	}
}
