package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.cli.MainTest.Run;

/**
 * Inputs that once ended in a stack trace or were silently accepted: each now gives exit code 2 and
 * one {@code error:} line naming the option or file and the problem, and writes nothing.
 */
class BadInputCliTest {

	private static final Path LABELS = Path.of("sample-data", "test", "labels", "synthetic_014.nii.gz");

	private static void assertRefused(final Run run, final String... parts) {
		assertEquals(2, run.code, run.err);
		assertTrue(run.err.startsWith("error: "), run.err);
		assertEquals(1, run.err.strip().split("\n").length, "one line: " + run.err);
		assertFalse(run.err.contains("\tat "), "no stack trace: " + run.err);
		for (final String part : parts)
			assertTrue(run.err.contains(part), "'" + part + "' in: " + run.err);
		assertTrue(run.out.isEmpty(), run.out);
	}

	@Test
	void evaluateOutIntoAFolderOrAMissingFolderIsRefused(@TempDir final Path dir) throws IOException {
		assertRefused(new Run("evaluate", "--pred", LABELS.toString(), "--gt", LABELS.toString(), "--out", dir.toString()), "--out", "is a folder");
		assertRefused(new Run("evaluate", "--pred", LABELS.toString(), "--gt", LABELS.toString(), "--out", dir.resolve("no/such/m.csv").toString()),
			"--out", "does not exist");
		try (var files = Files.list(dir)) {
			assertEquals(0, files.count());
		}
	}

	@Test
	void pcswOutOntoAFileIsRefused(@TempDir final Path dir) throws IOException {
		final Path file = Files.writeString(dir.resolve("taken"), "keep me");
		assertRefused(new Run("pcsw", "--input", LABELS.toString(), "--out", file.toString()), "--out", "is a file");
		assertEquals("keep me", Files.readString(file));
	}

	@Test
	void anHdf5FileWithOnlyItsSignatureIsNotReadable(@TempDir final Path dir) throws IOException {
		final Path file = Files.write(dir.resolve("signature.h5"), new byte[] { (byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' });
		assertRefused(new Run("info", file.toString()), file.toString(), "not a readable HDF5 file");
	}

	@Test
	void aNonFiniteVoxelSizeIsRefusedBeforeAnyDistanceIsComputed(@TempDir final Path dir) throws IOException {
		for (final float bad : new float[] { Float.NaN, Float.POSITIVE_INFINITY }) {
			final Path file = dir.resolve("bad-spacing.nii");
			Files.write(file, nifti1WithPixdim(bad));
			assertRefused(new Run("evaluate", "--pred", file.toString(), "--gt", file.toString()), file.toString(), "pixdim[2]");
			assertRefused(new Run("pcsw", "--input", file.toString(), "--out", dir.resolve("out").toString()), file.toString(), "pixdim[2]");
			assertFalse(Files.exists(dir.resolve("out")));
		}
	}

	@Test
	void negativeClassesAndStrayArgumentsAreRefused() {
		assertRefused(new Run("evaluate", "--pred", LABELS.toString(), "--gt", LABELS.toString(), "--classes", "-1"), "classes", "-1");
		assertRefused(new Run("evaluate", "--pred", LABELS.toString(), "--gt", LABELS.toString(), "extra"), "unexpected argument 'extra'");
	}

	@Test
	void aBadShardIsRefusedNamingTheOptionBeforeTheModelIsRead(@TempDir final Path dir) {
		final Path out = dir.resolve("out");
		for (final String bad : new String[] { "0/3", "4/3", "a/b", "3", "-1/2", "1/0" })
			assertRefused(new Run("predict", "--model", "pom.xml", "--input", "sample-data/test/images", "--out", out.toString(), "--shard", bad),
				"option --shard", "'" + bad + "'");
		assertRefused(new Run("predict", "--model", "pom.xml", "--input", "sample-data/test/images", "--out", out.toString(), "--shard", ""),
			"option --shard", "give i/n");
		assertRefused(new Run("predict", "--model", "pom.xml", "--input", "sample-data/test/images", "--out", out.toString(), "--shard"),
			"option --shard", "'true'");
		assertFalse(Files.exists(out));
	}

	/** A 4 x 3 x 2 uint8 NIfTI-1 (single file) with voxel size (1, {@code y}, 1) and labels 0 and 1. */
	private static byte[] nifti1WithPixdim(final float y) {
		final ByteBuffer b = ByteBuffer.allocate(352 + 24).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(0, 348);
		final short[] dim = { 3, 4, 3, 2, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putShort(40 + 2 * i, dim[i]);
		b.putShort(70, (short) 2); // uint8
		b.putShort(72, (short) 8);
		final float[] pixdim = { 1, 1, y, 1, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putFloat(76 + 4 * i, pixdim[i]);
		b.putFloat(108, 352);
		b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
		for (int i = 0; i < 24; i++)
			b.put(352 + i, (byte) (i % 5 == 0 ? 1 : 0));
		return b.array();
	}
}
