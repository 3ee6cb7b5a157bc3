package io.github.sssfiji.model.sam2.modeling.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** {@code nn.Conv2d} on NCHW input: square kernel, equal stride and padding on both axes, groups. */
public final class Conv2dLayer extends Sam2Block {

	private final int in;
	private final int out;
	private final int kernel;
	private final int stride;
	private final int padding;
	private final int groups;
	private final Parameter weight;
	private final Parameter bias;

	public Conv2dLayer(final int in, final int out, final int kernel, final int stride, final int padding) {
		this(in, out, kernel, stride, padding, 1);
	}

	public Conv2dLayer(final int in, final int out, final int kernel, final int stride, final int padding, final int groups) {
		if (in % groups != 0 || out % groups != 0) throw new IllegalArgumentException("channels not divisible by groups " + groups);
		this.in = in;
		this.out = out;
		this.kernel = kernel;
		this.stride = stride;
		this.padding = padding;
		this.groups = groups;
		this.weight = weight("weight", out, in / groups, kernel, kernel);
		this.bias = constant("bias", 0f, out);
	}

	public NDArray apply(final ParameterStore store, final NDArray x, final boolean training) {
		return Conv2d.conv2d(x, value(store, weight, x, training), value(store, bias, x, training), new Shape(stride, stride),
			new Shape(padding, padding), new Shape(1, 1), groups).head();
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
		if (s.dimension() != 4 || s.get(1) != in) throw new IllegalArgumentException("Conv2d expects N x " + in + " x H x W, got " + s);
		return new Shape[] { new Shape(s.get(0), out, outSize(s.get(2)), outSize(s.get(3))) };
	}

	private long outSize(final long size) {
		return (size + 2L * padding - kernel) / stride + 1;
	}
}
