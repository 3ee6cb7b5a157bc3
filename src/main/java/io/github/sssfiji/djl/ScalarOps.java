package io.github.sssfiji.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication and division by a Java number that are safe inside a gradient graph.
 * <p>
 * DJL's {@code NDArray.mul(Number)} and {@code div(Number)} (PyTorch engine, 0.36) wrap the number
 * in a tensor made from a Java direct buffer that the tensor does not own, run the op, and close
 * that tensor at once. Autograd keeps the number for the backward pass (the gradient of
 * {@code x * s} with respect to x is {@code g * s}), so once the garbage collector frees the buffer,
 * backward reads freed memory: gradients that differ between identical runs and, now and then, are
 * NaN. Here the number lives in a tensor whose memory libtorch owns ({@code full}), which autograd
 * keeps alive for as long as it needs it. The same holds for {@code maximum(Number)}; use
 * {@code Activation.relu} for a ReLU. {@code add(Number)} and {@code sub(Number)} are safe: their
 * backward does not read the number.
 * </p>
 */
public final class ScalarOps {

	private ScalarOps() {}

	/** {@code x * factor}, the result in the manager of {@code x}. */
	public static NDArray mul(final NDArray x, final float factor) {
		try (NDArray s = scalar(x, factor)) {
			return x.mul(s);
		}
	}

	/** {@code x / divisor}, the result in the manager of {@code x}. */
	public static NDArray div(final NDArray x, final float divisor) {
		try (NDArray s = scalar(x, divisor)) {
			return x.div(s);
		}
	}

	private static NDArray scalar(final NDArray like, final float value) {
		return like.getManager().full(new Shape(), value, like.getDataType());
	}
}
