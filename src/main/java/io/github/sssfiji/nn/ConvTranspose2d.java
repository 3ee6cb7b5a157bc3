package io.github.sssfiji.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;

/**
 * {@code torch.nn.ConvTranspose2d(in, out, kernel_size=2, stride=2)} on NCHW input, with
 * {@code <name>.weight} in PyTorch's layout (in, out, 2, 2) and {@code <name>.bias} (out).
 * <p>
 * DJL's PyTorch engine has no transposed convolution. With kernel = stride = 2 the output blocks
 * do not overlap, so it is exactly a per-pixel linear map to out x 2 x 2 values followed by a pixel
 * shuffle (same values, differentiable). Other kernels and strides are not supported.
 * </p>
 */
public final class ConvTranspose2d {

	private final NDArray weight;
	private final NDArray bias;
	private final long in;
	private final long out;

	private ConvTranspose2d(final NDArray weight, final NDArray bias, final long in, final long out) {
		this.weight = weight;
		this.bias = bias;
		this.in = in;
		this.out = out;
	}

	/** Registers a new 2x2 stride-2 transposed convolution: weight drawn by {@code weightInit}, then bias 0. */
	public static ConvTranspose2d create(final ModelState state, final String name, final long in, final long out,
		final Initializer weightInit)
	{
		final NDArray w = state.addParameter(name + ".weight", new Shape(in, out, 2, 2), weightInit);
		final NDArray b = state.addParameter(name + ".bias", new Shape(out), new ConstantInitializer(0f));
		return new ConvTranspose2d(w, b, in, out);
	}

	/** Over tensors registered elsewhere: {@code weight} (in, out, 2, 2) and {@code bias} (out). */
	public static ConvTranspose2d of(final NDArray weight, final NDArray bias) {
		final Shape s = weight.getShape();
		if (s.dimension() != 4 || s.get(2) != 2 || s.get(3) != 2) throw new IllegalArgumentException("only 2x2 kernels are supported, got " + s);
		return new ConvTranspose2d(weight, bias, s.get(0), s.get(1));
	}

	/** The transposed convolution of {@code x} (batch, in, height, width): (batch, out, 2 height, 2 width). */
	public NDArray forward(final NDArray x) {
		final Shape s = x.getShape();
		final long b = s.get(0), h = s.get(2), w = s.get(3);
		final NDArray kernel = weight.reshape(in, out * 4L);
		kernel.attach(x.getManager()); // a view of the parameter: keep it out of the state's long-lived manager
		final NDArray b4 = bias.reshape(1, out, 1, 1);
		b4.attach(x.getManager());
		// (B, H, W, in) x (in, out*2*2) -> (B, H, W, out, 2, 2) -> (B, out, H, 2, W, 2)
		return x.transpose(0, 2, 3, 1).matMul(kernel).reshape(b, h, w, out, 2, 2).transpose(0, 3, 1, 4, 2, 5)
			.reshape(b, out, 2 * h, 2 * w).add(b4);
	}

	public NDArray weight() {
		return weight;
	}

	public NDArray bias() {
		return bias;
	}
}
