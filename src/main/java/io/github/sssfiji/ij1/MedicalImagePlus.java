package io.github.sssfiji.ij1;

import java.io.IOException;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.FileSaver;
import ij.io.TiffEncoder;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;

/**
 * {@link MedicalImage} to and from {@link ImagePlus}: pixels through {@link ImagePlusImgs}, spacing
 * through {@link Calibrations}, the name from and to the title.
 * <p>
 * An ImagePlus becomes a MedicalImage with axes x, y and, where present, z and t (see
 * {@link ImagePlusImgs#axes}). Its pixels are shared unless a conversion is needed, which makes a
 * float copy: an 8- or 16-bit image with a calibration function (ImageJ's signed 16-bit offset,
 * DICOM rescale intercept and slope) gets the calibrated values, and an RGB image becomes grey with
 * ImageJ's RGB weighting factors (Edit &gt; Options &gt; Conversions; 1/3 each by default). Images
 * with several channels are refused: SSS segments one channel.
 * </p>
 */
public final class MedicalImagePlus {

	private MedicalImagePlus() {
		// static utility
	}

	/** {@link #fromImagePlus(ImagePlus, String, String)} named after the title without its extension. */
	public static MedicalImage fromImagePlus(final ImagePlus imp, final String format) {
		return fromImagePlus(imp, ImageFiles.titleBaseName(imp.getTitle()), format);
	}

	/**
	 * @param name the MedicalImage's name
	 * @param format its format tag, e.g. {@code tiff}
	 * @throws InvalidInputException for several channels or a virtual stack
	 */
	public static MedicalImage fromImagePlus(final ImagePlus imp, final String name, final String format) {
		if (imp.getNChannels() > 1)
			throw new InvalidInputException("image '" + imp.getTitle() + "' has " + imp.getNChannels() +
				" channels; SSS segments single-channel images (split them with Image > Color > Split Channels)");
		final String axes = ImagePlusImgs.axes(imp);
		final double[] spacing = Calibrations.spacing(imp.getCalibration(), axes);
		return new MedicalImage(name, format, pixels(imp), spacing, null).withUnit(imp.getCalibration().getUnit());
	}

	/** An ImagePlus titled with the image's name, sharing its pixels where possible, calibrated in the image's unit (mm unless it came from ImageJ in another). */
	public static ImagePlus toImagePlus(final MedicalImage image) {
		final ImagePlus imp = ImagePlusImgs.toImagePlus(image.name(), image.image());
		final Calibration calibration = imp.getCalibration();
		Calibrations.setSpacing(calibration, image.spacing(), "xyzt".substring(0, image.numDimensions()), image.unit());
		return imp;
	}

	/**
	 * Writes {@code image} as an ImageJ TIFF (a stack for 3-D), atomically, as File &gt; Save As &gt;
	 * Tiff would: 8-bit for uint8 labels, 32-bit for float maps, calibrated in the image's unit
	 * ({@link #toImagePlus}).
	 */
	public static void writeTiff(final MedicalImage image, final Path target) throws IOException {
		final ImagePlus imp = toImagePlus(image);
		final FileInfo info = imp.getFileInfo();
		// the ImageJ description holds the unit, the slice spacing and the stack's layout
		info.description = new FileSaver(imp).getDescriptionString();
		AtomicFiles.write(target, out -> new TiffEncoder(info).write(out));
	}

	private static RandomAccessibleInterval<? extends RealType<?>> pixels(final ImagePlus imp) {
		final Calibration calibration = imp.getCalibration();
		if (imp.getBitDepth() == 24) return greyCopy(imp);
		if (imp.getBitDepth() != 32 && calibration.calibrated()) return calibratedCopy(imp, calibration);
		return ImagePlusImgs.wrap(imp);
	}

	private static RandomAccessibleInterval<? extends RealType<?>> calibratedCopy(final ImagePlus imp, final Calibration calibration) {
		final float[] table = calibration.getCTable();
		final int planeSize = imp.getWidth() * imp.getHeight();
		final float[] values = new float[Math.multiplyExact(planeSize, imp.getStackSize())];
		for (int s = 0; s < imp.getStackSize(); s++) {
			final Object pixels = imp.getStack().getPixels(s + 1);
			final int offset = s * planeSize;
			if (pixels instanceof byte[]) {
				final byte[] bytes = (byte[]) pixels;
				for (int i = 0; i < planeSize; i++)
					values[offset + i] = table[bytes[i] & 0xff];
			}
			else {
				final short[] shorts = (short[]) pixels;
				for (int i = 0; i < planeSize; i++)
					values[offset + i] = table[shorts[i] & 0xffff];
			}
		}
		return ArrayImgs.floats(values, ImagePlusImgs.dimensions(imp));
	}

	private static RandomAccessibleInterval<? extends RealType<?>> greyCopy(final ImagePlus imp) {
		final double[] weights = ColorProcessor.getWeightingFactors();
		final int planeSize = imp.getWidth() * imp.getHeight();
		final float[] values = new float[Math.multiplyExact(planeSize, imp.getStackSize())];
		for (int s = 0; s < imp.getStackSize(); s++) {
			final int[] rgb = (int[]) imp.getStack().getPixels(s + 1);
			final int offset = s * planeSize;
			for (int i = 0; i < planeSize; i++) {
				final int c = rgb[i];
				values[offset + i] = (float) (((c >> 16) & 0xff) * weights[0] + ((c >> 8) & 0xff) * weights[1] + (c & 0xff) * weights[2]);
			}
		}
		return ArrayImgs.floats(values, ImagePlusImgs.dimensions(imp));
	}
}
