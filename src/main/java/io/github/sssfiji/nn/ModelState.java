package io.github.sssfiji.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sssfiji.InvalidInputException;

/**
 * The named tensors of a model: trainable parameters (with gradients) and buffers (such as batch
 * norm running statistics), kept in registration order in one long-lived {@link NDManager}.
 * <p>
 * Names are stable, dot-separated paths ({@code encoder.level0.conv1.weight}) so that checkpoint
 * files, EMA copies and weight imports can address every tensor. The state owns its manager;
 * closing it frees every tensor.
 * </p>
 */
public final class ModelState implements AutoCloseable {

	private final NDManager manager;
	private final Map<String, NDArray> parameters = new LinkedHashMap<>();
	private final Map<String, NDArray> buffers = new LinkedHashMap<>();

	/** A state whose tensors live in a new sub-manager of {@code parent}. */
	public ModelState(final NDManager parent) {
		this.manager = parent.newSubManager();
	}

	/** The manager that owns every tensor of this state. */
	public NDManager manager() {
		return manager;
	}

	/**
	 * Registers a trainable parameter with the given initial values; a gradient is attached.
	 *
	 * @throws IllegalArgumentException if the name is taken or the values do not fill the shape
	 */
	public NDArray addParameter(final String name, final float[] values, final Shape shape) {
		final NDArray array = create(name, values, shape);
		array.setRequiresGradient(true);
		parameters.put(name, array);
		return array;
	}

	/** Registers a buffer: state that is saved and loaded but not trained. */
	public NDArray addBuffer(final String name, final float[] values, final Shape shape) {
		final NDArray array = create(name, values, shape);
		buffers.put(name, array);
		return array;
	}

	/**
	 * Registers {@code array}, owned elsewhere (such as the parameter of a DJL block), without
	 * copying it: EMA updates, optimiser steps and checkpoint loads through this state then change
	 * that array in place. Closing the state does not free it; its owner does.
	 *
	 * @param trainable a parameter (its gradient must be attached by the owner) or a buffer
	 * @throws IllegalArgumentException if the name is taken or the array is not float32
	 */
	public void addView(final String name, final NDArray array, final boolean trainable) {
		if (parameters.containsKey(name) || buffers.containsKey(name))
			throw new IllegalArgumentException("tensor name registered twice: " + name);
		if (array.getDataType() != DataType.FLOAT32) throw new IllegalArgumentException("expected float32 for " + name);
		(trainable ? parameters : buffers).put(name, array);
	}

	/** Trainable parameters by name, in registration order (read-only view). */
	public Map<String, NDArray> parameters() {
		return Collections.unmodifiableMap(parameters);
	}

	/** Buffers by name, in registration order (read-only view). */
	public Map<String, NDArray> buffers() {
		return Collections.unmodifiableMap(buffers);
	}

	/** The parameter or buffer of that name, or {@code null}. */
	public NDArray get(final String name) {
		final NDArray parameter = parameters.get(name);
		return parameter != null ? parameter : buffers.get(name);
	}

	/** Number of trainable scalars. */
	public long parameterCount() {
		long count = 0;
		for (final NDArray array : parameters.values())
			count += array.size();
		return count;
	}

	/**
	 * Copies {@code values} into the tensor called {@code name}, in place, so that optimiser state
	 * and gradient attachment stay valid.
	 *
	 * @param source where the values come from, named in error messages
	 * @throws InvalidInputException if the name is unknown or the shape differs
	 */
	public void assign(final String name, final float[] values, final Shape shape, final String source) {
		final NDArray target = get(name);
		if (target == null) throw new InvalidInputException(source + ": no tensor called '" + name + "' in this model");
		if (!target.getShape().equals(shape))
			throw new InvalidInputException(source + ": tensor '" + name + "' has shape " + shape + ", the model expects " + target.getShape());
		target.set(values);
	}

	/**
	 * Zeroes the gradient of every parameter. Gradients accumulate across backward passes, so a
	 * training step calls this before its backward pass.
	 */
	public void zeroGradients() {
		for (final NDArray parameter : parameters.values())
			JniUtils.zeroGrad((PtNDArray) parameter);
	}

	@Override
	public void close() {
		manager.close();
	}

	private NDArray create(final String name, final float[] values, final Shape shape) {
		if (parameters.containsKey(name) || buffers.containsKey(name))
			throw new IllegalArgumentException("tensor name registered twice: " + name);
		if (values.length != shape.size())
			throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + shape);
		final NDArray array = manager.create(values, shape);
		array.setName(name);
		if (array.getDataType() != DataType.FLOAT32) throw new IllegalStateException("expected float32 for " + name);
		return array;
	}
}
