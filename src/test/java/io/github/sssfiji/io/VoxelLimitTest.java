package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import net.imglib2.img.array.ArrayImgs;

/** {@link VoxelLimit}: checked from the header before any allocation, settable with {@code -Dsss.maxVoxels}. */
class VoxelLimitTest {

	@TempDir
	Path dir;

	@AfterEach
	void defaultLimit() {
		System.clearProperty(VoxelLimit.PROPERTY);
	}

	private Path nifti(final String name, final int... dims) throws IOException {
		final Path file = dir.resolve(name);
		NiftiWriter.create().write(new MedicalImage("x", "test", ArrayImgs.unsignedBytes(java.util.Arrays.stream(dims).asLongStream().toArray()),
			new double[dims.length], null), file);
		return file;
	}

	@Test
	void aHeaderDeclaringMoreThanTheDefaultLimitIsRefusedBeforeItsDataIsRead() throws IOException {
		assertEquals(1L << 30, VoxelLimit.maxVoxels());
		// 1025 x 1024 x 1024 uint8 declared in a file of a few hundred bytes: the limit speaks before the size check
		final Path file = nifti("big.nii", 2, 2, 2);
		final byte[] bytes = Files.readAllBytes(file);
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(42, (short) 1025).putShort(44, (short) 1024).putShort(46, (short) 1024);
		Files.write(file, bytes);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> new NiftiReader().read(file));
		assertEquals(file + " is too large for SSS: [1025, 1024, 1024] = 1074790400 voxels, more than the limit of 1073741824 voxels; " +
			"raise it with --max-voxels N (command line), Max voxels in SSS Options (Fiji) or the Java option -Dsss.maxVoxels=N, at most 2147483639",
			e.getMessage());
	}

	@Test
	void theLimitIsSettableAndAppliesToNiftiAndHdf5Alike() throws IOException {
		final Path at = nifti("at.nii", 4, 5, 5), over = nifti("over.nii", 5, 5, 5);
		final Path h5 = dir.resolve("over.h5");
		try (WritableHdfFile f = HdfFile.write(h5)) {
			f.putDataset("image", new float[5][5][5]);
		}
		System.setProperty(VoxelLimit.PROPERTY, "100");
		assertArrayEquals(new int[] { 4, 5, 5 }, new NiftiReader().read(at).dims());
		final InvalidInputException nifti = assertThrows(InvalidInputException.class, () -> new NiftiReader().read(over));
		assertTrue(nifti.getMessage().startsWith(over + " is too large for SSS: [5, 5, 5] = 125 voxels, more than the limit of 100 voxels; " +
			"raise it with --max-voxels N (command line), Max voxels in SSS Options (Fiji) or the Java option -Dsss.maxVoxels=N"), nifti.getMessage());
		final InvalidInputException hdf5 = assertThrows(InvalidInputException.class, () -> Hdf5Images.readImage(h5));
		assertTrue(hdf5.getMessage().startsWith(h5 + " is too large for SSS: [5, 5, 5] = 125 voxels"), hdf5.getMessage());

		System.setProperty(VoxelLimit.PROPERTY, "125");
		assertArrayEquals(new int[] { 5, 5, 5 }, Hdf5Images.readImage(h5).dims());
	}

	@Test
	void setChangesTheLimitOfTheNextReadAndRestoreUndoesIt() throws IOException {
		final Path image = nifti("image.nii", 5, 5, 5);
		VoxelLimit.set(124);
		assertThrows(InvalidInputException.class, () -> new NiftiReader().read(image));
		VoxelLimit.restore(null);
		assertEquals(VoxelLimit.DEFAULT, VoxelLimit.maxVoxels());
		assertArrayEquals(new int[] { 5, 5, 5 }, new NiftiReader().read(image).dims());
		VoxelLimit.restore("200");
		assertEquals(200, VoxelLimit.maxVoxels());
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> VoxelLimit.set(0));
		assertEquals("voxel limit 0: must be at least 1 voxel", e.getMessage());
		assertEquals(200, VoxelLimit.maxVoxels(), "a refused value changes nothing");
	}

	@Test
	void aLimitThatIsNoPositiveNumberIsAnErrorNamingTheOption() {
		for (final String bad : new String[] { "lots", "0", "-5" }) {
			System.setProperty(VoxelLimit.PROPERTY, bad);
			final InvalidInputException e = assertThrows(InvalidInputException.class, VoxelLimit::maxVoxels);
			assertTrue(e.getMessage().startsWith("Java option -Dsss.maxVoxels: '" + bad + "'"), e.getMessage());
		}
		System.setProperty(VoxelLimit.PROPERTY, "99999999999");
		assertEquals(VoxelLimit.INDEX_LIMIT, VoxelLimit.maxVoxels(), "never beyond int indexing");
	}
}
