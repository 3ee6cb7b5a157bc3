package io.github.sssfiji.nn;

import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code torch.nn.BatchNorm2d} with PyTorch's defaults (eps 1e-5, momentum 0.1, affine, running
 * statistics). Tensors: parameters {@code <name>.weight} and {@code <name>.bias}, buffers
 * {@code <name>.running_mean} and {@code <name>.running_var}.
 */
public final class BatchNorm2d {

	/** PyTorch's default: the weight of the current batch in the running statistics. */
	public static final double MOMENTUM = 0.1;
	public static final double EPS = 1e-5;

	private final NDArray weight;
	private final NDArray bias;
	private final NDArray runningMean;
	private final NDArray runningVar;

	private BatchNorm2d(final NDArray weight, final NDArray bias, final NDArray runningMean, final NDArray runningVar) {
		this.weight = weight;
		this.bias = bias;
		this.runningMean = runningMean;
		this.runningVar = runningVar;
	}

	/** Registers a new layer: weight 1, bias 0, running mean 0, running variance 1. */
	public static BatchNorm2d create(final ModelState state, final String name, final int channels) {
		final Shape shape = new Shape(channels);
		final float[] ones = new float[channels];
		Arrays.fill(ones, 1f);
		final float[] zeros = new float[channels];
		return new BatchNorm2d(
			state.addParameter(name + ".weight", ones, shape),
			state.addParameter(name + ".bias", zeros, shape),
			state.addBuffer(name + ".running_mean", zeros, shape),
			state.addBuffer(name + ".running_var", ones, shape));
	}

	/**
	 * Normalises {@code x}; in training with the batch statistics (and updates the running ones),
	 * otherwise with the running statistics.
	 */
	public NDArray forward(final NDArray x, final boolean training) {
		return Ops.batchNorm(x, runningMean, runningVar, weight, bias, training, MOMENTUM, EPS);
	}
}
