package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.nn.ModelState;

/** The model built on a state: the declared keys are the built ones, and random initialisation has SAM-2's distributions. */
class Sam2ModelTest {

	@Test
	void aBuiltModelHoldsExactlyTheDeclaredTensorsWithTheirInitialisation() throws IOException {
		final Sam2Config config = Sam2Config.parse(TestData.sam2Parity().resolve("config.json"));
		final Map<String, long[]> declared = Sam2Model.expectedShapes(config);
		try (NDManager root = Engines.pytorch().newBaseManager(); ModelState state = new ModelState(root)) {
			// a seeded draw, so that the moments below are the same numbers every run
			root.getEngine().setRandomSeed(11);
			final Sam2Model model = new Sam2Model(state, config);
			assertEquals(List.copyOf(declared.keySet()), List.copyOf(model.tensors().keySet()), "keys and order");
			for (final Map.Entry<String, NDArray> e : model.tensors().entrySet())
				assertArrayEquals(declared.get(e.getKey()), e.getValue().getShape().getShape(), e.getKey());
			// own tensors before submodules, as DJL initialised blocks (the draw order of a seeded engine)
			assertEquals(List.of("no_mem_embed", "no_mem_pos_enc", "no_obj_ptr", "maskmem_tpos_enc", "image_encoder.trunk.pos_embed"),
				List.copyOf(declared.keySet()).subList(0, 5));
			assertEquals(Sam2Part.BUFFERS, state.buffers().keySet());
			assertFalse(state.buffers().values().iterator().next().hasGradient());
			assertEquals(model.tensors().size() - 1, state.parameters().size());
			assertTrue(state.parameters().values().stream().allMatch(NDArray::hasGradient));
			// N(0, 0.02) weights, zero biases, unit layer-norm scales, zero position embeddings, 1e-6 layer scales
			final float[] qkv = model.tensors().get("image_encoder.trunk.blocks.0.attn.qkv.weight").toFloatArray();
			double sum = 0, squares = 0;
			for (final float v : qkv) {
				sum += v;
				squares += v * v;
			}
			final double mean = sum / qkv.length, sd = Math.sqrt(squares / qkv.length - mean * mean);
			// within five standard errors of N(0, 0.02)'s moments for this many values
			final double error = 0.02 / Math.sqrt(qkv.length);
			assertEquals(0.02, sd, 5 * error * Math.sqrt(0.5), "weight sd");
			assertEquals(0, mean, 5 * error, "weight mean");
			assertConstant(model, "image_encoder.trunk.blocks.0.attn.qkv.bias", 0f);
			assertConstant(model, "image_encoder.trunk.blocks.0.norm1.weight", 1f);
			assertConstant(model, "image_encoder.trunk.pos_embed", 0f);
			assertConstant(model, "memory_encoder.fuser.layers.0.gamma", 1e-6f);
		}
	}

	private static void assertConstant(final Sam2Model model, final String key, final float value) {
		for (final float v : model.tensors().get(key).toFloatArray())
			assertEquals(value, v, 0f, key);
	}
}
