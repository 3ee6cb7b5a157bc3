package io.github.sssfiji.io;

import static io.github.sssfiji.FuzzProperty.damage;
import static io.github.sssfiji.FuzzProperty.readsOrRefuses;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz tests of the NIfTI header parser and the NIfTI reader (plain and gzip): any bytes give
 * an image or an {@link io.github.sssfiji.InvalidInputException} naming the file (see
 * {@link io.github.sssfiji.FuzzProperty}). Inputs are either raw bytes or a valid file from our own
 * header encoder (NIfTI-1 or -2, either byte order, any supported datatype, small dims) with bytes
 * overwritten and maybe cut, so that the fuzzer reaches past the size and magic checks at once.
 * {@code mvn verify} runs them over the saved inputs only; {@code JAZZER_FUZZ=1} fuzzes (bench/README.md).
 */
class NiftiFuzzTest {

	private static Path dir;

	@BeforeAll
	static void folder() throws IOException {
		dir = Files.createTempDirectory("sss-fuzz-nifti");
	}

	@AfterAll
	static void clean() throws IOException {
		for (final String name : new String[] { "fuzz.nii", "fuzz.nii.gz" })
			Files.deleteIfExists(dir.resolve(name));
		Files.deleteIfExists(dir);
	}

	@FuzzTest(maxDuration = "3m")
	void theHeaderParserReadsOrRefusesAnyBytes(final FuzzedDataProvider data) throws Throwable {
		final Path file = Path.of("fuzz.nii");
		final byte[] bytes = input(data);
		readsOrRefuses(file, () -> NiftiHeaderParser.read(new ByteArrayInputStream(bytes), file));
	}

	@FuzzTest(maxDuration = "3m")
	void theReaderReadsOrRefusesAnyFile(final FuzzedDataProvider data) throws Throwable {
		final boolean gzip = data.consumeBoolean();
		byte[] bytes = input(data);
		if (gzip) bytes = damage(gzip(bytes), data, 2);
		final Path file = Files.write(dir.resolve(gzip ? "fuzz.nii.gz" : "fuzz.nii"), bytes);
		readsOrRefuses(file, () -> new NiftiReader().readWithInfo(file));
	}

	/** Raw bytes, or a valid small NIfTI file of our own encoder with damage. */
	static byte[] input(final FuzzedDataProvider data) {
		if (data.consumeBoolean()) return data.consumeRemainingAsBytes();
		final int version = data.consumeBoolean() ? 1 : 2;
		final NiftiDatatype type = data.pickValue(NiftiDatatype.values());
		final long[] dims = new long[data.consumeInt(1, 4)];
		long voxels = 1;
		for (int d = 0; d < dims.length; d++)
			voxels *= dims[d] = data.consumeInt(1, 6);
		final double[] spacing = new double[dims.length];
		for (int d = 0; d < dims.length; d++)
			spacing[d] = data.consumeBoolean() ? 1 : data.consumeDouble();
		final NiftiHeader geometry = NiftiWriter.headerForSpacing(spacing);
		geometry.version = version;
		final byte[] header;
		try {
			header = NiftiHeaderEncoder.encode(geometry, dims, spacing, type, version, Path.of("fuzz.nii"));
		}
		catch (final io.github.sssfiji.InvalidInputException e) {
			return data.consumeRemainingAsBytes();
		}
		final byte[] file = Arrays.copyOf(header, header.length + (int) voxels * type.bytesPerVoxel());
		final byte[] voxelBytes = data.consumeBytes((int) voxels * type.bytesPerVoxel());
		System.arraycopy(voxelBytes, 0, file, header.length, voxelBytes.length);
		if (data.consumeBoolean()) swapHeaderByteOrder(file, version);
		return damage(file, data, 6);
	}

	/** Reverses the 4 bytes of sizeof_hdr: the parser then reads the header as big-endian (the other fields stay as they were). */
	private static void swapHeaderByteOrder(final byte[] file, final int version) {
		for (int i = 0; i < 2; i++) {
			final byte t = file[i];
			file[i] = file[3 - i];
			file[3 - i] = t;
		}
	}

	private static byte[] gzip(final byte[] bytes) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
			zip.write(bytes);
		}
		catch (final IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		return out.toByteArray();
	}
}
