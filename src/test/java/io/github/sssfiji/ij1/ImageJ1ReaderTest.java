package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * Reads TIFF files written here by ImageJ's FileSaver and the DICOM files that
 * {@code src/test/resources/io/github/sssfiji/ij1/dicom/make_dicom.py} wrote with pydicom; the
 * expected values and spacings are the ones that script put in.
 */
class ImageJ1ReaderTest {

	private final ImageJ1Reader reader = new ImageJ1Reader();

	@TempDir
	Path temp;

	@BeforeAll
	static void runsHeadless() {
		assertTrue(GraphicsEnvironment.isHeadless(), "these tests check ImageJ 1.x without a display");
	}

	private static Path dicom(final String name) throws URISyntaxException {
		return Paths.get(ImageJ1ReaderTest.class.getResource("dicom/" + name).toURI());
	}

	@Test
	void aTiffStackCutAnywhereInItsPixelDataIsRefusedAsTruncated() throws IOException {
		final ImageStack stack = new ImageStack(5, 4);
		for (int z = 0; z < 3; z++)
			stack.addSlice(new ShortProcessor(5, 4));
		final Path whole = temp.resolve("whole.tif");
		assertTrue(new FileSaver(new ImagePlus("t", stack)).saveAsTiffStack(whole.toString()));
		final byte[] bytes = Files.readAllBytes(whole);
		final long offset = new ij.io.TiffDecoder(temp + java.io.File.separator, "whole.tif").getTiffInfo()[0].getOffset();
		assertEquals(3, reader.read(whole).dims()[2]);
		// in the first slice, in the last slice, one byte short of the end of the pixels
		for (final long cut : new long[] { offset + 1, offset + 2 * 5 * 4 * 2 + 3, offset + 3 * 5 * 4 * 2 - 1 }) {
			final Path file = Files.write(temp.resolve("cut.tif"), java.util.Arrays.copyOf(bytes, (int) cut));
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> reader.read(file), "cut at " + cut);
			assertTrue(e.getMessage().startsWith(file + " is truncated: its TIFF header places image data up to byte " + (offset + 120) +
				", but the file has only " + cut + " bytes"), e.getMessage());
		}
	}

	@Test
	void readsATiffStackWithItsCalibration() throws IOException {
		final ImageStack stack = new ImageStack(5, 4);
		for (int z = 0; z < 3; z++) {
			final ShortProcessor ip = new ShortProcessor(5, 4);
			for (int y = 0; y < 4; y++)
				for (int x = 0; x < 5; x++)
					ip.set(x, y, 20000 * z + 10 * y + x);
			stack.addSlice(ip);
		}
		final ImagePlus imp = new ImagePlus("ignored title", stack);
		imp.getCalibration().pixelWidth = 0.7;
		imp.getCalibration().pixelHeight = 0.9;
		imp.getCalibration().pixelDepth = 2.5;
		imp.getCalibration().setUnit("mm");
		final Path file = temp.resolve("heart.tif");
		assertTrue(new FileSaver(imp).saveAsTiffStack(file.toString()));

		assertTrue(reader.canRead(file));
		final MedicalImage image = reader.read(file);
		assertEquals("heart", image.name());
		assertEquals("tiff", image.format());
		assertArrayEquals(new int[] { 5, 4, 3 }, image.dims());
		// TIFF keeps the x and y resolution as a fraction: equal to about 7 digits
		assertArrayEquals(new double[] { 0.7, 0.9, 2.5 }, image.spacing(), 1e-6);
		final float[] values = image.toFloatArray();
		assertEquals(40000 + 30 + 4, values[2 * 20 + 3 * 5 + 4], "z=2, y=3, x=4; unsigned beyond 32767");
	}

	@Test
	void readsAFloatTimeSeriesTiffInMillimetres() throws IOException {
		final ImageStack stack = new ImageStack(2, 2);
		for (int i = 0; i < 6; i++)
			stack.addSlice(new FloatProcessor(2, 2, new float[] { i, i + 0.5f, -i, 0 }));
		final ImagePlus imp = new ImagePlus("t", stack);
		imp.setDimensions(1, 2, 3);
		imp.setOpenAsHyperStack(true);
		imp.getCalibration().pixelWidth = 0.15;
		imp.getCalibration().pixelHeight = 0.15;
		imp.getCalibration().pixelDepth = 0.6;
		imp.getCalibration().frameInterval = 0.04;
		imp.getCalibration().setUnit("cm");
		final Path file = temp.resolve("cine.tiff");
		assertTrue(new FileSaver(imp).saveAsTiffStack(file.toString()));

		final MedicalImage image = reader.read(file);
		assertArrayEquals(new int[] { 2, 2, 2, 3 }, image.dims());
		assertArrayEquals(new double[] { 1.5, 1.5, 6, 0.04 }, image.spacing(), 1e-6);
		// z=1, t=2 is stack slice 2 * 2 + 1 = 5
		assertEquals(5.5f, image.toFloatArray()[(2 * 2 + 1) * 4 + 1]);
	}

	@Test
	void readsADicomSeriesSortedByPosition() throws Exception {
		final Path series = dicom("series");
		assertTrue(reader.canRead(series));
		final MedicalImage image = reader.read(series);
		assertEquals("series", image.name());
		assertEquals("dicom-series", image.format());
		assertArrayEquals(new int[] { 6, 5, 4 }, image.dims(), "6 columns (x), 5 rows (y), 4 slices");
		assertArrayEquals(new double[] { 0.6, 0.8, 2.5 }, image.spacing(), 1e-9,
			"x from the column spacing, y from the row spacing, z from the positions (not the 2 mm thickness)");
		final float[] values = image.toFloatArray();
		for (int k = 0; k < 4; k++)
			for (int y = 0; y < 5; y++)
				for (int x = 0; x < 6; x++)
					assertEquals(1000 * k + 10 * y + x, values[(k * 5 + y) * 6 + x], "slice " + k + " (file names are shuffled)");
	}

	@Test
	void readsOneDicomFileWithItsRescaleIntercept() throws Exception {
		final Path file = dicom("ct_signed.dcm");
		assertTrue(reader.canRead(file));
		final MedicalImage image = reader.read(file);
		assertEquals("ct_signed", image.name());
		assertEquals("dicom", image.format());
		assertArrayEquals(new int[] { 4, 3 }, image.dims());
		assertArrayEquals(new double[] { 0.5, 0.5 }, image.spacing(), 1e-9);
		final float[] values = image.toFloatArray();
		for (int y = 0; y < 3; y++)
			for (int x = 0; x < 4; x++)
				assertEquals(10 * y + x - 5 - 1024, values[y * 4 + x], "signed stored value plus intercept at " + x + "," + y);

		final MedicalImage slice = reader.read(dicom("series/d_slice.dcm"));
		assertEquals(2000 + 10 * 4 + 5, slice.toFloatArray()[4 * 6 + 5]);
	}

	@Test
	void recognisesDicomFilesWithoutExtension() throws Exception {
		final Path file = temp.resolve("IM0001");
		Files.copy(dicom("ct_signed.dcm"), file);
		assertTrue(reader.canRead(file));
		assertEquals(-1029f, reader.read(file).toFloatArray()[0]);
		final Path text = temp.resolve("README");
		Files.writeString(text, "not an image");
		assertFalse(reader.canRead(text));
	}

	/**
	 * Headless without ij1-patcher, ImageJ cannot apply a Rescale Slope: the reader must refuse the
	 * file rather than return unscaled values. Should a test in the same JVM have patched ImageJ, the
	 * file opens and must then hold the rescaled values.
	 */
	@Test
	void refusesARescaleSlopeItCannotApplyHeadless() throws Exception {
		for (int attempt = 0; attempt < 2; attempt++) {
			// the first attempt meets a HeadlessException, later ones ImageJ's silently skipped commands
			try {
				final float[] values = reader.read(dicom("ct_slope2.dcm")).toFloatArray();
				for (int y = 0; y < 3; y++)
					for (int x = 0; x < 4; x++)
						assertEquals(2 * (10 * y + x - 5) - 1024, values[y * 4 + x], "rescaled by a patched ImageJ");
			}
			catch (final InvalidInputException e) {
				assertTrue(e.getMessage().contains("ct_slope2.dcm") && e.getMessage().contains("Rescale Slope"), e.getMessage());
			}
		}
		final Path folder = Files.createDirectory(temp.resolve("scaled"));
		Files.copy(dicom("ct_slope2.dcm"), folder.resolve("one.dcm"));
		try {
			assertEquals(-1034f, reader.read(folder).toFloatArray()[0], "rescaled by a patched ImageJ");
		}
		catch (final InvalidInputException e) {
			assertTrue(e.getMessage().contains("Rescale Slope"), e.getMessage());
		}
	}

	@Test
	void reportsFilesImageJCannotOpen() throws IOException {
		final Path corrupt = temp.resolve("corrupt.tif");
		Files.write(corrupt, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 });
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> reader.read(corrupt));
		assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());

		final Path empty = Files.createDirectory(temp.resolve("empty"));
		assertFalse(reader.canRead(empty));
		assertThrows(InvalidInputException.class, () -> reader.read(empty));
		assertThrows(NoSuchFileException.class, () -> reader.read(temp.resolve("missing.tif")));
		assertFalse(reader.canRead(temp.resolve("missing.tif")));
	}

	@Test
	void parsesDicomHeaderValues() {
		final String header = "0028,1052  Rescale Intercept: -1024.0 \n0028,1053  Rescale Slope: 2.5 \n";
		assertEquals(2.5, ImageJ1Reader.tagValue(header, "0028,1053", 1));
		assertEquals(-1024, ImageJ1Reader.tagValue(header, "0028,1052", 0));
		assertEquals(1, ImageJ1Reader.tagValue(header, "0020,0013", 1));
		assertEquals(1, ImageJ1Reader.tagValue(null, "0028,1053", 1));
	}
}
