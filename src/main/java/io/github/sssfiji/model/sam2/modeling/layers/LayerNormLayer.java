package io.github.sssfiji.model.sam2.modeling.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.LayerNorm(dim, eps)} over the last axis, with the PyTorch parameter names
 * {@code weight} and {@code bias}. With {@link #applyChannelsFirst} it is SAM 2's
 * {@code LayerNorm2d} (normalising the channel axis of NCHW input).
 */
public final class LayerNormLayer extends Sam2Block {

	private final long dim;
	private final float eps;
	private final Parameter weight;
	private final Parameter bias;

	public LayerNormLayer(final long dim, final float eps) {
		this.dim = dim;
		this.eps = eps;
		this.weight = constant("weight", 1f, dim);
		this.bias = constant("bias", 0f, dim);
	}

	public NDArray apply(final ParameterStore store, final NDArray x, final boolean training) {
		return LayerNorm.layerNorm(x, new Shape(dim), value(store, weight, x, training), value(store, bias, x, training), eps).head();
	}

	/** LayerNorm2d: normalises axis 1 of an NCHW array. */
	public NDArray applyChannelsFirst(final ParameterStore store, final NDArray x, final boolean training) {
		return apply(store, x.transpose(0, 2, 3, 1), training).transpose(0, 3, 1, 2);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(apply(store, inputs.head(), training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		return new Shape[] { inputShapes[0] };
	}
}
