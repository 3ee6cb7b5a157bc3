package io.github.sssfiji.model.sam2.modeling.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * Base of the SAM 2 blocks: parameters get their final shape at construction (so a checkpoint can
 * be checked before anything is allocated), and child names are the official module names, so the
 * dotted path of every parameter equals its PyTorch state_dict key (see {@link ParameterNames}).
 */
public abstract class Sam2Block extends AbstractBlock {

	private static final byte VERSION = 1;

	protected Sam2Block() {
		super(VERSION);
	}

	/** Adds a trainable parameter with a fixed shape; {@code init} only matters when no checkpoint is loaded. */
	protected final Parameter parameter(final String name, final Initializer init, final long... shape) {
		return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optShape(new Shape(shape))
			.optInitializer(init).build());
	}

	/** A weight drawn from N(0, 0.02), the usual transformer initialisation. */
	protected final Parameter weight(final String name, final long... shape) {
		return parameter(name, new NormalInitializer(0.02f), shape);
	}

	protected final Parameter constant(final String name, final float value, final long... shape) {
		return parameter(name, new ConstantInitializer(value), shape);
	}

	/** Registers a child under its official module name (dots allowed, e.g. {@code blocks.3}). */
	protected final <B extends Block> B child(final String name, final B block) {
		return addChildBlock(name, block);
	}

	/** The value of {@code p} on the device of {@code like}. */
	protected static NDArray value(final ParameterStore store, final Parameter p, final NDArray like, final boolean training) {
		return store.getValue(p, like.getDevice(), training);
	}

	@Override
	protected void initializeChildBlocks(final NDManager manager, final DataType dataType, final Shape... inputShapes) {
		// every parameter shape is fixed at construction, so children need no input shapes
		for (final Block child : getChildren().values()) child.initialize(manager, dataType, inputShapes);
	}
}
