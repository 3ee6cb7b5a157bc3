package io.github.sssfiji.sss;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Prompts as images, the form a convolutional network reads them in (the promptable U-Net): per
 * foreground class two maps, the box (1 inside the inclusive box, 0 outside) and the click (a
 * Gaussian of height 1 and standard deviation {@code max(1, size / 64)} pixels centred on it); a
 * class without a prompt has both maps 0. Channel {@code 2 (c - 1)} is class c's box,
 * {@code 2 (c - 1) + 1} its click.
 */
public final class PromptMaps {

	private PromptMaps() {}

	/** Maps per prompt: box and click. */
	public static final int PER_CLASS = 2;

	/** Channels of the maps of {@code classes} classes (background included). */
	public static int channels(final int classes) {
		return PER_CLASS * (classes - 1);
	}

	/** The maps of every slice of {@code prompts} at {@code size x size}, (count, channels, size, size) flat. */
	public static float[] render(final SlicePrompts prompts, final int size) {
		final int classes = prompts.classes(), channels = channels(classes), area = size * size;
		final float[] maps = new float[prompts.count() * channels * area];
		final double sigma = Math.max(1, size / 64.0), reach = 3 * sigma;
		for (int i = 0; i < prompts.count(); i++)
			for (int c = 1; c < classes; c++) {
				if (!prompts.has(i, c)) continue;
				final int boxAt = (i * channels + PER_CLASS * (c - 1)) * area, clickAt = boxAt + area;
				final int[] box = prompts.box(i, c), click = prompts.click(i, c);
				for (int y = Math.max(0, box[1]); y <= Math.min(size - 1, box[3]); y++)
					for (int x = Math.max(0, box[0]); x <= Math.min(size - 1, box[2]); x++)
						maps[boxAt + y * size + x] = 1;
				final int y0 = (int) Math.max(0, Math.floor(click[1] - reach)), y1 = (int) Math.min(size - 1, Math.ceil(click[1] + reach));
				final int x0 = (int) Math.max(0, Math.floor(click[0] - reach)), x1 = (int) Math.min(size - 1, Math.ceil(click[0] + reach));
				for (int y = y0; y <= y1; y++)
					for (int x = x0; x <= x1; x++) {
						final double dx = x - click[0], dy = y - click[1];
						maps[clickAt + y * size + x] = (float) Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
					}
			}
		return maps;
	}

	/**
	 * The maps at {@code levels} resolutions, level k averaged over blocks of 2^k x 2^k pixels, as
	 * arrays of {@code manager}: what the promptable U-Net adds to its feature levels.
	 */
	public static NDList pyramid(final SlicePrompts prompts, final int size, final int levels, final NDManager manager) {
		final int channels = channels(prompts.classes()), planes = prompts.count() * channels;
		float[] level = render(prompts, size);
		int side = size;
		final NDList out = new NDList(levels);
		for (int k = 0; k < levels; k++) {
			if (k > 0) {
				final int half = side / 2;
				final float[] pooled = new float[planes * half * half];
				for (int p = 0; p < planes; p++)
					for (int y = 0; y < half; y++)
						for (int x = 0; x < half; x++) {
							final int at = p * side * side + 2 * y * side + 2 * x;
							pooled[p * half * half + y * half + x] = (level[at] + level[at + 1] + level[at + side] + level[at + side + 1]) / 4;
						}
				level = pooled;
				side = half;
			}
			out.add(manager.create(level, new Shape(prompts.count(), channels, side, side)));
		}
		return out;
	}
}
