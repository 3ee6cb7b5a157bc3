package io.github.sssfiji.nn;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;

/**
 * {@code torch.nn.Conv2d} on NCHW input: a square kernel, equal stride and zero padding on both
 * axes, groups, with or without bias. Its tensors are {@code <name>.weight} (out, in / groups, k, k)
 * and {@code <name>.bias} (out), registered in a {@link ModelState} under the official names.
 */
public final class Conv2d {

	private final NDArray weight;
	private final NDArray bias;
	private final int stride;
	private final int padding;
	private final int groups;

	private Conv2d(final NDArray weight, final NDArray bias, final int stride, final int padding, final int groups) {
		this.weight = weight;
		this.bias = bias;
		this.stride = stride;
		this.padding = padding;
		this.groups = groups;
	}

	/**
	 * Registers a new convolution with stride 1 and "same" padding ({@code kernel / 2}) in
	 * {@code state}, initialised as PyTorch does by default: weight and bias uniform in
	 * {@code +-1/sqrt(fan_in)} (Kaiming-uniform with {@code a = sqrt(5)}), drawn from {@code random}.
	 */
	public static Conv2d create(final ModelState state, final String name, final int inChannels,
		final int outChannels, final int kernel, final Random random)
	{
		if (kernel % 2 != 1) throw new IllegalArgumentException(name + ": kernel must be odd, got " + kernel);
		final int fanIn = inChannels * kernel * kernel;
		final double bound = 1 / Math.sqrt(fanIn);
		final float[] w = uniform(outChannels * fanIn, bound, random);
		final float[] b = uniform(outChannels, bound, random);
		return new Conv2d(
			state.addParameter(name + ".weight", w, new Shape(outChannels, inChannels, kernel, kernel)),
			state.addParameter(name + ".bias", b, new Shape(outChannels)),
			1, kernel / 2, 1);
	}

	/**
	 * Registers a new convolution in {@code state} with any square kernel, stride, padding and
	 * groups: weight (out, in / groups, k, k) drawn by {@code weightInit}, then bias (out) zero.
	 */
	public static Conv2d create(final ModelState state, final String name, final int inChannels, final int outChannels,
		final int kernel, final int stride, final int padding, final int groups, final Initializer weightInit)
	{
		if (inChannels % groups != 0 || outChannels % groups != 0)
			throw new IllegalArgumentException(name + ": channels " + inChannels + " -> " + outChannels + " not divisible by groups " + groups);
		if (stride < 1 || padding < 0 || groups < 1) throw new IllegalArgumentException("stride " + stride + ", padding " + padding + ", groups " + groups);
		final NDArray w = state.addParameter(name + ".weight", new Shape(outChannels, inChannels / groups, kernel, kernel), weightInit);
		final NDArray b = state.addParameter(name + ".bias", new Shape(outChannels), new ConstantInitializer(0f));
		return new Conv2d(w, b, stride, padding, groups);
	}

	/**
	 * A convolution over tensors registered elsewhere: {@code weight} (out, in / groups, k, k) and
	 * {@code bias} (out, or {@code null} for none).
	 */
	public static Conv2d of(final NDArray weight, final NDArray bias, final int stride, final int padding, final int groups) {
		if (stride < 1 || padding < 0 || groups < 1) throw new IllegalArgumentException("stride " + stride + ", padding " + padding + ", groups " + groups);
		return new Conv2d(weight, bias, stride, padding, groups);
	}

	/** The convolution of {@code x} (batch, in, height, width). */
	public NDArray forward(final NDArray x) {
		return Ops.conv2d(x, weight, bias, stride, padding, groups);
	}

	public NDArray weight() {
		return weight;
	}

	/** The bias, or {@code null}. */
	public NDArray bias() {
		return bias;
	}

	static float[] uniform(final int count, final double bound, final Random random) {
		final float[] values = new float[count];
		for (int i = 0; i < count; i++)
			values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
		return values;
	}
}
