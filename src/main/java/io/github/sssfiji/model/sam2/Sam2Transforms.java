package io.github.sssfiji.model.sam2;

import io.github.sssfiji.InvalidInputException;

/**
 * The input side of {@code SAM2Transforms}: {@code ToTensor} (uint8 / 255 in float32) then
 * {@code Normalize} with the ImageNet mean and std, as float32 subtract-then-divide. Only images
 * already at the model size are accepted: torchvision's {@code Resize} is not reproduced here.
 */
public final class Sam2Transforms {

	private static final float[] MEAN = { 0.485f, 0.456f, 0.406f };
	private static final float[] STD = { 0.229f, 0.224f, 0.225f };

	private Sam2Transforms() {}

	/**
	 * Normalises an interleaved uint8 image (H x W x channels, row-major; 1 channel is replicated to
	 * RGB, 3 channels are RGB) to a (3, S, S) float32 model input, C order.
	 */
	public static float[] normalize(final byte[] pixels, final int height, final int width, final int channels, final int imageSize) {
		if (height != imageSize || width != imageSize)
			throw new InvalidInputException("image is " + width + "x" + height + " but the SAM 2 model expects " + imageSize + "x" +
				imageSize + " (resizing is not implemented yet)");
		if (channels != 1 && channels != 3) throw new InvalidInputException("image has " + channels + " channels; expected 1 or 3");
		if (pixels.length != height * width * channels)
			throw new InvalidInputException("image buffer holds " + pixels.length + " values, expected " + height * width * channels);
		final int plane = height * width;
		final float[] out = new float[3 * plane];
		for (int c = 0; c < 3; c++) {
			final int source = channels == 1 ? 0 : c;
			for (int i = 0; i < plane; i++) {
				final float unit = (pixels[i * channels + source] & 0xff) / 255f;
				out[c * plane + i] = (unit - MEAN[c]) / STD[c];
			}
		}
		return out;
	}
}
