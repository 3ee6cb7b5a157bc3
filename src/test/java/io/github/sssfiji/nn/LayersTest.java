package io.github.sssfiji.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.NormalInitializer;

import io.github.sssfiji.djl.Engines;

/** The SAM-2 layers of the toolkit against their PyTorch definitions, computed by hand. */
class LayersTest {

	@Test
	void linearIsXWTransposedPlusBias() {
		try (NDManager root = Engines.pytorch().newBaseManager(); ModelState state = new ModelState(root)) {
			final Linear withBias = Linear.create(state, "fc", 3, 2, true, new NormalInitializer(0.02f));
			final Linear noBias = Linear.create(state, "proj", 3, 2, false, new NormalInitializer(0.02f));
			assertEquals(List.of("fc.weight", "fc.bias", "proj.weight"), List.copyOf(state.parameters().keySet()));
			assertNull(noBias.bias());
			final float[] w = { 1, 2, 3, 4, 5, 6 };
			state.assign("fc.weight", w, new Shape(2, 3), "test");
			state.assign("fc.bias", new float[] { 0.5f, -1 }, new Shape(2), "test");
			state.assign("proj.weight", w, new Shape(2, 3), "test");
			final NDArray x = root.create(new float[] { 1, 0, -1, 2, 1, 0 }, new Shape(2, 3));
			assertArrayEquals(new float[] { -1.5f, -3, 4.5f, 12 }, withBias.forward(x).toFloatArray(), 1e-6f);
			assertArrayEquals(new float[] { -2, -2, 4, 13 }, noBias.forward(x).toFloatArray(), 1e-6f);
		}
	}

	@Test
	void layerNormNormalisesTheLastAxisOrTheChannels() {
		try (NDManager root = Engines.pytorch().newBaseManager(); ModelState state = new ModelState(root)) {
			final LayerNorm norm = LayerNorm.create(state, "norm", 2, 1e-5f);
			assertArrayEquals(new float[] { 1, 1 }, norm.weight().toFloatArray());
			assertArrayEquals(new float[] { 0, 0 }, norm.bias().toFloatArray());
			state.assign("norm.weight", new float[] { 2, 1 }, new Shape(2), "test");
			state.assign("norm.bias", new float[] { 0, 10 }, new Shape(2), "test");
			// (1, 3): mean 2, sd 1 -> (-1, 1) -> (-2, 11)
			assertArrayEquals(new float[] { -2, 11 }, norm.forward(root.create(new float[] { 1, 3 }, new Shape(1, 2))).toFloatArray(), 1e-4f);
			// NCHW (1, 2, 1, 2): pixel 0 has channels (1, 3), pixel 1 has (5, 5)
			final NDArray x = root.create(new float[] { 1, 5, 3, 5 }, new Shape(1, 2, 1, 2));
			assertArrayEquals(new float[] { -2, 0, 11, 10 }, norm.forwardChannelsFirst(x).toFloatArray(), 1e-4f);
		}
	}

	/** ConvTranspose2d(k = s = 2): output pixel (2i + a, 2j + b, o) = bias[o] + sum_c x[c, i, j] w[c, o, a, b]. */
	@Test
	void transposedConvolutionMatchesItsDefinition() {
		try (NDManager root = Engines.pytorch().newBaseManager(); ModelState state = new ModelState(root)) {
			final int in = 3, out = 2, h = 2, w = 3;
			final ConvTranspose2d up = ConvTranspose2d.create(state, "up", in, out, new NormalInitializer(1f));
			final float[] weight = up.weight().toFloatArray();
			final float[] bias = { 0.25f, -0.5f };
			state.assign("up.bias", bias, new Shape(out), "test");
			final float[] x = new float[in * h * w];
			for (int i = 0; i < x.length; i++) x[i] = (i % 5) - 2 + 0.1f * i;
			final float[] y = up.forward(root.create(x, new Shape(1, in, h, w))).toFloatArray();
			assertEquals(out * 2 * h * 2 * w, y.length);
			for (int o = 0; o < out; o++)
				for (int r = 0; r < 2 * h; r++)
					for (int c = 0; c < 2 * w; c++) {
						double expected = bias[o];
						for (int ch = 0; ch < in; ch++)
							expected += x[(ch * h + r / 2) * w + c / 2] * weight[((ch * out + o) * 2 + r % 2) * 2 + c % 2];
						assertEquals(expected, y[(o * 2 * h + r) * 2 * w + c], 1e-5, "o " + o + " r " + r + " c " + c);
					}
		}
	}

	@Test
	void convolutionWithAnInitialiserHasPyTorchShapesAndZeroBias() {
		try (NDManager root = Engines.pytorch().newBaseManager(); ModelState state = new ModelState(root)) {
			final Conv2d depthwise = Conv2d.create(state, "dwconv", 4, 4, 7, 1, 3, 4, new NormalInitializer(0.02f));
			assertEquals(new Shape(4, 1, 7, 7), depthwise.weight().getShape());
			assertArrayEquals(new float[4], depthwise.bias().toFloatArray());
			final Conv2d down = Conv2d.create(state, "down", 1, 4, 2, 2, 0, 1, new NormalInitializer(0.02f));
			assertEquals(new Shape(1, 4, 8, 8), depthwise.forward(root.ones(new Shape(1, 4, 8, 8))).getShape());
			assertEquals(new Shape(1, 4, 4, 4), down.forward(root.ones(new Shape(1, 1, 8, 8))).getShape());
		}
	}
}
