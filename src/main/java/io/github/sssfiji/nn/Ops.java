package io.github.sssfiji.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The libtorch operators the networks need, called through DJL's JNI layer with PyTorch's own
 * argument conventions.
 * <p>
 * DJL's generic API maps some arguments to MXNet conventions (batch norm momentum is
 * {@code 1 - torch momentum}) or drops them ({@code align_corners} of bilinear resizing), so the
 * network calls libtorch directly here, or composes the operator, to be the same function as its
 * PyTorch reference, and multiplies or divides by Java numbers in a way that is safe in a gradient
 * graph ({@link #mul}, {@link #div}). Every
 * result belongs to the manager of the first (input) operand, which keeps per-step sub-managers
 * effective.
 * </p>
 */
public final class Ops {

	/** {@code torch.nn.LeakyReLU}'s default negative slope. */
	public static final double LEAKY_RELU_SLOPE = 0.01;

	private static final Shape ONE = new Shape(1, 1);
	private static final Shape ZERO = new Shape(0, 0);
	private static final Shape TWO = new Shape(2, 2);

	private Ops() {}

	/** {@code F.conv2d(x, weight, bias, stride=1, padding=padding)}. */
	public static NDArray conv2d(final NDArray x, final NDArray weight, final NDArray bias, final int padding) {
		return conv2d(x, weight, bias, 1, padding, 1);
	}

	/** {@code F.conv2d(x, weight, bias, stride, padding, groups=groups)}; {@code bias} may be {@code null}. */
	public static NDArray conv2d(final NDArray x, final NDArray weight, final NDArray bias, final int stride, final int padding, final int groups) {
		return JniUtils.convolution(pt(x), pt(weight), bias == null ? null : pt(bias), new Shape(stride, stride), new Shape(padding, padding), ONE, groups);
	}

	/**
	 * {@code F.batch_norm}: in training it normalises with the batch statistics and updates the
	 * running statistics in place, {@code running = (1 - momentum) running + momentum batch} (the
	 * variance unbiased), exactly as {@code torch.nn.BatchNorm2d}.
	 */
	public static NDArray batchNorm(final NDArray x, final NDArray runningMean, final NDArray runningVar,
		final NDArray weight, final NDArray bias, final boolean training, final double momentum, final double eps)
	{
		return JniUtils.batchNorm(pt(x), pt(runningMean), pt(runningVar), pt(weight), pt(bias), training, momentum, eps);
	}

	/** {@code F.leaky_relu(x, 0.01)}. */
	public static NDArray leakyRelu(final NDArray x) {
		return JniUtils.leakyRelu(pt(x), LEAKY_RELU_SLOPE);
	}

	/** {@code F.dropout(x, p, training)}: element-wise, survivors scaled by {@code 1 / (1 - p)}. */
	public static NDArray dropout(final NDArray x, final double p, final boolean training) {
		if (!training || p == 0) return x;
		return JniUtils.dropout(pt(x), p, true);
	}

	/** {@code F.max_pool2d(x, 2)}. */
	public static NDArray maxPool2(final NDArray x) {
		return JniUtils.maxPool(pt(x), TWO, TWO, ZERO, false);
	}

	/** {@code torch.cat([first, second], dim=1)}. */
	public static NDArray concatChannels(final NDArray first, final NDArray second) {
		return JniUtils.cat(new PtNDArray[] { pt(first), pt(second) }, 1);
	}

	/*
	 * Multiplication and division by a Java number that are safe inside a gradient graph. DJL's
	 * NDArray.mul(Number) and div(Number) (PyTorch engine, 0.36) wrap the number in a tensor made from a
	 * Java direct buffer that the tensor does not own, run the op, and close that tensor at once.
	 * Autograd keeps the number for the backward pass (the gradient of x * s with respect to x is g * s),
	 * so once the garbage collector frees the buffer, backward reads freed memory: gradients that differ
	 * between identical runs and, now and then, are NaN. Here the number lives in a tensor whose memory
	 * libtorch owns (full), which autograd keeps alive for as long as it needs it. The same holds for
	 * maximum(Number); use Activation.relu for a ReLU. add(Number) and sub(Number) are safe: their
	 * backward does not read the number.
	 */

	/** {@code x * factor}, safe in a gradient graph; the result in the manager of {@code x}. */
	public static NDArray mul(final NDArray x, final float factor) {
		try (NDArray s = scalar(x, factor)) {
			return x.mul(s);
		}
	}

	/** {@code x / divisor}, safe in a gradient graph; the result in the manager of {@code x}. */
	public static NDArray div(final NDArray x, final float divisor) {
		try (NDArray s = scalar(x, divisor)) {
			return x.div(s);
		}
	}

	private static NDArray scalar(final NDArray like, final float value) {
		return like.getManager().full(new Shape(), value, like.getDataType());
	}

	private static PtNDArray pt(final NDArray array) {
		if (array instanceof PtNDArray) return (PtNDArray) array;
		throw new IllegalArgumentException("the U-Net runs on DJL's PyTorch engine; got an array of " + array.getClass().getName());
	}
}
