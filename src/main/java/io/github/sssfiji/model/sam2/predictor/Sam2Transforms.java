package io.github.sssfiji.model.sam2.predictor;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.nn.Resize;

/**
 * The input side of {@code SAM2Transforms}: {@code ToTensor} (uint8 / 255 in float32), then
 * {@code Resize((S, S))} (bilinear, see {@link io.github.sssfiji.nn.Resize#bilinear}) and {@code Normalize} with the ImageNet
 * mean and std, as float32 subtract-then-divide. A grey image is replicated to RGB.
 */
public final class Sam2Transforms {

	private static final float[] MEAN = { 0.485f, 0.456f, 0.406f };
	private static final float[] STD = { 0.229f, 0.224f, 0.225f };

	private Sam2Transforms() {}

	/**
	 * Normalises an interleaved uint8 image (H x W x channels, row-major; 1 channel is replicated to
	 * RGB, 3 channels are RGB) of any size to a (3, S, S) float32 model input, C order, resizing with
	 * antialiasing (torchvision 0.17 and later).
	 */
	public static float[] normalize(final byte[] pixels, final int height, final int width, final int channels, final int imageSize) {
		return normalize(pixels, height, width, channels, imageSize, true);
	}

	/** As {@link #normalize(byte[], int, int, int, int)}, choosing whether the resize antialiases. */
	public static float[] normalize(final byte[] pixels, final int height, final int width, final int channels, final int imageSize,
		final boolean antialias)
	{
		return normalizeUnit(toUnit(pixels, height, width, channels), channels, height, width, imageSize, antialias);
	}

	/**
	 * {@code ToTensor} of an interleaved uint8 image: planar (channels, H, W) float32 values
	 * {@code float(v) / 255}.
	 */
	public static float[] toUnit(final byte[] pixels, final int height, final int width, final int channels) {
		checkChannels(channels);
		if (height < 1 || width < 1) throw new InvalidInputException("image size " + width + "x" + height + " is empty");
		if (pixels.length != (long) height * width * channels)
			throw new InvalidInputException("image buffer holds " + pixels.length + " values, expected " + (long) height * width * channels);
		final int plane = height * width;
		final float[] out = new float[channels * plane];
		for (int c = 0; c < channels; c++)
			for (int i = 0; i < plane; i++)
				out[c * plane + i] = (pixels[i * channels + c] & 0xff) / 255f;
		return out;
	}

	/**
	 * {@code Resize((S, S))} and {@code Normalize} of planar (channels, H, W) values in [0, 1];
	 * returns (3, S, S), a single channel replicated to all three.
	 */
	public static float[] normalizeUnit(final float[] unit, final int channels, final int height, final int width, final int imageSize,
		final boolean antialias)
	{
		checkChannels(channels);
		if (unit.length != (long) channels * height * width)
			throw new InvalidInputException("image holds " + unit.length + " values, expected " + (long) channels * height * width);
		final float[] resized = height == imageSize && width == imageSize ? unit
			: Resize.bilinear(unit, channels, height, width, imageSize, imageSize, antialias);
		final int plane = imageSize * imageSize;
		final float[] out = new float[3 * plane];
		for (int c = 0; c < 3; c++) {
			final int source = (channels == 1 ? 0 : c) * plane;
			final float mean = MEAN[c], std = STD[c];
			for (int i = 0; i < plane; i++)
				out[c * plane + i] = (resized[source + i] - mean) / std;
		}
		return out;
	}

	private static void checkChannels(final int channels) {
		if (channels != 1 && channels != 3) throw new InvalidInputException("image has " + channels + " channels; expected 1 (grey) or 3 (RGB)");
	}
}
