package io.github.sssfiji.model.sam2.modeling.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code nn.Linear}: weight [out, in], optional bias [out], applied to the last axis. */
public final class LinearLayer extends Sam2Block {

	private final long in;
	private final long out;
	private final Parameter weight;
	private final Parameter bias;

	public LinearLayer(final long in, final long out) {
		this(in, out, true);
	}

	public LinearLayer(final long in, final long out, final boolean withBias) {
		this.in = in;
		this.out = out;
		this.weight = weight("weight", out, in);
		this.bias = withBias ? constant("bias", 0f, out) : null;
	}

	/** Applies the layer to one array. */
	public NDArray apply(final ParameterStore store, final NDArray x, final boolean training) {
		final NDArray w = value(store, weight, x, training);
		return bias == null ? Linear.linear(x, w).head() : Linear.linear(x, w, value(store, bias, x, training)).head();
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(apply(store, inputs.head(), training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape s = inputShapes[0];
		if (s.tail() != in) throw new IllegalArgumentException("Linear expects " + in + " input features, got shape " + s);
		return new Shape[] { s.slice(0, s.dimension() - 1).add(out) };
	}
}
