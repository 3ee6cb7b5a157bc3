package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;

/** {@link NiftiReader} against the values nibabel reports for the fixtures, and on damaged files. */
class NiftiReaderTest {

	@TempDir
	Path temp;

	private final NiftiReader reader = new NiftiReader();

	@TestFactory
	Stream<DynamicTest> readsEveryFixtureAsNibabelDoes() {
		return NiftiFixtures.described().stream().map(name -> DynamicTest.dynamicTest(name, () -> checkAgainstNibabel(name)));
	}

	private void checkAgainstNibabel(final String name) throws IOException {
		final NiftiFile file = reader.readWithInfo(NiftiFixtures.path(name));
		final NiftiFileHeader header = file.header();
		final MedicalImage image = file.image();
		final int version = NiftiFixtures.getInt(name, "version");
		assertEquals(version, header.version());
		assertEquals("nifti-" + version, image.format());
		assertEquals(name.replaceFirst("\\.nii(\\.gz)?$", ""), image.name());
		assertEquals(NiftiFixtures.get(name, "datatype"), file.datatypeName());
		assertEquals(NiftiFixtures.getInt(name, "datatypeCode"), header.datatypeCode());
		assertEquals(Boolean.parseBoolean(NiftiFixtures.get(name, "bigEndian")) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
			header.byteOrder());
		assertEquals(NiftiFixtures.getInt(name, "voxOffset"), header.voxOffset());
		assertArrayEquals(Arrays.stream(NiftiFixtures.get(name, "shape").split(" ")).mapToInt(Integer::parseInt).toArray(), image.dims());
		assertArrayEquals(NiftiFixtures.getDoubles(name, "spacing"), image.spacing(), 0);

		final boolean scaled = Boolean.parseBoolean(NiftiFixtures.get(name, "scaled"));
		assertEquals(scaled, header.isScaled());
		assertEquals(NiftiFixtures.getDouble(name, "sclSlope"), header.sclSlope(), 0);
		assertEquals(NiftiFixtures.getDouble(name, "sclInter"), header.sclInter(), 0);
		assertInstanceOf(ArrayImg.class, image.image());
		assertEquals(expectedType(header.datatype(), scaled), image.image().getType().getClass());

		// scaled values are float32 here but float64 in nibabel
		final double relative = scaled && header.datatype() != NiftiDatatype.INT32 ? 1e-6 : 0;
		final double[] values = new double[Math.toIntExact(image.size())];
		int i = 0;
		for (final RealType<?> v : Views.flatIterable(image.image()))
			values[i++] = v.getRealDouble();
		double sum = 0;
		for (final double v : values)
			sum += v;
		final double expectedSum = NiftiFixtures.getDouble(name, "sum");
		assertEquals(expectedSum, sum, Math.max(1e-9, 1e-9 * Math.abs(expectedSum) + relative * Arrays.stream(values).map(Math::abs).sum()));
		final double min = Arrays.stream(values).min().getAsDouble();
		final double max = Arrays.stream(values).max().getAsDouble();
		assertEquals(NiftiFixtures.getDouble(name, "min"), min, relative * Math.abs(min));
		assertEquals(NiftiFixtures.getDouble(name, "max"), max, relative * Math.abs(max));
		final RandomAccess<? extends RealType<?>> access = image.image().randomAccess();
		for (final String voxel : NiftiFixtures.get(name, "voxels").split("; ")) {
			final String[] parts = voxel.split("=");
			access.setPosition(Arrays.stream(parts[0].split(",")).mapToLong(Long::parseLong).toArray());
			final double expected = Double.parseDouble(parts[1]);
			assertEquals(expected, access.get().getRealDouble(), relative * Math.abs(expected), voxel);
		}

		final NiftiHeader g = image.niftiHeader();
		assertEquals(version, g.version);
		assertEquals(NiftiFixtures.getInt(name, "qformCode"), g.qformCode);
		assertEquals(NiftiFixtures.getInt(name, "sformCode"), g.sformCode);
		assertArrayEquals(NiftiFixtures.getDoubles(name, "quatern"), new double[] { g.quaternB, g.quaternC, g.quaternD }, 0);
		assertArrayEquals(NiftiFixtures.getDoubles(name, "qoffset"), new double[] { g.qoffsetX, g.qoffsetY, g.qoffsetZ }, 0);
		assertEquals(NiftiFixtures.getDouble(name, "qfac"), g.qfac, 0);
		assertArrayEquals(NiftiFixtures.getDoubles(name, "srow"), concat(g.srowX, g.srowY, g.srowZ), 0);
		final double[] pixdim = header.pixdim();
		assertArrayEquals(NiftiFixtures.getDoubles(name, "qformMatrix"),
			concat(NiftiGeometry.qform(g, new double[] { pixdim[1], pixdim[2], pixdim[3] })), 1e-6);
		assertArrayEquals(NiftiFixtures.getDoubles(name, "sformMatrix"), concat(NiftiGeometry.sform(g)), 0);
		assertEquals(NiftiFixtures.getInt(name, "xyztUnits"), g.xyztUnits);
		assertEquals(NiftiFixtures.getInt(name, "intentCode"), g.intentCode);
		assertArrayEquals(NiftiFixtures.getDoubles(name, "intentP"), new double[] { g.intentP1, g.intentP2, g.intentP3 }, 0);
		assertEquals(NiftiFixtures.get(name, "intentName"), g.intentName);
		assertEquals(NiftiFixtures.get(name, "descrip"), g.description);
		assertEquals(NiftiFixtures.get(name, "auxFile"), g.auxFile);
		assertEquals(NiftiFixtures.getDouble(name, "calMin"), g.calMin, 0);
		assertEquals(NiftiFixtures.getDouble(name, "calMax"), g.calMax, 0);
		assertEquals(NiftiFixtures.getInt(name, "dimInfo"), g.dimInfo & 0xff);
		assertEquals(NiftiFixtures.getInt(name, "sliceCode"), g.sliceCode);
		assertEquals(NiftiFixtures.getInt(name, "sliceStart"), g.sliceStart);
		assertEquals(NiftiFixtures.getInt(name, "sliceEnd"), g.sliceEnd);
		assertEquals(NiftiFixtures.getDouble(name, "sliceDuration"), g.sliceDuration, 0);
		assertEquals(NiftiFixtures.getDouble(name, "toffset"), g.toffset, 0);
	}

	private static Class<?> expectedType(final NiftiDatatype datatype, final boolean scaled) {
		if (scaled) return datatype == NiftiDatatype.INT32 || datatype == NiftiDatatype.FLOAT64 ? DoubleType.class : FloatType.class;
		switch (datatype) {
			case UINT8: return UnsignedByteType.class;
			case INT8: return ByteType.class;
			case INT16: return ShortType.class;
			case UINT16: return UnsignedShortType.class;
			case INT32: return IntType.class;
			case FLOAT32: return FloatType.class;
			default: return DoubleType.class;
		}
	}

	static double[] concat(final double[]... rows) {
		return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
	}

	@Test
	void fixturesCoverEveryDatatypeBothVersionsBothByteOrdersAndCompression() {
		final var names = NiftiFixtures.described();
		for (final NiftiDatatype t : NiftiDatatype.values())
			assertTrue(names.stream().anyMatch(n -> NiftiFixtures.get(n, "datatype").equals(t.label())), t.label());
		assertTrue(names.stream().anyMatch(n -> NiftiFixtures.getInt(n, "version") == 2));
		assertTrue(names.stream().anyMatch(n -> NiftiFixtures.get(n, "bigEndian").equals("true")));
		assertTrue(names.stream().anyMatch(n -> n.endsWith(".gz")));
		assertTrue(names.stream().anyMatch(n -> NiftiFixtures.get(n, "shape").split(" ").length == 2));
		assertTrue(names.stream().anyMatch(n -> NiftiFixtures.get(n, "shape").split(" ").length == 4));
	}

	@Test
	void acceptsNiftiNames() throws IOException {
		assertTrue(reader.canRead(Path.of("a/b/heart.nii")));
		assertTrue(reader.canRead(Path.of("HEART.NII.GZ")));
		assertFalse(reader.canRead(Path.of("heart.h5")));
		assertFalse(reader.canRead(Path.of("heart.nii.zip")));
		assertTrue(reader.canRead(NiftiFixtures.path("pair.hdr")));
		final Path otherHdr = Files.write(temp.resolve("envi.hdr"), "ENVI\nsamples = 3\n".getBytes());
		assertFalse(reader.canRead(otherHdr));
	}

	@Test
	void detectsCompressionByContentNotName() throws IOException {
		final MedicalImage expected = reader.read(NiftiFixtures.path("int16_3d.nii.gz"));
		final Path gzipNamedNii = Files.copy(NiftiFixtures.path("int16_3d.nii.gz"), temp.resolve("gz_inside.nii"));
		assertArrayEquals(expected.toFloatArray(), reader.read(gzipNamedNii).toFloatArray());
		final Path plainNamedGz = Files.write(temp.resolve("plain_inside.nii.gz"), NiftiFixtures.content(NiftiFixtures.path("int16_3d.nii.gz")));
		assertArrayEquals(expected.toFloatArray(), reader.read(plainNamedGz).toFloatArray());
	}

	@Test
	void readsOnlyTheHeaderWhenAsked() throws IOException {
		final NiftiFileHeader header = reader.readHeader(NiftiFixtures.path("nifti2_int16_4d.nii.gz"));
		assertEquals(2, header.version());
		assertArrayEquals(new long[] { 3, 4, 2, 2 }, header.shape());
		assertEquals("int16", header.datatypeName());
		assertEquals(4L * 3 * 4 * 2 * 2 / 2, header.dataBytes());
	}

	@Test
	void oneDimensionalDataBecomesTwoDimensional() throws IOException {
		final Path file = patched("uint8_2d.nii", h -> {
			h.putShort(40, (short) 1);
			h.putShort(42, (short) 30);
		});
		final MedicalImage image = reader.read(file);
		assertArrayEquals(new int[] { 30, 1 }, image.dims());
		assertArrayEquals(Arrays.copyOf(reader.read(NiftiFixtures.path("uint8_2d.nii")).toFloatArray(), 30), image.toFloatArray());
	}

	@Test
	void trailingSingletonAxesAboveTheFourthAreDropped() throws IOException {
		final Path file = patched("uint8_3d.nii", h -> h.putShort(40, (short) 6));
		final MedicalImage image = reader.read(file);
		// dim[4..6] are 1 in the fixture: a 6-D header of a 3-D volume reads as 4-D (x, y, z, t = 1)
		assertArrayEquals(new int[] { 5, 4, 3, 1 }, image.dims());
		final Path fiveD = patched("uint8_3d.nii", h -> {
			h.putShort(40, (short) 5);
			h.putShort(48, (short) 1);
			h.putShort(50, (short) 3);
		});
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> reader.read(fiveD));
		assertMessage(e, fiveD, "5 dimensions");
	}

	/**
	 * As nibabel reads them (its header check, which medpy's loading goes through): a zero spatial
	 * voxel size becomes 1, a negative one its absolute value, and a bitpix that disagrees with the
	 * datatype changes nothing.
	 */
	@Test
	void zeroOrNegativeVoxelSizesAndAWrongBitpixAreFixedAsNibabelFixesThem() throws IOException {
		final MedicalImage raw = reader.read(NiftiFixtures.path("extension_int16.nii"));
		final Path file = patched("extension_int16.nii", h -> {
			h.putFloat(80, 0);
			h.putFloat(84, -2.5f);
			h.putShort(72, (short) 64);
		});
		final MedicalImage fixed = reader.read(file);
		assertArrayEquals(raw.toFloatArray(), fixed.toFloatArray());
		assertEquals(1, fixed.spacing()[0], 0);
		assertEquals(2.5, fixed.spacing()[1], 0);
	}

	@Test
	void slopeZeroOrNanMeansUnscaled() throws IOException {
		final MedicalImage raw = reader.read(NiftiFixtures.path("extension_int16.nii"));
		for (final float slope : new float[] { 0, Float.NaN, Float.POSITIVE_INFINITY }) {
			final Path file = patched("extension_int16.nii", h -> {
				h.putFloat(112, slope);
				h.putFloat(116, 5);
			});
			final MedicalImage image = reader.read(file);
			assertInstanceOf(ShortType.class, image.image().getType(), "slope " + slope);
			assertArrayEquals(raw.toFloatArray(), image.toFloatArray());
		}
		final Path scaled = patched("extension_int16.nii", h -> {
			h.putFloat(112, -0.5f);
			h.putFloat(116, 3);
		});
		final float[] expected = raw.toFloatArray();
		for (int i = 0; i < expected.length; i++)
			expected[i] = expected[i] * -0.5f + 3;
		assertArrayEquals(expected, reader.read(scaled).toFloatArray());
	}

	@Test
	void validSlopeWithInvalidInterceptIsAnError() throws IOException {
		final Path file = patched("extension_int16.nii", h -> {
			h.putFloat(112, 2);
			h.putFloat(116, Float.NaN);
		});
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(file)), file, "scl_inter");
	}

	// --- damaged and unsupported files: each error names the file and the problem

	@Test
	void truncatedGzip() throws IOException {
		final byte[] gz = Files.readAllBytes(NiftiFixtures.path("float32_3d.nii.gz"));
		final Path file = Files.write(temp.resolve("cut.nii.gz"), Arrays.copyOf(gz, gz.length / 2));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(file)), file, "gzip");
	}

	@Test
	void damagedGzipChecksum() throws IOException {
		final byte[] gz = Files.readAllBytes(NiftiFixtures.path("float32_3d.nii.gz"));
		gz[gz.length - 6] ^= 0x5a; // inside the CRC-32 of the trailer: the data itself inflates fine
		final Path file = Files.write(temp.resolve("crc.nii.gz"), gz);
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(file)), file, "gzip");
	}

	@Test
	void badMagic() throws IOException {
		final Path file = patched("uint8_3d.nii", h -> h.put(344, new byte[] { 'x', 'y', 'z', 0 }));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(file)), file, "magic \"xyz\\x00\"");
	}

	@Test
	void badNifti2Magic() throws IOException {
		final Path textMode = patched("nifti2_int16_4d.nii.gz", h -> h.put(8, new byte[] { '\n', '\n', 0x1a, '\n' }));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(textMode)), textMode, "text mode");
		final Path other = patched("nifti2_int16_4d.nii.gz", h -> h.put(4, (byte) 'm'));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(other)), other, "bad NIfTI-2 magic");
	}

	@Test
	void notNiftiAtAll() throws IOException {
		final Path file = Files.write(temp.resolve("text.nii"), "this is not an image, just some words of text".getBytes());
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(file)), file, "sizeof_hdr");
		final Path tiny = Files.write(temp.resolve("tiny.nii"), new byte[] { 1, 2 });
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(tiny)), tiny, "too short");
	}

	@Test
	void truncatedHeader() throws IOException {
		final byte[] bytes = Files.readAllBytes(NiftiFixtures.path("uint8_3d.nii"));
		final Path file = Files.write(temp.resolve("header_cut.nii"), Arrays.copyOf(bytes, 200));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(file)), file, "200 of 348");
	}

	@Test
	void fileShorterThanVoxOffsetPlusData() throws IOException {
		final byte[] plain = NiftiFixtures.content(NiftiFixtures.path("int16_3d.nii.gz"));
		final Path cut = Files.write(temp.resolve("data_cut.nii"), Arrays.copyOf(plain, plain.length - 10));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> reader.read(cut));
		assertMessage(e, cut, "truncated");
		assertTrue(e.getMessage().contains("need 472 bytes") && e.getMessage().contains("only 462"), e.getMessage());
		final Path pastEnd = patched("uint8_3d.nii", h -> h.putFloat(108, 4000));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(pastEnd)), pastEnd, "vox_offset 4000");
	}

	@Test
	void voxOffsetInsideTheHeader() throws IOException {
		final Path file = patched("uint8_3d.nii", h -> h.putFloat(108, 100));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(file)), file, "vox_offset 100");
	}

	@Test
	void unsupportedDatatype() throws IOException {
		final Path file = NiftiFixtures.path("unsupported_int64.nii");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> reader.read(file));
		assertMessage(e, file, "datatype 1024 (int64)");
		final Path rgb = patched("uint8_3d.nii", h -> h.putShort(70, (short) 128));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(rgb)), rgb, "datatype 128 (RGB24)");
	}

	@Test
	void nonsenseDims() throws IOException {
		for (final short rank : new short[] { 0, 8, -1 }) {
			final Path file = patched("uint8_3d.nii", h -> h.putShort(40, rank));
			assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(file)), file, "dim[0] = " + rank);
		}
		final Path negative = patched("uint8_3d.nii", h -> h.putShort(44, (short) -4));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(negative)), negative, "dim[2] = -4");
		final Path zero = patched("nifti2_int16_4d.nii.gz", h -> h.putLong(16 + 8 * 4, 0));
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(zero)), zero, "dim[4] = 0");
	}

	@Test
	void separateHeaderAndImagePairs() throws IOException {
		final Path file = NiftiFixtures.path("pair.hdr");
		assertMessage(assertThrows(InvalidInputException.class, () -> reader.read(file)), file, "separate .hdr/.img");
	}

	private static void assertMessage(final InvalidInputException e, final Path file, final String problem) {
		assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
		assertTrue(e.getMessage().contains(problem), "says '" + problem + "': " + e.getMessage());
	}

	/** A copy of a fixture (decompressed, same extension) with header bytes changed. */
	private Path patched(final String fixture, final java.util.function.Consumer<ByteBuffer> change) throws IOException {
		final byte[] bytes = NiftiFixtures.content(NiftiFixtures.path(fixture));
		final ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		change.accept(header);
		return Files.write(Files.createTempFile(temp, "patched_", "_" + fixture.replace(".gz", "")), bytes);
	}
}
