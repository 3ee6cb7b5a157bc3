package io.github.sssfiji.model.sam2.predictor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.nn.Resize;

/** Normalisation reproduces the official SAM2Transforms output of the fixture bit for bit; other sizes are resized first. */
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
	void rgbReplicaEqualsGreyAndOtherSizesAreResizedBeforeNormalising() {
		final byte[] grey = new byte[6 * 10];
		for (int i = 0; i < grey.length; i++) grey[i] = (byte) (i * 37);
		final byte[] rgb = new byte[3 * grey.length];
		for (int i = 0; i < grey.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[i];
		assertArrayEquals(Sam2Transforms.normalize(grey, 6, 10, 1, 8), Sam2Transforms.normalize(rgb, 6, 10, 3, 8));
		final float[] resized = Resize.bilinear(Sam2Transforms.toUnit(grey, 6, 10, 1), 1, 6, 10, 8, 8, true);
		final float[] input = Sam2Transforms.normalize(grey, 6, 10, 1, 8);
		// channel 2 (blue): mean 0.406, std 0.225
		for (int i = 0; i < 64; i++) assertEquals((resized[i] - 0.406f) / 0.225f, input[128 + i], 0f);
	}

	@Test
	void rejectsBadBuffers() {
		assertThrows(InvalidInputException.class, () -> Sam2Transforms.normalize(new byte[5], 2, 2, 1, 256));
		assertThrows(InvalidInputException.class, () -> Sam2Transforms.normalize(new byte[8], 2, 2, 2, 256));
	}
}
