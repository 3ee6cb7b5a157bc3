package io.github.sssfiji.ij1;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.pcsw.Pcsw;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PcswResult;

/**
 * PCSW on ImageJ images: a label stack (8- or 16-bit, or 32-bit holding integers), or probability
 * maps (32-bit; one channel = one class's foreground probability, several channels = softmax maps
 * with channel 1 the background). Z is the slice axis; one time point.
 */
public final class PcswImages {

	private PcswImages() {}

	/** Runs PCSW on {@code image} with its calibration as spacing. */
	public static PcswResult run(final ImagePlus image, final PcswParameters parameters) {
		if (image.getNFrames() > 1)
			throw new InvalidInputException(image.getTitle() + ": " + image.getNFrames() + " time points; PCSW takes one volume (Z slices)");
		final int nx = image.getWidth(), ny = image.getHeight(), nz = image.getNSlices(), nc = image.getNChannels();
		final double[] spacing = Calibrations.spacing(image.getCalibration(), "xy");
		final float[] values = new float[nx * ny * nz * nc];
		final ImageStack stack = image.getStack();
		boolean integers = true;
		for (int c = 0; c < nc; c++)
			for (int z = 0; z < nz; z++) {
				final ImageProcessor ip = stack.getProcessor(image.getStackIndex(c + 1, z + 1, 1));
				final int offset = (c * nz + z) * nx * ny;
				for (int i = 0; i < nx * ny; i++) {
					final float v = ip.getf(i);
					values[offset + i] = v;
					integers &= v == Math.rint(v);
				}
			}
		final int[] volume = { nx, ny, nz };
		if (nc == 1 && (image.getBitDepth() != 32 || integers)) {
			final int[] labels = new int[values.length];
			for (int i = 0; i < labels.length; i++)
				labels[i] = (int) values[i];
			return Pcsw.fromLabels(labels, volume, spacing, parameters);
		}
		if (image.getBitDepth() != 32)
			throw new InvalidInputException(image.getTitle() + ": " + nc + " channels of " + image.getBitDepth() +
				"-bit; probability maps must be 32-bit, label maps one channel");
		return Pcsw.fromProbabilities(values, nc == 1 ? volume : new int[] { nx, ny, nz, nc }, spacing, parameters);
	}

	/** The filtered label map of {@code result} as an 8-bit (16-bit above 255 classes) stack calibrated like {@code like}. */
	public static ImagePlus labels(final PcswResult result, final ImagePlus like, final String title) {
		return SegmentationImages.labels(result.labels(), result.dims(), like, title);
	}
}
