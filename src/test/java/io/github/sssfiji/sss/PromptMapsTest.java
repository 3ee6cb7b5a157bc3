package io.github.sssfiji.sss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.sssfiji.djl.Engines;

class PromptMapsTest {

	/** Class 2 of slice 1 prompted: its box map is 1 on the inclusive box only, its click map peaks at 1 on the click; the rest is 0. */
	@Test
	void boxesAreFilledAndClicksAreGaussians() {
		final int size = 16, area = size * size, classes = 3;
		final SlicePrompts prompts = new SlicePrompts.Builder(2, classes).set(1, 2, new int[] { 3, 4, 9, 6 }, new int[] { 5, 5 }).build();
		final float[] maps = PromptMaps.render(prompts, size);
		assertEquals(2 * PromptMaps.channels(classes) * area, maps.length);
		final int box = (PromptMaps.channels(classes) + 2) * area, click = box + area;
		for (int i = 0; i < maps.length; i++) {
			final int x = i % size, y = i / size % size;
			if (i >= box && i < box + area) assertEquals(x >= 3 && x <= 9 && y >= 4 && y <= 6 ? 1 : 0, maps[i], 0, "box " + x + "," + y);
			else if (i >= click && i < click + area) {
				// sigma = 1 pixel at 16: exp(-d^2 / 2), cut at three sigma
				final double d2 = (x - 5) * (x - 5) + (y - 5) * (y - 5);
				assertEquals(Math.abs(x - 5) <= 3 && Math.abs(y - 5) <= 3 ? Math.exp(-d2 / 2) : 0, maps[i], 1e-6, "click " + x + "," + y);
			}
			else assertEquals(0, maps[i], 0, "elsewhere, index " + i);
		}
	}

	/** Level k of the pyramid is the mean of 2^k x 2^k blocks of the full-resolution maps. */
	@Test
	void pyramidLevelsAreBlockMeans() {
		final int size = 16;
		final SlicePrompts prompts = new SlicePrompts.Builder(1, 2).set(0, 1, new int[] { 1, 2, 10, 12 }, new int[] { 4, 7 }).build();
		final float[] full = PromptMaps.render(prompts, size);
		try (NDManager manager = Engines.pytorch().newBaseManager()) {
			final NDList levels = PromptMaps.pyramid(prompts, size, 3, manager);
			assertArrayEquals(full, levels.get(0).toFloatArray());
			for (int k = 1; k < 3; k++) {
				final int f = 1 << k, side = size / f;
				final float[] level = levels.get(k).toFloatArray();
				assertArrayEquals(new long[] { 1, 2, side, side }, levels.get(k).getShape().getShape());
				for (int c = 0; c < 2; c++)
					for (int y = 0; y < side; y++)
						for (int x = 0; x < side; x++) {
							double sum = 0;
							for (int dy = 0; dy < f; dy++)
								for (int dx = 0; dx < f; dx++)
									sum += full[c * size * size + (y * f + dy) * size + x * f + dx];
							assertEquals(sum / (f * f), level[c * side * side + y * side + x], 1e-6);
						}
			}
		}
	}
}
