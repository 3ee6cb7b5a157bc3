package io.github.sssfiji.model.sam2.predictor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.TestData;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.model.sam2.parity.ParityCheck;
import io.github.sssfiji.nn.Resize;

/** Coordinate transform and mask upsampling against the fixture's postprocess files. */
class Sam2PostprocessTest {

	@Test
	void coordinatesMatchExactly() throws IOException {
		final Path dir = TestData.sam2Parity().resolve("postprocess");
		final float[] out = Sam2Postprocess.transformCoords(Npy.read(dir.resolve("coords_in.npy")).floats(), 640, 480, 256);
		assertArrayEquals(Npy.read(dir.resolve("coords_out.npy")).floats(), out);
	}

	@Test
	void bilinearUpsamplingToNonSquareAndSquareSizes() throws IOException {
		final Path root = TestData.sam2Parity();
		final float[] low = Npy.read(root.resolve("postprocess/nonsquare_input_low_res.npy")).floats();
		check("postprocess/nonsquare_masks_logits.npy", Resize.bilinear(low, 1, 64, 64, 150, 220, false), new long[] { 1, 1, 150, 220 });
		check("prompts/a_point/single/masks_logits_upscaled.npy", Resize.bilinear(low, 1, 64, 64, 256, 256, false),
			new long[] { 1, 256, 256 });
	}

	@Test
	void booleanMasksOfEveryCaseMatchTheBitPackedReference() throws IOException {
		final Path prompts = TestData.sam2Parity().resolve("prompts");
		for (final String c : new String[] { "a_point", "b_points_pos_neg", "c_box", "d_box_point", "e_mask", "f_points_mask" }) {
			for (final String mode : new String[] { "multi", "single" }) {
				final TensorData low = Npy.read(prompts.resolve(c + "/" + mode + "/low_res_masks.npy"));
				final int m = (int) low.shape()[1];
				final float[] logits = Resize.bilinear(low.floats(), m, 64, 64, 256, 256, false);
				final long[] packed = Npy.read(prompts.resolve(c + "/" + mode + "/masks_bool.npy")).longs();
				int flips = 0;
				for (int i = 0; i < logits.length; i++) {
					final boolean expected = ((packed[i >> 3] >> (7 - (i & 7))) & 1) == 1;
					if (expected != logits[i] > 0) {
						assertTrue(Math.abs(logits[i]) < 1e-3, c + "/" + mode + " pixel " + i + " flips at logit " + logits[i]);
						flips++;
					}
				}
				assertEquals(0, flips, c + "/" + mode);
			}
		}
	}

	private static void check(final String file, final float[] actual, final long[] shape) throws IOException {
		final ParityCheck.Result r = ParityCheck.compare(file, actual, shape, Npy.read(TestData.sam2Parity().resolve(file)), 1e-4, 1e-3);
		System.out.println(r);
		assertTrue(r.pass(), r.toString());
		assertTrue(r.maxAbsError() < 1e-5, r.toString());
	}
}
