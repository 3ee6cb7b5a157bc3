package io.github.sssfiji.ij1;

import java.util.Arrays;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import io.github.sssfiji.InvalidInputException;

/**
 * Segmentation results as ImageJ images calibrated like the image they segment: a label stack
 * (8-bit, 16-bit above 255) and probability maps (a 32-bit hyperstack with one channel per class).
 * The spatial calibration is copied; a value calibration function (such as the signed 16-bit
 * offset of the source) is not, since labels and probabilities are plain numbers.
 */
public final class SegmentationImages {

	private SegmentationImages() {}

	/**
	 * A label stack of {@code dims[2]} slices.
	 *
	 * @param labels flat, x fastest, {X, Y, Z}
	 * @param dims {X, Y, Z}
	 */
	public static ImagePlus labels(final int[] labels, final int[] dims, final ImagePlus like, final String title) {
		final int area = dims[0] * dims[1];
		if (labels.length != area * dims[2]) throw new IllegalArgumentException(labels.length + " labels for dims " + Arrays.toString(dims));
		int max = 0;
		for (final int l : labels)
			max = Math.max(max, l);
		if (max > 65535) throw new InvalidInputException(title + ": label " + max + " does not fit a 16-bit image");
		final ImageStack stack = new ImageStack(dims[0], dims[1]);
		for (int z = 0; z < dims[2]; z++) {
			if (max <= 255) {
				final byte[] plane = new byte[area];
				for (int i = 0; i < area; i++)
					plane[i] = (byte) labels[z * area + i];
				stack.addSlice(null, plane);
			}
			else {
				final short[] plane = new short[area];
				for (int i = 0; i < area; i++)
					plane[i] = (short) labels[z * area + i];
				stack.addSlice(null, plane);
			}
		}
		final ImagePlus out = new ImagePlus(title, stack);
		out.setCalibration(spatialCalibration(like));
		out.getProcessor().setMinAndMax(0, Math.max(1, max));
		return out;
	}

	/**
	 * Probability maps as a hyperstack of {@code classNames.size()} channels (labelled with the
	 * class names) and {@code dims[2]} slices.
	 *
	 * @param probabilities flat as {X, Y, Z, C}, as {@code SlicePredictor.probabilities} returns them
	 */
	public static ImagePlus probabilities(final float[] probabilities, final int[] dims, final List<String> classNames, final ImagePlus like,
		final String title)
	{
		final int area = dims[0] * dims[1], slices = dims[2], classes = classNames.size(), n = area * slices;
		if (probabilities.length != n * classes)
			throw new IllegalArgumentException(probabilities.length + " probabilities for dims " + Arrays.toString(dims) + " and " + classes + " classes");
		final ImageStack stack = new ImageStack(dims[0], dims[1]);
		// ImageJ orders hyperstack planes channel fastest, then slice
		for (int z = 0; z < slices; z++)
			for (int c = 0; c < classes; c++) {
				final float[] plane = new float[area];
				System.arraycopy(probabilities, c * n + z * area, plane, 0, area);
				stack.addSlice(classNames.get(c), plane);
			}
		final ImagePlus out = new ImagePlus(title, stack);
		out.setDimensions(classes, slices, 1);
		out.setOpenAsHyperStack(true);
		out.setCalibration(spatialCalibration(like));
		out.setDisplayRange(0, 1);
		return out;
	}

	/**
	 * One value per voxel (such as a confidence or an entropy map, flat as {X, Y, Z}) as a 32-bit
	 * stack calibrated like {@code like}, displayed from {@code min} to {@code max}.
	 */
	public static ImagePlus values(final float[] values, final int[] dims, final ImagePlus like, final String title, final double min, final double max) {
		final int area = dims[0] * dims[1];
		if (values.length != area * dims[2]) throw new IllegalArgumentException(values.length + " values for dims " + Arrays.toString(dims));
		final ImageStack stack = new ImageStack(dims[0], dims[1]);
		for (int z = 0; z < dims[2]; z++)
			stack.addSlice(null, Arrays.copyOfRange(values, z * area, (z + 1) * area));
		final ImagePlus out = new ImagePlus(title, stack);
		out.setCalibration(spatialCalibration(like));
		out.setDisplayRange(min, max);
		return out;
	}

	private static Calibration spatialCalibration(final ImagePlus like) {
		final Calibration calibration = like.getCalibration().copy();
		calibration.disableDensityCalibration();
		return calibration;
	}
}
