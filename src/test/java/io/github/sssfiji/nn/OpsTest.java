package io.github.sssfiji.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.djl.Engines;

class OpsTest {

	/** align_corners=True: the corners stay, the rest is spaced (in - 1) / (out - 1) apart (values of torch 1.13's F.interpolate). */
	@Test
	void upsamplingAlignsTheCorners() {
		try (NDManager manager = Engines.pytorch().newBaseManager()) {
			final NDArray x = manager.create(new float[] { 0, 1, 2, 3, 10, 20, 30, 40 }, new Shape(1, 2, 2, 2));
			final NDArray up = Resize.bilinear2xAlignCorners(x);
			assertArrayEquals(new long[] { 1, 2, 4, 4 }, up.getShape().getShape());
			final float third = 1 / 3f;
			assertArrayEquals(new float[] { //
				0, third, 2 * third, 1, //
				2 * third, 1, 4 * third, 5 * third, //
				4 * third, 5 * third, 2, 7 * third, //
				2, 7 * third, 8 * third, 3 }, up.get(0, 0).toFloatArray(), 1e-6f);
			assertArrayEquals(new float[] { 10, 20, 30, 40 }, new float[] { up.getFloat(0, 1, 0, 0), up.getFloat(0, 1, 0, 3), up.getFloat(0, 1, 3, 0),
				up.getFloat(0, 1, 3, 3) }, 1e-5f);
		}
	}

	/** Non-square maps use each axis's own matrix. */
	@Test
	void upsamplingHandlesRectangles() {
		try (NDManager manager = Engines.pytorch().newBaseManager()) {
			final NDArray x = manager.create(new float[] { 0, 3, 6 }, new Shape(1, 1, 1, 3));
			assertArrayEquals(new float[] { 0, 1.2f, 2.4f, 3.6f, 4.8f, 6, 0, 1.2f, 2.4f, 3.6f, 4.8f, 6 },
				Resize.bilinear2xAlignCorners(x).toFloatArray(), 1e-5f);
		}
	}
}
