package io.github.sssfiji.sss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

	/**
	 * A prompt moves with the pixels: a bright rectangle that is exactly a prompt's box, warped by
	 * random weak augmentations, has the warped box as the bounding box of its bright pixels (to a
	 * pixel), and the warped click is in it.
	 */
	@Test
	void warpedPromptsFollowThePixels() {
		final int w = 48, h = 40, size = 32;
		final float[] image = new float[w * h];
		final int[] box = { 10, 8, 29, 21 }, click = { 20, 15 };
		for (int y = box[1]; y <= box[3]; y++)
			for (int x = box[0]; x <= box[2]; x++)
				image[y * w + x] = 1;
		final SlicePrompts prompts = new SlicePrompts.Builder(1, 2).set(0, 1, box, click).build();
		final io.github.sssfiji.sss.augment.Rng rng = new io.github.sssfiji.sss.augment.Rng(4);
		int kept = 0;
		for (int trial = 0; trial < 200; trial++) {
			final io.github.sssfiji.sss.augment.SliceWarp warp = io.github.sssfiji.sss.augment.SliceWarp.randomWeak(w, h, size, 0.7, 1.4, rng);
			final float[] view = warp.warp(image, 0f);
			int x0 = size, y0 = size, x1 = -1, y1 = -1;
			for (int y = 0; y < size; y++)
				for (int x = 0; x < size; x++)
					if (view[y * size + x] > 0.5f) {
						x0 = Math.min(x0, x);
						y0 = Math.min(y0, y);
						x1 = Math.max(x1, x);
						y1 = Math.max(y1, y);
					}
			final SlicePrompts moved = prompts.warped(warp, size);
			if (x1 < 0) continue; // the rectangle left the view
			assertTrue(moved.has(0, 1), "trial " + trial);
			kept++;
			final int[] b = moved.box(0, 1), k = moved.click(0, 1);
			final String where = "trial " + trial + ": bright " + Arrays.toString(new int[] { x0, y0, x1, y1 }) + ", box " + Arrays.toString(b);
			assertTrue(Math.abs(b[0] - x0) <= 1 && Math.abs(b[1] - y0) <= 1 && Math.abs(b[2] - x1) <= 1 && Math.abs(b[3] - y1) <= 1, where);
			assertTrue(k[0] >= b[0] && k[0] <= b[2] && k[1] >= b[1] && k[1] <= b[3], where);
		}
		assertTrue(kept > 150, kept + " of 200 views kept the rectangle");
		// the ACDC protocol's resize: halving the slice halves the box
		final SlicePrompts half = prompts.warped(io.github.sssfiji.sss.augment.SliceWarp.resize(w, h, w / 2, h / 2), w / 2);
		assertArrayEquals(new int[] { 5, 4, 14, 10 }, half.box(0, 1));
		assertArrayEquals(new int[] { 10, 7 }, half.click(0, 1));
	}

	/** Jitter moves each box side by at most its fraction of the box's extent, stays in the slice and keeps the click inside. */
	@Test
	void jitterMovesBoxSidesWithinTheirFraction() {
		final int[] box = { 10, 20, 29, 29 };
		final SlicePrompts prompts = new SlicePrompts.Builder(1, 2).set(0, 1, box, new int[] { 11, 21 }).build();
		assertSame(prompts, prompts.jittered(0, 32, new Random(1)));
		boolean moved = false;
		final Random random = new Random(2);
		for (int trial = 0; trial < 500; trial++) {
			final SlicePrompts j = prompts.jittered(0.2, 32, random);
			final int[] b = j.box(0, 1), k = j.click(0, 1);
			assertTrue(Math.abs(b[0] - 10) <= 4 && Math.abs(b[2] - 29) <= 4 && Math.abs(b[1] - 20) <= 2 && b[3] >= 27 && b[3] <= 31, Arrays.toString(b));
			assertTrue(k[0] >= b[0] && k[0] <= b[2] && k[1] >= b[1] && k[1] <= b[3]);
			moved |= !Arrays.equals(b, box);
		}
		assertTrue(moved);
	}
}
