package io.github.sssfiji.model.sam2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TensorData;

/** Normalisation reproduces the official SAM2Transforms output of the fixture bit for bit. */
class Sam2TransformsTest {

	@Test
	void grayImageGivesTheFixtureInputExactly() throws IOException {
		final TensorData u8 = Npy.read(TestData.sam2Parity().resolve("image/image_u8.npy"));
		final byte[] pixels = new byte[u8.longs().length];
		for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) u8.longs()[i];
		final float[] input = Sam2Transforms.normalize(pixels, 256, 256, 1, 256);
		assertArrayEquals(Npy.read(TestData.sam2Parity().resolve("image/image_norm.npy")).floats(), input);
	}

	@Test
	void rejectsImagesOfAnotherSize() {
		assertThrows(InvalidInputException.class, () -> Sam2Transforms.normalize(new byte[4], 2, 2, 1, 256));
	}
}
