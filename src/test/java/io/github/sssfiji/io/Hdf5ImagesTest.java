package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Reads the fixtures that {@code hdf5/make_fixtures.py} wrote with h5py, whose values encode their
 * own (z, y, x) position, so axis order and value conversion are checked against numpy's layout.
 */
class Hdf5ImagesTest {

	@Test
	void volumeAxesAreReversedWithoutMovingValues() throws IOException {
		final MedicalImage image = Hdf5Images.readImage(fixture("volume.h5"));
		final MedicalImage label = Hdf5Images.readLabel(fixture("volume.h5"));
		assertArrayEquals(new int[] { 5, 4, 3 }, image.dims());
		assertArrayEquals(new int[] { 5, 4, 3 }, label.dims());
		assertArrayEquals(new double[] { 1, 1, 1 }, image.spacing());
		assertEquals("volume", image.name());
		assertEquals("hdf5", image.format());
		assertInstanceOf(FloatType.class, image.image().getType());
		assertInstanceOf(UnsignedByteType.class, label.image().getType());
		final RandomAccess<? extends RealType<?>> imageAccess = image.image().randomAccess();
		final RandomAccess<? extends RealType<?>> labelAccess = label.image().randomAccess();
		for (int z = 0; z < 3; z++)
			for (int y = 0; y < 4; y++)
				for (int x = 0; x < 5; x++) {
					final long[] position = { x, y, z };
					assertEquals(z * 100 + y * 10 + x + 0.5, imageAccess.setPositionAndGet(position).getRealDouble(), 0, "image at " + x + "," + y + "," + z);
					assertEquals((x + 2 * y + 3 * z) % 4, labelAccess.setPositionAndGet(position).getRealDouble(), 0, "label at " + x + "," + y + "," + z);
				}
	}

	@Test
	void sliceIsTwoDimensionalAndLabelsStayUnsigned() throws IOException {
		final MedicalImage image = Hdf5Images.readImage(fixture("slice.h5"));
		final MedicalImage label = Hdf5Images.readLabel(fixture("slice.h5"));
		assertArrayEquals(new int[] { 5, 4 }, image.dims());
		assertArrayEquals(new double[] { 1, 1 }, image.spacing());
		final float[] values = image.toFloatArray();
		for (int y = 0; y < 4; y++)
			for (int x = 0; x < 5; x++)
				assertEquals(y * 10 + x, values[y * 5 + x], 0);
		final int[] labels = label.toLabelArray();
		assertEquals(255, labels[3 * 5 + 4]);
		assertEquals(255, labels[labels.length - 1]);
		for (int i = 0; i < labels.length - 1; i++)
			assertEquals(0, labels[i]);
	}

	@Test
	void doubleImagesBecomeFloat() throws IOException {
		final MedicalImage image = Hdf5Images.readImage(fixture("image_float64.h5"));
		assertInstanceOf(FloatType.class, image.image().getType());
		assertEquals(4 * 5, image.size());
		assertEquals(3 * 10 + 2, image.toFloatArray()[3 * 5 + 2], 0);
	}

	@Test
	void readerSelectsTheDataset() throws IOException {
		final Path path = fixture("volume.h5");
		assertArrayEquals(Hdf5Images.readImage(path).toFloatArray(), Hdf5ImageReader.images().read(path).toFloatArray());
		assertArrayEquals(Hdf5Images.readLabel(path).toLabelArray(), Hdf5ImageReader.labels().read(path).toLabelArray());
		assertInstanceOf(UnsignedByteType.class, new Hdf5ImageReader(Hdf5ImageReader.Content.LABEL).read(path).image().getType());
	}

	@Test
	void canReadJudgesByExtension() {
		final Hdf5ImageReader reader = Hdf5ImageReader.images();
		assertTrue(reader.canRead(Paths.get("data", "patient001_frame01.h5")));
		assertTrue(reader.canRead(Paths.get("A.HDF5")));
		assertTrue(reader.canRead(Paths.get("a.hdf")));
		assertFalse(reader.canRead(Paths.get("a.nii.gz")));
		assertFalse(reader.canRead(Paths.get("h5")));
	}

	@Test
	void missingLabelDatasetIsNamedWithWhatExists() throws IOException {
		final Path path = fixture("image_only.h5");
		assertEquals(20, Hdf5Images.readImage(path).size());
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Hdf5Images.readLabel(path));
		assertTrue(e.getMessage().contains("image_only.h5"), e.getMessage());
		assertTrue(e.getMessage().contains("no dataset 'label'"), e.getMessage());
		assertTrue(e.getMessage().contains("'image'"), e.getMessage());
	}

	@Test
	void groupInsteadOfDatasetIsRejected() {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Hdf5Images.readImage(fixture("image_is_group.h5")));
		assertTrue(e.getMessage().contains("'image' is a group, not a dataset"), e.getMessage());
	}

	@Test
	void wrongRankIsRejected() {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Hdf5Images.readImage(fixture("rank4.h5")));
		assertTrue(e.getMessage().contains("rank 4 (shape (2, 3, 4, 5))"), e.getMessage());
	}

	@Test
	void labelsOutsideUnsignedByteAreRejected() {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Hdf5Images.readLabel(fixture("label_out_of_range.h5")));
		assertTrue(e.getMessage().contains("label_out_of_range.h5") && e.getMessage().contains("value 300"), e.getMessage());
	}

	@Test
	void fractionalLabelsAreRejected() {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Hdf5Images.readLabel(fixture("label_fractional.h5")));
		assertTrue(e.getMessage().contains("fractional value 1.5"), e.getMessage());
	}

	@Test
	void otherFilesAreNotHdf5(@TempDir final Path folder) throws IOException {
		final Path text = folder.resolve("notes.h5");
		Files.write(text, "not an HDF5 file, just text long enough to hold a superblock".getBytes(StandardCharsets.US_ASCII));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Hdf5Images.readImage(text));
		assertTrue(e.getMessage().startsWith(text + ": not a readable HDF5 file"), e.getMessage());
		assertThrows(NoSuchFileException.class, () -> Hdf5Images.readImage(folder.resolve("missing.h5")));
	}

	private static Path fixture(final String name) {
		try {
			return Paths.get(Hdf5ImagesTest.class.getResource("hdf5/" + name).toURI());
		}
		catch (final URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}
}
