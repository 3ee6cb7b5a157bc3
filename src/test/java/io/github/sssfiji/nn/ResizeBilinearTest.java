package io.github.sssfiji.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TensorData;

/**
 * Bilinear resizing against torch 1.13's {@code F.interpolate(..., align_corners=False,
 * antialias=True/False)} on random float images (src/test/resources/.../resize/make_reference.py):
 * downscaling, upscaling, mixed and non-integer factors.
 */
class ResizeBilinearTest {

	private static final Path DIR = Path.of("src/test/resources/io/github/sssfiji/nn/resize");

	@Test
	void matchesTorchWithAndWithoutAntialiasing() throws IOException {
		for (final String name : new String[] { "down", "up", "mixed", "odd" }) {
			final TensorData in = Npy.read(DIR.resolve(name + "_in.npy"));
			for (final boolean aa : new boolean[] { true, false }) {
				final TensorData ref = Npy.read(DIR.resolve(name + (aa ? "_aa" : "_plain") + ".npy"));
				final int inH = (int) in.shape()[0], inW = (int) in.shape()[1];
				final int outH = (int) ref.shape()[0], outW = (int) ref.shape()[1];
				final float[] out = Resize.bilinear(in.floats(), 1, inH, inW, outH, outW, aa);
				double max = 0;
				for (int i = 0; i < out.length; i++)
					max = Math.max(max, Math.abs(out[i] - ref.floats()[i]));
				System.out.printf("%s antialias=%s max abs error %.3e%n", name, aa, max);
				// values are in [0, 1]: at most one float32 ulp of 1.0
				assertTrue(max <= 1.2e-7, name + " antialias=" + aa + ": max abs error " + max);
			}
		}
	}

	@Test
	void sameSizeIsTheIdentityAndChannelsAreIndependent() {
		final float[] src = new float[2 * 5 * 7];
		for (int i = 0; i < src.length; i++) src[i] = (float) Math.sin(i * 0.7);
		for (final boolean aa : new boolean[] { true, false }) {
			final float[] same = Resize.bilinear(src, 2, 5, 7, 5, 7, aa);
			for (int i = 0; i < src.length; i++) assertEquals(src[i], same[i], 0f);
			final float[] both = Resize.bilinear(src, 2, 5, 7, 3, 4, aa);
			final float[] second = Resize.bilinear(java.util.Arrays.copyOfRange(src, 35, 70), 1, 5, 7, 3, 4, aa);
			for (int i = 0; i < 12; i++) assertEquals(second[i], both[12 + i], 0f);
		}
	}
}
