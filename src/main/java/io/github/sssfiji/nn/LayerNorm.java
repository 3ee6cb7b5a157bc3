package io.github.sssfiji.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.ConstantInitializer;

/**
 * {@code torch.nn.LayerNorm(dim, eps)} over the last axis, with {@code <name>.weight} and
 * {@code <name>.bias} (dim) registered in a {@link ModelState}. {@link #forwardChannelsFirst} is the
 * {@code LayerNorm2d} of SAM and ConvNeXt (normalising axis 1 of NCHW input) with the same tensors.
 */
public final class LayerNorm {

	private final NDArray weight;
	private final NDArray bias;
	private final Shape normalized;
	private final float eps;

	private LayerNorm(final NDArray weight, final NDArray bias, final long dim, final float eps) {
		this.weight = weight;
		this.bias = bias;
		this.normalized = new Shape(dim);
		this.eps = eps;
	}

	/** Registers a new layer norm in {@code state}: weight 1, bias 0, as PyTorch initialises it. */
	public static LayerNorm create(final ModelState state, final String name, final long dim, final float eps) {
		final NDArray w = state.addParameter(name + ".weight", new Shape(dim), new ConstantInitializer(1f));
		final NDArray b = state.addParameter(name + ".bias", new Shape(dim), new ConstantInitializer(0f));
		return new LayerNorm(w, b, dim, eps);
	}

	/** A layer norm over tensors registered elsewhere: {@code weight} and {@code bias} (dim). */
	public static LayerNorm of(final NDArray weight, final NDArray bias, final float eps) {
		return new LayerNorm(weight, bias, weight.getShape().get(0), eps);
	}

	/** {@code F.layer_norm(x, (dim,), weight, bias, eps)}. */
	public NDArray forward(final NDArray x) {
		return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, weight, bias, eps).head();
	}

	/** {@code LayerNorm2d}: normalises axis 1 of an NCHW array. */
	public NDArray forwardChannelsFirst(final NDArray x) {
		return forward(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2);
	}

	public NDArray weight() {
		return weight;
	}

	public NDArray bias() {
		return bias;
	}
}
