package io.github.sssfiji.sss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Ground-truth prompts on hand-made label maps; the expected boxes and clicks are worked out by hand in the comments. */
class SlicePromptsTest {

	/** Draws {@code label} into the rectangle [x0, x1] x [y0, y1] of an 8 x 8 slice. */
	private static void fill(final int[] labels, final int offset, final int label, final int x0, final int y0, final int x1, final int y1) {
		for (int y = y0; y <= y1; y++)
			for (int x = x0; x <= x1; x++)
				labels[offset + y * 8 + x] = label;
	}

	@Test
	void boxAndFarthestInteriorPointPerClass() {
		final int[] labels = new int[2 * 64];
		// slice 0, class 1: columns 1-5, rows 2-4. Distances to the nearest outside pixel: row 3 is 2 away
		// from rows 1 and 5, and columns 2-4 are at least 2 away from columns 0 and 6; nothing is farther.
		// The first of (2,3), (3,3), (4,3) in raster order is the click.
		fill(labels, 0, 1, 1, 2, 5, 4);
		// slice 0, class 2: a 3 x 3 block in the corner (0-2, 5-7) and a lone pixel at (7, 0). The block's
		// centre (1, 6) is 2 from the image's outside (x = -1, y = 8) and from (3, 6), (1, 4); the lone
		// pixel is 1 from its neighbours. The box spans both.
		fill(labels, 0, 2, 0, 5, 2, 7);
		labels[7] = 2;
		// slice 1: class 3 fills the whole slice except an ignored pixel (255) at (0, 0), which counts as
		// outside. The distance of (x, y) is min(x + 1, y + 1, 8 - x, 8 - y, sqrt(x^2 + y^2)): 4 at (3, 3),
		// (4, 3), (3, 4), (4, 4) (sqrt(18) > 4 from the corner), less elsewhere; (3, 3) comes first.
		fill(labels, 64, 3, 0, 0, 7, 7);
		labels[64] = 255;
		final SlicePrompts prompts = SlicePrompts.fromLabels(labels, null, 2, 8, 4);
		assertEquals(2, prompts.count());
		assertTrue(prompts.has(0, 1));
		assertArrayEquals(new int[] { 1, 2, 5, 4 }, prompts.box(0, 1));
		assertArrayEquals(new int[] { 2, 3 }, prompts.click(0, 1));
		assertTrue(prompts.has(0, 2));
		assertArrayEquals(new int[] { 0, 0, 7, 7 }, prompts.box(0, 2));
		assertArrayEquals(new int[] { 1, 6 }, prompts.click(0, 2));
		assertFalse(prompts.has(0, 3));
		assertFalse(prompts.has(1, 1));
		assertFalse(prompts.has(1, 2));
		assertTrue(prompts.has(1, 3));
		assertArrayEquals(new int[] { 0, 0, 7, 7 }, prompts.box(1, 3));
		assertArrayEquals(new int[] { 3, 3 }, prompts.click(1, 3));
	}

	@Test
	void weightsRestrictTheMaskToTrainedPixels() {
		final int[] labels = new int[64];
		fill(labels, 0, 1, 0, 0, 7, 3);
		final float[] weights = new float[64];
		// only rows 1-2, columns 2-6 are confident: every pixel of this 5 x 2 block is 1 from a row
		// outside it, so the click is its first pixel, (2, 1)
		for (int y = 1; y <= 2; y++)
			for (int x = 2; x <= 6; x++)
				weights[y * 8 + x] = 1;
		final SlicePrompts prompts = SlicePrompts.fromLabels(labels, weights, 1, 8, 2);
		assertArrayEquals(new int[] { 2, 1, 6, 2 }, prompts.box(0, 1));
		assertArrayEquals(new int[] { 2, 1 }, prompts.click(0, 1));
		assertFalse(SlicePrompts.fromLabels(labels, new float[64], 1, 8, 2).has(0, 1));
	}

	@Test
	void pointsPadAbsentPromptsAndKeepDrops() {
		final int[] labels = new int[2 * 64];
		fill(labels, 0, 1, 1, 2, 5, 4);
		final SlicePrompts prompts = SlicePrompts.fromLabels(labels, null, 2, 8, 3);
		final float[] coordinates = new float[2 * 6], pointLabels = new float[2 * 3];
		prompts.points(1, coordinates, pointLabels, 0);
		assertArrayEquals(new float[] { 1, 2, 5, 4, 2, 3, 0, 0, 0, 0, 0, 0 }, coordinates);
		assertArrayEquals(new float[] { SlicePrompts.TOP_LEFT, SlicePrompts.BOTTOM_RIGHT, SlicePrompts.CLICK, -1, -1, -1 }, pointLabels);
		assertFalse(prompts.keep(0, new Random(1)).has(0, 1));
		assertTrue(prompts.keep(1, new Random(1)).has(0, 1));
		int kept = 0;
		final Random random = new Random(3);
		for (int i = 0; i < 1000; i++)
			if (prompts.keep(0.5, random).has(0, 1)) kept++;
		assertTrue(kept > 430 && kept < 570, kept + " of 1000 kept");
		final SlicePrompts both = SlicePrompts.concat(SlicePrompts.none(1, 3), prompts);
		assertEquals(3, both.count());
		assertFalse(both.has(0, 1));
		assertTrue(both.has(1, 1));
		assertArrayEquals(new int[] { 2, 3 }, both.click(1, 1));
	}

	@Test
	void keepSlicesDropsEveryPromptOfTheOtherSlices() {
		final int[] labels = new int[4 * 64];
		for (int i = 0; i < 4; i++) {
			fill(labels, i * 64, 1, 0, 0, 2 + i, 3);
			fill(labels, i * 64, 2, 4, 4, 7, 7);
		}
		final SlicePrompts prompts = SlicePrompts.fromLabels(labels, null, 4, 8, 3);
		final SlicePrompts odd = prompts.keepSlices(i -> i % 2 == 1);
		for (int i = 0; i < 4; i++)
			for (int c = 1; c <= 2; c++)
				assertEquals(i % 2 == 1, odd.has(i, c), "slice " + i + " class " + c);
		assertArrayEquals(prompts.box(3, 1), odd.box(3, 1));
		assertArrayEquals(new int[] { 0, 0, 5, 3 }, odd.box(3, 1));
		assertArrayEquals(prompts.click(1, 2), odd.click(1, 2));
	}
}
