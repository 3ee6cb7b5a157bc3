package io.github.sssfiji.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.ConstantInitializer;

import io.github.sssfiji.djl.Engines;

class ModelStateTest {

	/** A scope registers its prefix + name in the same registry and manager; get and assign take scoped names. */
	@Test
	void scopesRegisterFullNamesInOneRegistry() {
		try (NDManager root = Engines.pytorch().newBaseManager(); ModelState state = new ModelState(root)) {
			final ModelState trunk = state.scope("image_encoder").scope("trunk");
			final NDArray w = trunk.addParameter("blocks.0.attn.qkv.weight", new Shape(6, 2), new ConstantInitializer(0.5f));
			final NDArray b = state.scope("sam_prompt_encoder").addBuffer("pe", new float[] { 1, 2 }, new Shape(2));
			assertEquals(List.of("image_encoder.trunk.blocks.0.attn.qkv.weight"), List.copyOf(state.parameters().keySet()));
			assertEquals(List.of("sam_prompt_encoder.pe"), List.copyOf(state.buffers().keySet()));
			assertSame(w, state.get("image_encoder.trunk.blocks.0.attn.qkv.weight"));
			assertSame(w, trunk.get("blocks.0.attn.qkv.weight"));
			assertEquals("image_encoder.trunk.blocks.0.attn.qkv.weight", w.getName());
			assertTrue(w.hasGradient());
			assertFalse(b.hasGradient());
			assertSame(state.manager(), trunk.manager());
			trunk.assign("blocks.0.attn.qkv.weight", new float[12], new Shape(6, 2), "test");
			assertArrayEquals(new float[12], w.toFloatArray());
			assertThrows(IllegalArgumentException.class, () -> state.addParameter("image_encoder.trunk.blocks.0.attn.qkv.weight", new float[1], new Shape(1)));
			assertThrows(IllegalArgumentException.class, () -> state.scope("a."));
			trunk.close(); // a view: frees nothing
			assertArrayEquals(new float[] { 1, 2 }, b.toFloatArray());
		}
	}

	/** A declaration records names and shapes and allocates nothing, whatever the shapes declare. */
	@Test
	void aDeclarationAllocatesNothing() {
		final ModelState declared = ModelState.declaration();
		assertTrue(declared.isDeclaration());
		assertNull(declared.scope("huge").addParameter("weight", new Shape(1L << 20, 1L << 20), new ConstantInitializer(0f)));
		assertNull(declared.addBuffer("b", new float[] { 1 }, new Shape(1)));
		assertEquals(new Shape(1L << 20, 1L << 20), declared.shapes().get("huge.weight"));
		assertEquals(List.of("huge.weight", "b"), List.copyOf(declared.shapes().keySet()));
		assertTrue(declared.parameters().isEmpty());
		assertTrue(declared.allTensors().isEmpty());
		declared.close();
	}

	/** Untracked tensors are allocated for the layer that asks but are no part of the state. */
	@Test
	void untrackedTensorsAreAllocatedButNotRegistered() {
		try (NDManager root = Engines.pytorch().newBaseManager(); ModelState state = new ModelState(root, name -> !name.startsWith("head."))) {
			final NDArray kept = state.addParameter("body.weight", new Shape(2), new ConstantInitializer(1f));
			final NDArray unread = state.scope("head").addParameter("weight", new Shape(3), new ConstantInitializer(2f));
			assertNotNull(unread);
			assertArrayEquals(new float[] { 2, 2, 2 }, unread.toFloatArray());
			assertEquals(List.of("body.weight"), List.copyOf(state.parameters().keySet()));
			assertNull(state.get("head.weight"));
			assertSame(unread, state.allTensors().get("head.weight"));
			assertSame(kept, state.allTensors().get("body.weight"));
			assertEquals(2, state.parameterCount());
		}
	}

	/** A tracked scope adds a part that is trained and saved whatever the state's predicate tracks. */
	@Test
	void aTrackedScopeRegistersWhatThePredicateWouldLeaveOut() {
		try (NDManager root = Engines.pytorch().newBaseManager(); ModelState state = new ModelState(root, name -> name.startsWith("body."))) {
			state.addParameter("body.weight", new Shape(2), new ConstantInitializer(1f));
			state.scope("dfe").addParameter("weight", new Shape(1), new ConstantInitializer(3f));
			final ModelState part = state.trackedScope("dfe2");
			final NDArray added = part.addParameter("weight", new Shape(3), new ConstantInitializer(2f));
			assertEquals(List.of("body.weight", "dfe2.weight"), List.copyOf(state.parameters().keySet()));
			assertSame(added, state.get("dfe2.weight"));
			assertSame(added, part.get("weight"));
			assertNull(state.get("dfe.weight"));
			part.close();
			// closing a view frees nothing
			assertArrayEquals(new float[] { 2, 2, 2 }, added.toFloatArray());
		}
	}
}
