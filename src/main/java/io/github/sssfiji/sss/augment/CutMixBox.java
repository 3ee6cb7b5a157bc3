package io.github.sssfiji.sss.augment;

/**
 * A CutMix box in a {@code size x size} slice: pixels with {@code x0 <= x < x0 + w} and
 * {@code y0 <= y < y0 + h} are taken from another image of the batch. The same box mixes the strong
 * image, the pseudo-label, the confidence, the ignore mask and the weak-view features, so they stay
 * consistent. {@link #NONE} mixes nothing.
 */
public record CutMixBox(int x0, int y0, int w, int h) {

	/** The empty box. */
	public static final CutMixBox NONE = new CutMixBox(0, 0, 0, 0);

	/**
	 * UniMatch's {@code obtain_cutmix_box}: with probability {@code p} a box of area fraction uniform
	 * in [{@code minArea}, {@code maxArea}] and aspect ratio uniform in [{@code minRatio},
	 * {@code maxRatio}], placed uniformly where it fits (redrawn until it does), else {@link #NONE}.
	 */
	public static CutMixBox random(final int size, final double p, final double minArea, final double maxArea, final double minRatio,
		final double maxRatio, final Rng rng)
	{
		if (rng.nextDouble() >= p) return NONE;
		final double area = rng.uniform(minArea, maxArea) * size * size;
		while (true) {
			final double ratio = rng.uniform(minRatio, maxRatio);
			final int w = (int) Math.sqrt(area / ratio), h = (int) Math.sqrt(area * ratio);
			final int x = rng.nextInt(size), y = rng.nextInt(size);
			if (x + w <= size && y + h <= size) return new CutMixBox(x, y, w, h);
		}
	}

	public boolean isEmpty() {
		return w <= 0 || h <= 0;
	}

	public boolean contains(final int x, final int y) {
		return x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
	}

	/** Copies the box of slice {@code sourceSlice} into slice {@code targetSlice} ({@code size x size} slices stored one after another). */
	public void mix(final float[] target, final int targetSlice, final float[] source, final int sourceSlice, final int size) {
		for (int y = y0; y < y0 + h; y++)
			System.arraycopy(source, sourceSlice * size * size + y * size + x0, target, targetSlice * size * size + y * size + x0, w);
	}

	/** {@link #mix(float[], int, float[], int, int)} for labels. */
	public void mix(final int[] target, final int targetSlice, final int[] source, final int sourceSlice, final int size) {
		for (int y = y0; y < y0 + h; y++)
			System.arraycopy(source, sourceSlice * size * size + y * size + x0, target, targetSlice * size * size + y * size + x0, w);
	}

	/** {@link #mix(float[], int, float[], int, int)} for masks. */
	public void mix(final boolean[] target, final int targetSlice, final boolean[] source, final int sourceSlice, final int size) {
		for (int y = y0; y < y0 + h; y++)
			System.arraycopy(source, sourceSlice * size * size + y * size + x0, target, targetSlice * size * size + y * size + x0, w);
	}

	/**
	 * The box as a 0/1 mask at a resolution {@code factor} times coarser ({@code size / factor} per
	 * side): a coarse pixel is inside when the full-resolution pixel at its centre is.
	 */
	public float[] mask(final int size, final int factor) {
		final int n = size / factor;
		final float[] mask = new float[n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++)
				if (contains(x * factor + factor / 2, y * factor + factor / 2)) mask[y * n + x] = 1;
		return mask;
	}
}
