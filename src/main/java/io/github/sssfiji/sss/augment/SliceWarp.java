package io.github.sssfiji.sss.augment;

import java.util.BitSet;

/**
 * An affine resampling of a 2-D slice (flat, x fastest) into a {@code width x height} output: each
 * output pixel centre {@code (u, v)} is read at source position {@code (a00 u + a01 v + b0, a10 u +
 * a11 v + b1)} in pixel-index coordinates (pixel i has its centre at i). Images are sampled
 * bilinearly, labels and masks by the nearest pixel; positions more than half a pixel outside the
 * source take a fill value.
 * <p>
 * One warp moves an image, its labels and its PCSW mask identically, which is what keeps the weak
 * view, the ground truth and the ignore mask aligned. {@link #resize} is the ACDC protocol's
 * resampling ({@code align_corners=False}); {@link #randomWeak} is the weak augmentation.
 * </p>
 */
public final class SliceWarp {

	private final int sourceWidth, sourceHeight, width, height;
	private final double a00, a01, b0, a10, a11, b1;

	private SliceWarp(final int sourceWidth, final int sourceHeight, final int width, final int height, final PointMap map) {
		this.sourceWidth = sourceWidth;
		this.sourceHeight = sourceHeight;
		this.width = width;
		this.height = height;
		// the composition of affine steps is affine: three points determine it
		final double[] o = map.apply(0, 0), x = map.apply(1, 0), y = map.apply(0, 1);
		b0 = o[0];
		b1 = o[1];
		a00 = x[0] - o[0];
		a10 = x[1] - o[1];
		a01 = y[0] - o[0];
		a11 = y[1] - o[1];
	}

	@FunctionalInterface
	private interface PointMap {

		double[] apply(double u, double v);
	}

	/** Resizes a {@code sourceWidth x sourceHeight} slice to {@code width x height} (pixel areas aligned). */
	public static SliceWarp resize(final int sourceWidth, final int sourceHeight, final int width, final int height) {
		check(sourceWidth, sourceHeight, width, height);
		final double sx = sourceWidth / (double) width, sy = sourceHeight / (double) height;
		return new SliceWarp(sourceWidth, sourceHeight, width, height, (u, v) -> new double[] { (u + 0.5) * sx - 0.5, (v + 0.5) * sy - 0.5 });
	}

	/**
	 * The weak augmentation (UniMatch's medical one, plus a random scale): with probability 1/2 a
	 * random element of the dihedral group (transpose, flip x, flip y, each with probability 1/2:
	 * rot90 and flips), else with probability 1/2 a rotation by an integer angle in [-20, 20)
	 * degrees about the centre; then the slice is resized to {@code size x size}, zoomed by a factor
	 * drawn in [{@code minScale}, {@code maxScale}] and cropped (or padded) at a random offset.
	 */
	public static SliceWarp randomWeak(final int sourceWidth, final int sourceHeight, final int size, final double minScale,
		final double maxScale, final Rng rng)
	{
		check(sourceWidth, sourceHeight, size, size);
		boolean transpose = false, flipX = false, flipY = false;
		double angle = 0;
		if (rng.nextDouble() < 0.5) {
			transpose = rng.nextBoolean();
			flipX = rng.nextBoolean();
			flipY = rng.nextBoolean();
		}
		else if (rng.nextDouble() < 0.5) angle = Math.toRadians(rng.nextInt(40) - 20);
		final double scale = minScale == maxScale ? minScale : rng.uniform(minScale, maxScale);
		final double canvas = size * scale;
		final double offsetX = offset(canvas, size, rng), offsetY = offset(canvas, size, rng);
		final int rotatedWidth = transpose ? sourceHeight : sourceWidth;
		final int rotatedHeight = transpose ? sourceWidth : sourceHeight;
		final double cx = (rotatedWidth - 1) / 2.0, cy = (rotatedHeight - 1) / 2.0;
		final double cos = Math.cos(angle), sin = Math.sin(angle);
		final boolean t = transpose, fx = flipX, fy = flipY;
		return new SliceWarp(sourceWidth, sourceHeight, size, size, (u, v) -> {
			// output -> zoomed canvas -> oriented slice
			final double xr = (u + offsetX + 0.5) * rotatedWidth / canvas - 0.5;
			final double yr = (v + offsetY + 0.5) * rotatedHeight / canvas - 0.5;
			// undo the small rotation about the centre
			final double dx = xr - cx, dy = yr - cy;
			final double x1 = cx + cos * dx + sin * dy, y1 = cy - sin * dx + cos * dy;
			// undo flips, then the transpose
			final double x2 = fx ? rotatedWidth - 1 - x1 : x1, y2 = fy ? rotatedHeight - 1 - y1 : y1;
			return t ? new double[] { y2, x2 } : new double[] { x2, y2 };
		});
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	/** Bilinear resampling of {@code source}; outside the source the value is {@code fill}. */
	public float[] warp(final float[] source, final float fill) {
		return warp(source, 0, 1, fill, new float[width * height], 0);
	}

	/**
	 * Bilinear resampling of {@code channels} maps stored one after another in {@code source} from
	 * {@code sourceOffset}, into {@code target} from {@code targetOffset}.
	 */
	public float[] warp(final float[] source, final int sourceOffset, final int channels, final float fill, final float[] target,
		final int targetOffset)
	{
		final int sourceArea = sourceWidth * sourceHeight, area = width * height;
		for (int v = 0; v < height; v++) {
			double x = a01 * v + b0, y = a11 * v + b1;
			for (int u = 0; u < width; u++, x += a00, y += a10) {
				final int out = targetOffset + v * width + u;
				if (x < -0.5 || y < -0.5 || x > sourceWidth - 0.5 || y > sourceHeight - 0.5) {
					for (int c = 0; c < channels; c++)
						target[out + c * area] = fill;
					continue;
				}
				final double xc = Math.min(Math.max(x, 0), sourceWidth - 1), yc = Math.min(Math.max(y, 0), sourceHeight - 1);
				final int x0 = Math.min((int) xc, sourceWidth - 2 < 0 ? 0 : sourceWidth - 2);
				final int y0 = Math.min((int) yc, sourceHeight - 2 < 0 ? 0 : sourceHeight - 2);
				final int x1 = Math.min(x0 + 1, sourceWidth - 1), y1 = Math.min(y0 + 1, sourceHeight - 1);
				final float fx = (float) (xc - x0), fy = (float) (yc - y0);
				for (int c = 0; c < channels; c++) {
					final int base = sourceOffset + c * sourceArea;
					final float top = source[base + y0 * sourceWidth + x0] * (1 - fx) + source[base + y0 * sourceWidth + x1] * fx;
					final float bottom = source[base + y1 * sourceWidth + x0] * (1 - fx) + source[base + y1 * sourceWidth + x1] * fx;
					target[out + c * area] = top * (1 - fy) + bottom * fy;
				}
			}
		}
		return target;
	}

	/** Nearest-pixel resampling of a float map (such as a confidence); outside the source the value is {@code fill}. */
	public float[] warpNearest(final float[] source, final float fill) {
		final float[] target = new float[width * height];
		for (int v = 0, i = 0; v < height; v++)
			for (int u = 0; u < width; u++, i++) {
				final int s = nearest(u, v);
				target[i] = s < 0 ? fill : source[s];
			}
		return target;
	}

	/**
	 * The output position {@code (u, v)} whose centre is read at source position {@code (x, y)}
	 * (pixel-index coordinates): the inverse of the warp, which moves points such as prompt clicks
	 * and box corners with the pixels.
	 */
	public double[] toOutput(final double x, final double y) {
		final double det = a00 * a11 - a01 * a10, dx = x - b0, dy = y - b1;
		return new double[] { (a11 * dx - a01 * dy) / det, (a00 * dy - a10 * dx) / det };
	}

	/** Nearest-pixel resampling of labels; outside the source the label is {@code fill}. */
	public int[] warpLabels(final int[] source, final int fill) {
		final int[] target = new int[width * height];
		for (int v = 0, i = 0; v < height; v++)
			for (int u = 0; u < width; u++, i++) {
				final int s = nearest(u, v);
				target[i] = s < 0 ? fill : source[s];
			}
		return target;
	}

	/** Nearest-pixel resampling of a mask ({@code null}: all false); outside the source it is {@code fill}. */
	public boolean[] warpMask(final BitSet source, final boolean fill) {
		final boolean[] target = new boolean[width * height];
		for (int v = 0, i = 0; v < height; v++)
			for (int u = 0; u < width; u++, i++) {
				final int s = nearest(u, v);
				target[i] = s < 0 ? fill : source != null && source.get(s);
			}
		return target;
	}

	/** The source index read for output pixel (u, v) by nearest sampling, or -1 outside the source. */
	int nearest(final int u, final int v) {
		final double x = a00 * u + a01 * v + b0, y = a10 * u + a11 * v + b1;
		if (x < -0.5 || y < -0.5 || x > sourceWidth - 0.5 || y > sourceHeight - 0.5) return -1;
		final int xi = Math.min((int) Math.floor(x + 0.5), sourceWidth - 1), yi = Math.min((int) Math.floor(y + 0.5), sourceHeight - 1);
		return yi * sourceWidth + xi;
	}

	private static double offset(final double canvas, final int size, final Rng rng) {
		// a larger canvas is cropped, a smaller one padded, at a uniform position
		return canvas == size ? 0 : rng.uniform(Math.min(0, canvas - size), Math.max(0, canvas - size));
	}

	private static void check(final int sourceWidth, final int sourceHeight, final int width, final int height) {
		if (sourceWidth < 1 || sourceHeight < 1 || width < 1 || height < 1)
			throw new IllegalArgumentException("warp sizes must be positive: " + sourceWidth + "x" + sourceHeight + " -> " + width + "x" + height);
	}
}
