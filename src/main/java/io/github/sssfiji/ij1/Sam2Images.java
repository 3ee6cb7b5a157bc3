package io.github.sssfiji.ij1;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.model.sam2.predictor.Sam2ImagePredictor;
import net.imglib2.img.array.ArrayImgs;

/**
 * ImageJ planes in and out of a {@link Sam2ImagePredictor}: 8-bit and RGB planes go in as the official
 * predictor takes uint8 images (value / 255); 16- and 32-bit planes are mapped from their display range
 * (what the user sees) to [0, 1]. Masks come back as binary 8-bit images (255 inside).
 */
public final class Sam2Images {

	private Sam2Images() {}

	/**
	 * Sets {@code plane} as the predictor's image.
	 *
	 * @return true when it was encoded, false when the predictor's encoding of the same content was reused
	 */
	public static boolean setImage(final Sam2ImagePredictor predictor, final ImageProcessor plane) {
		final int w = plane.getWidth(), h = plane.getHeight();
		if (plane instanceof ByteProcessor) return predictor.setImage((byte[]) plane.getPixels(), h, w, 1);
		if (plane instanceof ColorProcessor) {
			final int[] argb = (int[]) plane.getPixels();
			final byte[] rgb = new byte[3 * argb.length];
			for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
				final int c = argb[i];
				rgb[j] = (byte) (c >> 16);
				rgb[j + 1] = (byte) (c >> 8);
				rgb[j + 2] = (byte) c;
			}
			return predictor.setImage(rgb, h, w, 3);
		}
		final float[] values = new float[w * h];
		if (plane instanceof ShortProcessor) {
			final short[] pixels = (short[]) plane.getPixels();
			for (int i = 0; i < values.length; i++) values[i] = pixels[i] & 0xffff;
		}
		else if (plane instanceof FloatProcessor) System.arraycopy((float[]) plane.getPixels(), 0, values, 0, values.length);
		else throw new InvalidInputException("unsupported image type " + plane.getClass().getSimpleName() + "; use 8-, 16-, 32-bit or RGB");
		double black = plane.getMin(), white = plane.getMax();
		if (!(white > black)) {
			// a flat display range: fall back to the data range (a constant plane maps to 0)
			black = Double.POSITIVE_INFINITY;
			white = Double.NEGATIVE_INFINITY;
			for (final float v : values) {
				if (v < black) black = v;
				if (v > white) white = v;
			}
			if (!(white > black)) white = black + 1;
		}
		return predictor.setImage(ArrayImgs.floats(values, w, h), black, white);
	}

	/** A binary 8-bit image of {@code mask} (row-major, {@code width} x {@code height}): 255 inside, 0 outside. */
	public static ImagePlus mask(final boolean[] mask, final int width, final int height, final String title, final Calibration calibration) {
		final byte[] pixels = new byte[width * height];
		for (int i = 0; i < pixels.length; i++)
			if (mask[i]) pixels[i] = (byte) 255;
		final ImagePlus imp = new ImagePlus(title, new ByteProcessor(width, height, pixels));
		if (calibration != null) imp.setCalibration(calibration.copy());
		return imp;
	}
}
