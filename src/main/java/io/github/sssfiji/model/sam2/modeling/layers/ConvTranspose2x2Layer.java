package io.github.sssfiji.model.sam2.modeling.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code nn.ConvTranspose2d(in, out, kernel_size=2, stride=2)} on NCHW input. DJL's PyTorch engine
 * has no transposed convolution; with kernel = stride = 2 the output blocks do not overlap, so it is
 * exactly a per-pixel linear map to out x 2 x 2 values followed by a pixel shuffle. The weight keeps
 * PyTorch's layout [in, out, 2, 2].
 */
public final class ConvTranspose2x2Layer extends Sam2Block {

	private final int in;
	private final int out;
	private final Parameter weight;
	private final Parameter bias;

	public ConvTranspose2x2Layer(final int in, final int out) {
		this.in = in;
		this.out = out;
		this.weight = weight("weight", in, out, 2, 2);
		this.bias = constant("bias", 0f, out);
	}

	public NDArray apply(final ParameterStore store, final NDArray x, final boolean training) {
		final Shape s = x.getShape();
		final long b = s.get(0), h = s.get(2), w = s.get(3);
		final NDArray kernel = value(store, weight, x, training).reshape(in, out * 4L);
		kernel.attach(x.getManager()); // a view of the parameter; keep it out of the model's manager
		final NDArray b4 = value(store, bias, x, training).reshape(1, out, 1, 1);
		b4.attach(x.getManager());
		// (B, H, W, in) x (in, out*2*2) -> (B, H, W, out, 2, 2) -> (B, out, H, 2, W, 2)
		return x.transpose(0, 2, 3, 1).matMul(kernel).reshape(b, h, w, out, 2, 2).transpose(0, 3, 1, 4, 2, 5)
			.reshape(b, out, 2 * h, 2 * w).add(b4);
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
		return new Shape[] { new Shape(s.get(0), out, 2 * s.get(2), 2 * s.get(3)) };
	}
}
