package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.integer.UnsignedShortType;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;

class MedicalImagePlusTest {

	@Test
	void takesNameSpacingAndSharedPixelsFromAnImagePlus() {
		final ImageStack stack = new ImageStack(3, 2);
		stack.addSlice(new ShortProcessor(3, 2));
		stack.addSlice(new ShortProcessor(3, 2));
		final ImagePlus imp = new ImagePlus("patient001_frame01.nii.gz", stack);
		imp.getCalibration().pixelWidth = 1.5;
		imp.getCalibration().pixelHeight = 1.25;
		imp.getCalibration().pixelDepth = 10;
		imp.getCalibration().setUnit("mm");
		final MedicalImage image = MedicalImagePlus.fromImagePlus(imp, "tiff");
		assertEquals("patient001_frame01", image.name());
		assertEquals("tiff", image.format());
		assertArrayEquals(new int[] { 3, 2, 2 }, image.dims());
		assertArrayEquals(new double[] { 1.5, 1.25, 10 }, image.spacing());
		stack.getProcessor(2).set(2, 1, 40000);
		assertEquals(40000, image.toFloatArray()[11], "shared, unsigned");
	}

	/** Spacing is kept in mm inside SSS; back in ImageJ the calibration is in the unit it came in. */
	@Test
	void aCalibrationInMicronsComesBackInMicrons() {
		final ImageStack stack = new ImageStack(3, 2);
		stack.addSlice(new ShortProcessor(3, 2));
		stack.addSlice(new ShortProcessor(3, 2));
		final ImagePlus imp = new ImagePlus("cells", stack);
		imp.getCalibration().pixelWidth = 0.5;
		imp.getCalibration().pixelHeight = 0.25;
		imp.getCalibration().pixelDepth = 2;
		imp.getCalibration().setUnit("um");
		final MedicalImage image = MedicalImagePlus.fromImagePlus(imp, "test");
		assertArrayEquals(new double[] { 5e-4, 2.5e-4, 2e-3 }, image.spacing(), 1e-12);
		final ImagePlus back = MedicalImagePlus.toImagePlus(image.withPixels(image.image()));
		assertEquals("\u00b5m", back.getCalibration().getUnit());
		assertEquals(0.5, back.getCalibration().pixelWidth, 1e-12);
		assertEquals(0.25, back.getCalibration().pixelHeight, 1e-12);
		assertEquals(2, back.getCalibration().pixelDepth, 1e-12);
		assertEquals("mm", MedicalImagePlus.toImagePlus(new MedicalImage("n", "nifti-1", image.image(), image.spacing(), null)).getCalibration().getUnit(),
			"an image that names no unit is in mm");
	}

	@Test
	void appliesImageJsCalibrationFunction() {
		final ShortProcessor ip = new ShortProcessor(2, 1);
		ip.set(0, 0, 32768 - 1029);
		ip.set(1, 0, 32768 + 7);
		final ImagePlus imp = new ImagePlus("ct.dcm", ip);
		imp.getCalibration().setSigned16BitCalibration();
		final MedicalImage image = MedicalImagePlus.fromImagePlus(imp, "dicom");
		assertArrayEquals(new float[] { -1029, 7 }, image.toFloatArray());
	}

	@Test
	void turnsRgbIntoGreyWithImageJsWeights() {
		final ColorProcessor ip = new ColorProcessor(2, 1);
		ip.set(0, 0, (30 << 16) | (60 << 8) | 90);
		ip.set(1, 0, 0xffffff);
		final double[] saved = ColorProcessor.getWeightingFactors();
		try {
			ColorProcessor.setWeightingFactors(1d / 3, 1d / 3, 1d / 3);
			assertArrayEquals(new float[] { 60, 255 }, MedicalImagePlus.fromImagePlus(new ImagePlus("rgb", ip), "tiff").toFloatArray(), 1e-4f);
			ColorProcessor.setWeightingFactors(0.299, 0.587, 0.114);
			assertEquals(0.299 * 30 + 0.587 * 60 + 0.114 * 90, MedicalImagePlus.fromImagePlus(new ImagePlus("rgb", ip), "tiff").toFloatArray()[0], 1e-4);
		}
		finally {
			ColorProcessor.setWeightingFactors(saved[0], saved[1], saved[2]);
		}
	}

	@Test
	void refusesSeveralChannels() {
		final ImageStack stack = new ImageStack(2, 2);
		stack.addSlice(new ShortProcessor(2, 2));
		stack.addSlice(new ShortProcessor(2, 2));
		final ImagePlus imp = new ImagePlus("two", stack);
		imp.setDimensions(2, 1, 1);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> MedicalImagePlus.fromImagePlus(imp, "tiff"));
		assertTrue(e.getMessage().contains("'two' has 2 channels"), e.getMessage());
	}

	@Test
	void makesACalibratedImagePlusSharingPixels() {
		final PlanarImg<UnsignedShortType, ShortArray> pixels = PlanarImgs.unsignedShorts(4, 3, 5, 2);
		final MedicalImage image = new MedicalImage("case7", "nifti-1", pixels, new double[] { 1.5, 1.5, 8, 0.04 }, null);
		final ImagePlus imp = MedicalImagePlus.toImagePlus(image);
		assertEquals("case7", imp.getTitle());
		assertEquals(5, imp.getNSlices());
		assertEquals(2, imp.getNFrames());
		assertEquals("mm", imp.getCalibration().getUnit());
		assertEquals(8, imp.getCalibration().pixelDepth);
		assertEquals(0.04, imp.getCalibration().frameInterval);
		assertSame(pixels.getPlane(9).getCurrentStorageArray(), imp.getStack().getPixels(10));

		final MedicalImage back = MedicalImagePlus.fromImagePlus(imp, "tiff");
		assertEquals("case7", back.name());
		assertArrayEquals(image.spacing(), back.spacing());
		assertArrayEquals(image.dims(), back.dims());
	}

	@Test
	void copiesImagesImageJCannotShare() {
		final MedicalImage image = new MedicalImage("labels", "nifti-1", ArrayImgs.ints(new int[] { 0, 1, 2, 3, 4, 5, 6, 7 }, 2, 2, 2),
			new double[] { 1, 1, 2 }, null);
		final ImagePlus imp = MedicalImagePlus.toImagePlus(image);
		assertEquals(32, imp.getBitDepth());
		assertEquals(7f, imp.getStack().getProcessor(2).getf(1, 1));
	}
}
