package io.github.sssfiji.model.unet;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A square 2-D convolution with bias, stride 1 and "same" zero padding ({@code torch.nn.Conv2d}
 * with {@code padding = kernel / 2}). Its tensors are {@code <name>.weight} (out, in, k, k) and
 * {@code <name>.bias} (out).
 */
public final class Conv2dLayer {

	private final NDArray weight;
	private final NDArray bias;
	private final int padding;

	private Conv2dLayer(final NDArray weight, final NDArray bias, final int padding) {
		this.weight = weight;
		this.bias = bias;
		this.padding = padding;
	}

	/**
	 * Registers a new layer in {@code state}, initialised as PyTorch does by default: weight and
	 * bias uniform in {@code +-1/sqrt(fan_in)} (Kaiming-uniform with {@code a = sqrt(5)}).
	 */
	public static Conv2dLayer create(final ModelState state, final String name, final int inChannels,
		final int outChannels, final int kernel, final Random random)
	{
		if (kernel % 2 != 1) throw new IllegalArgumentException(name + ": kernel must be odd, got " + kernel);
		final int fanIn = inChannels * kernel * kernel;
		final double bound = 1 / Math.sqrt(fanIn);
		final float[] w = uniform(outChannels * fanIn, bound, random);
		final float[] b = uniform(outChannels, bound, random);
		return new Conv2dLayer(
			state.addParameter(name + ".weight", w, new Shape(outChannels, inChannels, kernel, kernel)),
			state.addParameter(name + ".bias", b, new Shape(outChannels)),
			kernel / 2);
	}

	/** The convolution of {@code x} (batch, in, height, width). */
	public NDArray forward(final NDArray x) {
		return TorchOps.conv2d(x, weight, bias, padding);
	}

	static float[] uniform(final int count, final double bound, final Random random) {
		final float[] values = new float[count];
		for (int i = 0; i < count; i++)
			values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
		return values;
	}
}
