package io.github.sssfiji.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.initializer.Initializer;
import io.github.sssfiji.InvalidInputException;

/**
 * The named tensors of a model: trainable parameters (with gradients) and buffers (such as batch
 * norm running statistics), kept in registration order in one long-lived {@link NDManager}.
 * <p>
 * Names are stable, dot-separated paths ({@code encoder.level0.conv1.weight}) so that checkpoint
 * files, EMA copies and weight imports can address every tensor. The state owns its manager;
 * closing it frees every tensor.
 * </p>
 * <p>
 * A module builds its submodules on a {@link #scope}: the same registry and manager, with the
 * submodule's name put in front of every name, so that each tensor is registered under its full
 * official name ({@code image_encoder.trunk.blocks.0.attn.qkv.weight}) without translation tables.
 * A {@link #declaration()} records names and shapes only and allocates nothing: building a network
 * on it tells a checkpoint's expected keys and shapes before any tensor exists, so a file that
 * declares huge tensors is refused before anything is allocated.
 * </p>
 */
public final class ModelState implements AutoCloseable {

	/** The tensors' manager; {@code null} for a declaration. */
	private final NDManager manager;
	private final Map<String, NDArray> parameters;
	private final Map<String, NDArray> buffers;
	/** Every name registered (tracked or not) with its shape, in registration order. */
	private final Map<String, Shape> shapes;
	/** Every tensor allocated (tracked or not), in registration order. */
	private final Map<String, NDArray> all;
	/** Which full names become part of the state; the others are allocated but not registered. */
	private final Predicate<String> tracked;
	/** Put in front of every name given to this view ("" for the state itself). */
	private final String prefix;
	private final boolean root;

	/** A state whose tensors live in a new sub-manager of {@code parent}. */
	public ModelState(final NDManager parent) {
		this(parent, name -> true);
	}

	/**
	 * A state whose tensors live in a new sub-manager of {@code parent}, holding only the tensors
	 * whose full name passes {@code tracked}. A layer that asks for another tensor still gets it
	 * (allocated and initialised in the same manager, with a gradient if it is a parameter, so that
	 * random initialisation draws the same numbers whatever is tracked), but it is not part of
	 * {@link #parameters()}, {@link #buffers()} or {@link #get}: it is neither trained nor saved.
	 * This is how a network whose forward reads only part of its modules keeps optimiser steps
	 * (decoupled weight decay) and files to the tensors that matter.
	 */
	public ModelState(final NDManager parent, final Predicate<String> tracked) {
		this(parent.newSubManager(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), tracked, "", true);
	}

	private ModelState(final NDManager manager, final Map<String, NDArray> parameters, final Map<String, NDArray> buffers,
		final Map<String, Shape> shapes, final Map<String, NDArray> all, final Predicate<String> tracked, final String prefix, final boolean root)
	{
		this.all = all;
		this.manager = manager;
		this.parameters = parameters;
		this.buffers = buffers;
		this.shapes = shapes;
		this.tracked = tracked;
		this.prefix = prefix;
		this.root = root;
	}

	/**
	 * A state that only records names and shapes ({@link #shapes()}): every {@code add} method
	 * returns {@code null} and nothing is allocated. Build a network on it to learn the keys and
	 * shapes of its checkpoints; such a network cannot run.
	 */
	public static ModelState declaration() {
		return new ModelState(null, new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), name -> true, "", true);
	}

	/**
	 * A view of this state for a submodule called {@code name}: same registry and manager, every
	 * name given to the view prefixed with {@code name + "."} (and this view's own prefix).
	 * {@link #parameters()}, {@link #buffers()}, {@link #shapes()} and {@link #manager()} are those of
	 * the whole state; closing a view does nothing.
	 */
	public ModelState scope(final String name) {
		if (name.isEmpty() || name.startsWith(".") || name.endsWith("."))
			throw new IllegalArgumentException("bad module name '" + name + "'");
		return new ModelState(manager, parameters, buffers, shapes, all, tracked, prefix + name + ".", false);
	}

	/**
	 * A view like {@link #scope} whose tensors are tracked whatever this state's predicate: a part
	 * added to a network, such as DFE, that is always trained and saved.
	 */
	public ModelState trackedScope(final String name) {
		if (name.isEmpty() || name.startsWith(".") || name.endsWith("."))
			throw new IllegalArgumentException("bad module name '" + name + "'");
		return new ModelState(manager, parameters, buffers, shapes, all, full -> true, prefix + name + ".", false);
	}

	/** Whether this state only declares shapes ({@link #declaration()}). */
	public boolean isDeclaration() {
		return manager == null;
	}

	/** Every tensor name declared so far (tracked or not) with its shape, in registration order (read-only view). */
	public Map<String, Shape> shapes() {
		return Collections.unmodifiableMap(shapes);
	}

	/**
	 * Every tensor allocated through this state, tracked or not, by full name in registration order
	 * (read-only view; empty for a declaration): what a network built on it holds.
	 */
	public Map<String, NDArray> allTensors() {
		return Collections.unmodifiableMap(all);
	}

	/** The manager that owns every tensor of this state; {@code null} for a {@link #declaration()}. */
	public NDManager manager() {
		return manager;
	}

	/**
	 * Registers a trainable parameter with the given initial values; a gradient is attached.
	 *
	 * @return the array, or {@code null} in a {@link #declaration()}
	 * @throws IllegalArgumentException if the name is taken or the values do not fill the shape
	 */
	public NDArray addParameter(final String name, final float[] values, final Shape shape) {
		if (values.length != shape.size())
			throw new IllegalArgumentException(prefix + name + ": " + values.length + " values for shape " + shape);
		return register(name, shape, true, m -> m.create(values, shape));
	}

	/**
	 * Registers a trainable parameter drawn by {@code init} (for instance DJL's
	 * {@code NormalInitializer}, which draws from the engine's generator); a gradient is attached.
	 *
	 * @return the array, or {@code null} in a {@link #declaration()}
	 */
	public NDArray addParameter(final String name, final Shape shape, final Initializer init) {
		return register(name, shape, true, m -> init.initialize(m, shape, DataType.FLOAT32));
	}

	/** Registers a buffer: state that is saved and loaded but not trained. */
	public NDArray addBuffer(final String name, final float[] values, final Shape shape) {
		if (values.length != shape.size())
			throw new IllegalArgumentException(prefix + name + ": " + values.length + " values for shape " + shape);
		return register(name, shape, false, m -> m.create(values, shape));
	}

	/** Registers a buffer with values drawn by {@code init}. */
	public NDArray addBuffer(final String name, final Shape shape, final Initializer init) {
		return register(name, shape, false, m -> init.initialize(m, shape, DataType.FLOAT32));
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
		final NDArray parameter = parameters.get(prefix + name);
		return parameter != null ? parameter : buffers.get(prefix + name);
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
		if (target == null) throw new InvalidInputException(source + ": no tensor called '" + prefix + name + "' in this model");
		if (!target.getShape().equals(shape))
			throw new InvalidInputException(source + ": tensor '" + prefix + name + "' has shape " + shape + ", the model expects " + target.getShape());
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

	/** Frees every tensor of the state; does nothing for a {@link #scope} view or a declaration. */
	@Override
	public void close() {
		if (root && manager != null) manager.close();
	}

	private interface Allocation {
		NDArray create(NDManager manager);
	}

	private NDArray register(final String name, final Shape shape, final boolean trainable, final Allocation allocation) {
		final String full = prefix + name;
		if (shapes.containsKey(full)) throw new IllegalArgumentException("tensor name registered twice: " + full);
		shapes.put(full, shape);
		if (manager == null) return null;
		final NDArray array = allocation.create(manager);
		array.setName(full);
		if (array.getDataType() != DataType.FLOAT32) throw new IllegalStateException("expected float32 for " + full);
		if (!array.getShape().equals(shape)) throw new IllegalStateException(full + ": created " + array.getShape() + ", declared " + shape);
		if (trainable) array.setRequiresGradient(true);
		all.put(full, array);
		if (tracked.test(full)) (trainable ? parameters : buffers).put(full, array);
		return array;
	}
}
