package io.github.sssfiji.model.sam2.modeling.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * SAM 2's {@code MLP(input_dim, hidden_dim, output_dim, num_layers, activation, sigmoid_output)}:
 * linear layers {@code layers.0 .. layers.n-1} with the activation between them (not after the
 * last), then an optional sigmoid.
 */
public final class Mlp extends Sam2Block {

	private final List<LinearLayer> layers = new ArrayList<>();
	private final UnaryOperator<NDArray> activation;
	private final boolean sigmoidOutput;

	public Mlp(final int in, final int hidden, final int out, final int numLayers, final UnaryOperator<NDArray> activation,
		final boolean sigmoidOutput)
	{
		this.activation = activation;
		this.sigmoidOutput = sigmoidOutput;
		for (int i = 0; i < numLayers; i++) {
			final int a = i == 0 ? in : hidden;
			final int b = i == numLayers - 1 ? out : hidden;
			layers.add(child("layers." + i, new LinearLayer(a, b)));
		}
	}

	/** The exact (erf) GELU of {@code nn.GELU()}. */
	public static UnaryOperator<NDArray> gelu() {
		return Activation::gelu;
	}

	public static UnaryOperator<NDArray> relu() {
		return Activation::relu;
	}

	public NDArray apply(final ParameterStore store, final NDArray input, final boolean training) {
		NDArray x = input;
		for (int i = 0; i < layers.size(); i++) {
			x = layers.get(i).apply(store, x, training);
			if (i < layers.size() - 1) x = activation.apply(x);
		}
		return sigmoidOutput ? x.getNDArrayInternal().sigmoid() : x;
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(apply(store, inputs.head(), training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		Shape[] s = inputShapes;
		for (final LinearLayer l : layers) s = l.getOutputShapes(s);
		return s;
	}
}
