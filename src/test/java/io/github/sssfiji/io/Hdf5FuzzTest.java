package io.github.sssfiji.io;

import static io.github.sssfiji.FuzzProperty.damage;
import static io.github.sssfiji.FuzzProperty.readsOrRefuses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;

/**
 * Jazzer fuzz test of the HDF5 image reader ({@link Hdf5Images}, the {@code image} and {@code label}
 * datasets): any bytes give an image or an {@link io.github.sssfiji.InvalidInputException} naming the
 * file. Inputs are raw bytes, or a small valid file written by jhdf (image and label datasets of a
 * type and shape taken from the fuzz data) with bytes overwritten and maybe cut.
 */
class Hdf5FuzzTest {

	private static Path dir;
	private static byte[] valid;

	@BeforeAll
	static void folder() throws IOException {
		dir = Files.createTempDirectory("sss-fuzz-hdf5");
	}

	@AfterAll
	static void clean() throws IOException {
		for (final String name : new String[] { "fuzz.h5", "valid.h5" })
			Files.deleteIfExists(dir.resolve(name));
		Files.deleteIfExists(dir);
	}

	@FuzzTest(maxDuration = "3m")
	void theReaderReadsOrRefusesAnyFile(final FuzzedDataProvider data) throws Throwable {
		final boolean label = data.consumeBoolean();
		final byte[] bytes = data.consumeBoolean() ? data.consumeRemainingAsBytes() : damage(validFile(data), data, 6);
		final Path file = Files.write(dir.resolve("fuzz.h5"), bytes);
		readsOrRefuses(file, () -> {
			if (label) Hdf5Images.readLabel(file);
			else Hdf5Images.readImage(file);
		});
	}

	/** A valid file: an image dataset (Z, H, W) or (H, W) of floats, bytes or ints, and a label dataset of bytes. */
	private static byte[] validFile(final FuzzedDataProvider data) throws IOException {
		final int z = data.consumeInt(1, 3), h = data.consumeInt(1, 4), w = data.consumeInt(1, 4);
		final boolean twoD = data.consumeBoolean();
		final int kind = data.consumeInt(0, 2);
		final Path file = dir.resolve("valid.h5");
		try (WritableHdfFile f = HdfFile.write(file)) {
			final Object image;
			if (kind == 0) image = twoD ? new float[h][w] : new float[z][h][w];
			else if (kind == 1) image = twoD ? new int[h][w] : new int[z][h][w];
			else image = twoD ? new byte[h][w] : new byte[z][h][w];
			f.putDataset("image", image);
			final byte[][][] label = new byte[z][h][w];
			label[0][0][0] = (byte) data.consumeInt(0, 3);
			f.putDataset("label", twoD ? label[0] : label);
		}
		return Files.readAllBytes(file);
	}
}
