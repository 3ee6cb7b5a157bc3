package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * The random initialisation of SAM 2 trained from scratch: every weight and learned token drawn from
 * N(0, 0.02) by DJL's {@link NormalInitializer} (the engine's generator, so a seeded engine gives the
 * same numbers), biases and layer-norm shifts 0, layer-norm scales 1. Tensors are drawn in
 * registration order, which every module keeps fixed: its own tensors first, then its submodules.
 */
final class Sam2Init {

	/** N(0, 0.02), the usual transformer initialisation. */
	static final Initializer WEIGHT = new NormalInitializer(0.02f);

	private Sam2Init() {}

	static Initializer constant(final float value) {
		return new ConstantInitializer(value);
	}

	static Shape shape(final long... dims) {
		return new Shape(dims);
	}
}
