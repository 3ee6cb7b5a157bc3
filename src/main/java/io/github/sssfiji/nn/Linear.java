package io.github.sssfiji.nn;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;

/**
 * {@code torch.nn.Linear} on the last axis: {@code <name>.weight} (out, in) and, optionally,
 * {@code <name>.bias} (out), registered in a {@link ModelState} under the official names.
 */
public final class Linear {

	private final NDArray weight;
	private final NDArray bias;

	private Linear(final NDArray weight, final NDArray bias) {
		this.weight = weight;
		this.bias = bias;
	}

	/**
	 * Registers a new linear layer in {@code state}: weight drawn by {@code weightInit}, bias (if
	 * any) zero, in that order (the order of the draws matters for reproducible initialisation).
	 */
	public static Linear create(final ModelState state, final String name, final long in, final long out, final boolean bias,
		final Initializer weightInit)
	{
		final NDArray w = state.addParameter(name + ".weight", new Shape(out, in), weightInit);
		final NDArray b = bias ? state.addParameter(name + ".bias", new Shape(out), new ConstantInitializer(0f)) : null;
		return new Linear(w, b);
	}

	/**
	 * Registers a new linear layer with bias in {@code state}, initialised as PyTorch does by default:
	 * weight and bias uniform in {@code +-1/sqrt(in)} (Kaiming-uniform with {@code a = sqrt(5)}), drawn
	 * from {@code random}, weight first (as {@link Conv2d#create(ModelState, String, int, int, int, Random)}).
	 */
	public static Linear create(final ModelState state, final String name, final int in, final int out, final Random random) {
		final double bound = 1 / Math.sqrt(in);
		final float[] w = Conv2d.uniform(out * in, bound, random);
		final float[] b = Conv2d.uniform(out, bound, random);
		return new Linear(state.addParameter(name + ".weight", w, new Shape(out, in)), state.addParameter(name + ".bias", b, new Shape(out)));
	}

	/** A linear layer over tensors registered elsewhere: {@code weight} (out, in), {@code bias} (out) or {@code null}. */
	public static Linear of(final NDArray weight, final NDArray bias) {
		return new Linear(weight, bias);
	}

	/** {@code F.linear(x, weight, bias)}. */
	public NDArray forward(final NDArray x) {
		return bias == null ? ai.djl.nn.core.Linear.linear(x, weight).head() : ai.djl.nn.core.Linear.linear(x, weight, bias).head();
	}

	public NDArray weight() {
		return weight;
	}

	/** The bias, or {@code null}. */
	public NDArray bias() {
		return bias;
	}
}
