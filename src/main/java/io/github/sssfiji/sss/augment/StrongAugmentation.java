package io.github.sssfiji.sss.augment;

/**
 * The photometric part of the strong augmentation for grey images in [0, 1] (UniMatch's pools
 * without the colour-only operations, which do nothing to a grey image): with probability 0.8 a
 * colour jitter of brightness and contrast (factors in [0.5, 1.5], in random order, as
 * {@code ColorJitter(0.5, 0.5)}), with probability 0.5 a grey-level gamma in [0.7, 1.5], and with
 * probability 0.5 a Gaussian blur with sigma in [0.1, 2.0]. Values are clamped to [0, 1] after each
 * operation. Geometry is untouched, so labels and masks need no change; CutMix is applied
 * separately ({@link CutMixBox}).
 */
public final class StrongAugmentation {

	private StrongAugmentation() {}

	/** A strongly augmented copy of one {@code width x height} slice. */
	public static float[] apply(final float[] image, final int width, final int height, final Rng rng) {
		final float[] out = image.clone();
		if (rng.nextDouble() < 0.8) {
			final double brightness = rng.uniform(0.5, 1.5), contrast = rng.uniform(0.5, 1.5);
			if (rng.nextBoolean()) {
				brightness(out, brightness);
				contrast(out, contrast);
			}
			else {
				contrast(out, contrast);
				brightness(out, brightness);
			}
		}
		if (rng.nextDouble() < 0.5) gamma(out, rng.uniform(0.7, 1.5));
		if (rng.nextDouble() < 0.5) return gaussianBlur(out, width, height, rng.uniform(0.1, 2.0));
		return out;
	}

	/** {@code x * factor}, clamped. */
	public static void brightness(final float[] image, final double factor) {
		for (int i = 0; i < image.length; i++)
			image[i] = clamp(image[i] * factor);
	}

	/** Blend with the mean grey level, as torchvision's {@code adjust_contrast}: {@code mean + factor (x - mean)}, clamped. */
	public static void contrast(final float[] image, final double factor) {
		double sum = 0;
		for (final float v : image)
			sum += v;
		final double mean = sum / image.length;
		for (int i = 0; i < image.length; i++)
			image[i] = clamp(mean + factor * (image[i] - mean));
	}

	/** {@code x^gamma} for x in [0, 1]. */
	public static void gamma(final float[] image, final double gamma) {
		for (int i = 0; i < image.length; i++)
			image[i] = clamp(Math.pow(Math.max(image[i], 0), gamma));
	}

	/**
	 * Separable Gaussian blur with a kernel of radius {@code ceil(3 sigma)}, normalised, mirrored at
	 * the border (reflect without repeating the edge pixel).
	 */
	public static float[] gaussianBlur(final float[] image, final int width, final int height, final double sigma) {
		final int radius = Math.max(1, (int) Math.ceil(3 * sigma));
		final double[] kernel = new double[2 * radius + 1];
		double total = 0;
		for (int k = -radius; k <= radius; k++)
			total += kernel[k + radius] = Math.exp(-k * k / (2 * sigma * sigma));
		for (int k = 0; k < kernel.length; k++)
			kernel[k] /= total;
		final float[] rows = new float[image.length];
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++) {
				double sum = 0;
				for (int k = -radius; k <= radius; k++)
					sum += kernel[k + radius] * image[y * width + reflect(x + k, width)];
				rows[y * width + x] = (float) sum;
			}
		final float[] out = new float[image.length];
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++) {
				double sum = 0;
				for (int k = -radius; k <= radius; k++)
					sum += kernel[k + radius] * rows[reflect(y + k, height) * width + x];
				out[y * width + x] = clamp(sum);
			}
		return out;
	}

	static int reflect(int i, final int n) {
		if (n == 1) return 0;
		final int period = 2 * (n - 1);
		i = Math.floorMod(i, period);
		return i < n ? i : period - i;
	}

	private static float clamp(final double v) {
		return (float) Math.min(1, Math.max(0, v));
	}
}
