package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.logic.BitType;
import net.imglib2.type.numeric.integer.LongType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;

/** {@link NiftiWriter}: byte-for-byte against nibabel's files, round trips, datatype choices, errors. */
class NiftiWriterTest {

	@TempDir
	Path temp;

	private final NiftiReader reader = new NiftiReader();

	/** Fixtures whose re-written form must equal nibabel's bytes: little-endian, unscaled, no extensions. */
	private static final List<String> BYTE_EXACT = List.of("uint8_3d.nii", "int8_3d.nii.gz", "int16_3d.nii.gz", "uint16_3d.nii",
		"int32_3d.nii", "float32_3d.nii.gz", "float64_3d.nii", "uint8_2d.nii", "float32_4d.nii.gz", "nifti2_int16_4d.nii.gz",
		"oblique_float32.nii.gz");

	@Test
	void plainImageWithSpacingIsWrittenAsNibabelWritesIt() throws IOException {
		// nibabel: Nifti1Image(arange(60, float32).reshape((5,4,3), order='F') * 0.5 - 7, diag([0.5, 0.75, 2, 1]))
		final float[] values = new float[60];
		for (int i = 0; i < values.length; i++)
			values[i] = i * 0.5f - 7;
		final MedicalImage image = new MedicalImage("plain", "test", ArrayImgs.floats(values, 5, 4, 3), new double[] { 0.5, 0.75, 2 }, null);
		final Path out = temp.resolve("plain.nii");
		NiftiWriter.create().write(image, out);
		assertArrayEquals(Files.readAllBytes(NiftiFixtures.path("nibabel_plain_float32.nii")), Files.readAllBytes(out));

		// nibabel: Nifti2Image(arange(60, uint8).reshape((5,4,3), order='F'), diag([0.5, 0.75, 2, 1]), dtype=uint8)
		final byte[] labels = new byte[60];
		for (int i = 0; i < labels.length; i++)
			labels[i] = (byte) i;
		final MedicalImage labelImage = new MedicalImage("labels", "test", ArrayImgs.unsignedBytes(labels, 5, 4, 3), new double[] { 0.5, 0.75, 2 },
			null);
		final Path out2 = temp.resolve("labels.nii");
		NiftiWriter.create().withVersion(2).write(labelImage, out2);
		assertArrayEquals(Files.readAllBytes(NiftiFixtures.path("nibabel_plain_uint8_v2.nii")), Files.readAllBytes(out2));
	}

	@TestFactory
	Stream<DynamicTest> roundTripReproducesNibabelBytes() {
		return BYTE_EXACT.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
			final Path source = NiftiFixtures.path(name);
			final Path out = temp.resolve("copy_" + name);
			NiftiWriter.create().write(reader.read(source), out);
			assertEquals(name.endsWith(".gz"), isGzip(out));
			assertArrayEquals(NiftiFixtures.content(source), NiftiFixtures.content(out));
		}));
	}

	@TestFactory
	Stream<DynamicTest> roundTripKeepsValuesAndGeometry() {
		return NiftiFixtures.described().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
			final NiftiFile original = reader.readWithInfo(NiftiFixtures.path(name));
			final Path out = temp.resolve("again_" + name);
			NiftiWriter.create().write(original.image(), out);
			final NiftiFile again = reader.readWithInfo(out);
			assertEquals(original.image().image().getType().getClass(), again.image().image().getType().getClass());
			assertArrayEquals(original.image().dims(), again.image().dims());
			assertArrayEquals(original.image().toFloatArray(), again.image().toFloatArray());
			assertArrayEquals(original.image().spacing(), again.image().spacing(), 0);
			assertEquals(original.header().version(), again.header().version());
			// scaled data is stored as the float type that holds it; unscaled keeps its datatype
			final NiftiDatatype expected = original.header().isScaled() ? NiftiDatatype.forType(original.image().image().getType())
				: original.header().datatype();
			assertEquals(expected, again.header().datatype());
			assertSameGeometry(original.image().niftiHeader(), again.image().niftiHeader());
			assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, again.header().byteOrder());
		}));
	}

	@Test
	void versionCanBeChangedBothWays() throws IOException {
		final NiftiFile v1 = reader.readWithInfo(NiftiFixtures.path("oblique_float32.nii.gz"));
		final Path v2Path = temp.resolve("oblique_v2.nii");
		NiftiWriter.create().withVersion(2).write(v1.image(), v2Path);
		final NiftiFile v2 = reader.readWithInfo(v2Path);
		assertEquals(2, v2.header().version());
		assertEquals("nifti-2", v2.image().format());
		assertEquals(544, v2.header().voxOffset());
		assertArrayEquals(v1.image().toFloatArray(), v2.image().toFloatArray());
		assertSameGeometry(v1.image().niftiHeader(), v2.image().niftiHeader());
		// a v2 source stays v2 by default, and can go back to v1
		final Path again = temp.resolve("again_v2.nii.gz");
		NiftiWriter.create().write(v2.image(), again);
		assertEquals(2, reader.readHeader(again).version());
		final Path back = temp.resolve("back_v1.nii.gz");
		NiftiWriter.create().withVersion(1).write(v2.image(), back);
		assertArrayEquals(NiftiFixtures.content(NiftiFixtures.path("oblique_float32.nii.gz")), NiftiFixtures.content(back));
	}

	@Test
	void labelsCanBeForcedToUint8() throws IOException {
		final float[] values = { 0, 1, 2, 3, 255, 0 };
		final MedicalImage labels = new MedicalImage("seg", "test", ArrayImgs.floats(values, 3, 2), new double[] { 1.5, 2.5 }, null);
		final Path out = temp.resolve("seg.nii.gz");
		NiftiWriter.create().withDatatype(NiftiDatatype.UINT8).write(labels, out);
		final NiftiFile read = reader.readWithInfo(out);
		assertEquals("uint8", read.datatypeName());
		assertInstanceOf(UnsignedByteType.class, read.image().image().getType());
		assertArrayEquals(values, read.image().toFloatArray());
		assertArrayEquals(new double[] { 1.5, 2.5 }, read.image().spacing(), 0);
	}

	@Test
	void integersCanBeForcedToFloat32AndFloatsToFloat64() throws IOException {
		final MedicalImage ints = new MedicalImage("i", "test", ArrayImgs.ints(new int[] { -5, 16777216, 7, 0 }, 2, 2), new double[] { 1, 1 }, null);
		final Path out = temp.resolve("i.nii");
		NiftiWriter.create().withDatatype(NiftiDatatype.FLOAT32).write(ints, out);
		assertArrayEquals(new float[] { -5, 16777216, 7, 0 }, reader.read(out).toFloatArray());
		assertEquals("float32", reader.readHeader(out).datatypeName());
		final MedicalImage floats = new MedicalImage("f", "test", ArrayImgs.floats(new float[] { 0.1f, -2.5f }, 2, 1), new double[] { 1, 1 }, null);
		NiftiWriter.create().withDatatype(NiftiDatatype.FLOAT64).write(floats, out);
		assertEquals(0.1f, reader.read(out).toFloatArray()[0]);
	}

	@Test
	void valuesThatDoNotFitAreRefusedAndTheOldFileStays() throws IOException {
		final Path out = temp.resolve("labels.nii.gz");
		final MedicalImage good = new MedicalImage("ok", "test", ArrayImgs.floats(new float[] { 1, 2, 3, 4 }, 2, 2), new double[] { 1, 1 }, null);
		NiftiWriter.create().withDatatype(NiftiDatatype.UINT8).write(good, out);
		final byte[] before = Files.readAllBytes(out);
		for (final float bad : new float[] { 2.5f, -1, 256, Float.NaN }) {
			final MedicalImage image = new MedicalImage("bad", "test", ArrayImgs.floats(new float[] { 1, 2, 3, bad }, 2, 2), new double[] { 1, 1 }, null);
			final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> NiftiWriter.create().withDatatype(NiftiDatatype.UINT8).write(image, out));
			assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("[1, 1]") && e.getMessage().contains("uint8"),
				e.getMessage());
		}
		final MedicalImage huge = new MedicalImage("big", "test", ArrayImgs.doubles(new double[] { 1e39 }, 1, 1), new double[] { 1, 1 }, null);
		assertThrows(InvalidInputException.class, () -> NiftiWriter.create().withDatatype(NiftiDatatype.FLOAT32).write(huge, out));
		assertArrayEquals(before, Files.readAllBytes(out));
		assertEquals(List.of("labels.nii.gz"), listFolder());
	}

	@Test
	void viewsAndOtherTypesAreWrittenThroughTheGenericPath() throws IOException {
		final float[] values = new float[24];
		for (int i = 0; i < values.length; i++)
			values[i] = i;
		// x and y swapped: flat order of the view differs from the storage order
		final RandomAccessibleInterval<FloatType> swapped = Views.permute(ArrayImgs.floats(values, 4, 3, 2), 0, 1);
		final Path out = temp.resolve("view.nii");
		NiftiWriter.create().write(new MedicalImage("v", "test", swapped, new double[] { 1, 1, 1 }, null), out);
		final MedicalImage read = reader.read(out);
		assertArrayEquals(new int[] { 3, 4, 2 }, read.dims());
		final float[] got = read.toFloatArray();
		for (int z = 0; z < 2; z++)
			for (int y = 0; y < 4; y++)
				for (int x = 0; x < 3; x++)
					assertEquals(values[y + 4 * x + 12 * z], got[x + 3 * y + 12 * z]);

		final ArrayImg<LongType, ?> longs = ArrayImgs.longs(new long[] { -(1L << 40), 3 }, 2, 1);
		NiftiWriter.create().write(new MedicalImage("l", "test", longs, new double[] { 1, 1 }, null), out);
		assertEquals("float64", reader.readHeader(out).datatypeName());
		assertEquals(-(double) (1L << 40), reader.read(out).image().randomAccess().setPositionAndGet(0, 0).getRealDouble());

		final ArrayImg<BitType, ?> mask = ArrayImgs.bits(3, 1);
		mask.randomAccess().setPositionAndGet(1, 0).set(true);
		NiftiWriter.create().write(new MedicalImage("m", "test", mask, new double[] { 1, 1 }, null), out);
		assertEquals("uint8", reader.readHeader(out).datatypeName());
		assertArrayEquals(new float[] { 0, 1, 0 }, reader.read(out).toFloatArray());
	}

	@Test
	void largeAxesNeedNifti2() throws IOException {
		final MedicalImage wide = new MedicalImage("w", "test", ArrayImgs.unsignedBytes(40000, 1), new double[] { 1, 1 }, null);
		final Path out = temp.resolve("wide.nii");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> NiftiWriter.create().write(wide, out));
		assertTrue(e.getMessage().contains("NIfTI-2"), e.getMessage());
		assertFalse(Files.exists(out));
		NiftiWriter.create().withVersion(2).write(wide, out);
		assertArrayEquals(new int[] { 40000, 1 }, reader.read(out).dims());
	}

	@Test
	void onlyNiftiNames() {
		final MedicalImage image = new MedicalImage("x", "test", ArrayImgs.bytes(2, 2), new double[] { 1, 1 }, null);
		final Path out = temp.resolve("x.tif");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> NiftiWriter.create().write(image, out));
		assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains(".nii.gz"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> NiftiWriter.create().withVersion(3));
	}

	static void assertSameGeometry(final NiftiHeader expected, final NiftiHeader actual) {
		assertEquals(expected.qformCode, actual.qformCode);
		assertEquals(expected.sformCode, actual.sformCode);
		assertArrayEquals(new double[] { expected.quaternB, expected.quaternC, expected.quaternD, expected.qoffsetX, expected.qoffsetY,
			expected.qoffsetZ, expected.qfac }, new double[] { actual.quaternB, actual.quaternC, actual.quaternD, actual.qoffsetX,
				actual.qoffsetY, actual.qoffsetZ, actual.qfac }, 0);
		assertArrayEquals(NiftiReaderTest.concat(expected.srowX, expected.srowY, expected.srowZ),
			NiftiReaderTest.concat(actual.srowX, actual.srowY, actual.srowZ), 0);
		assertEquals(expected.xyztUnits, actual.xyztUnits);
		assertEquals(expected.intentCode, actual.intentCode);
		assertEquals(expected.intentName, actual.intentName);
		assertArrayEquals(new double[] { expected.intentP1, expected.intentP2, expected.intentP3 },
			new double[] { actual.intentP1, actual.intentP2, actual.intentP3 }, 0);
		assertEquals(expected.description, actual.description);
		assertEquals(expected.auxFile, actual.auxFile);
		assertEquals(expected.dimInfo, actual.dimInfo);
		assertEquals(expected.sliceCode, actual.sliceCode);
		assertEquals(expected.sliceStart, actual.sliceStart);
		assertEquals(expected.sliceEnd, actual.sliceEnd);
		assertEquals(expected.sliceDuration, actual.sliceDuration, 0);
		assertEquals(expected.toffset, actual.toffset, 0);
		assertEquals(expected.calMin, actual.calMin, 0);
		assertEquals(expected.calMax, actual.calMax, 0);
	}

	private static boolean isGzip(final Path file) throws IOException {
		final byte[] b = Files.readAllBytes(file);
		return b.length > 2 && b[0] == 0x1f && b[1] == (byte) 0x8b;
	}

	private List<String> listFolder() throws IOException {
		try (Stream<Path> files = Files.list(temp)) {
			return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}
}
