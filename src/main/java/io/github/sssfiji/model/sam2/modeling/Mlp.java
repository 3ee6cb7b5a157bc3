package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.github.sssfiji.nn.Linear;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM 2's {@code MLP(input_dim, hidden_dim, output_dim, num_layers, activation, sigmoid_output)}
 * ({@code sam2_utils.py}): linear layers {@code layers.0 .. layers.n-1} with the activation between
 * them (not after the last), then an optional sigmoid.
 */
public final class Mlp {

	private final List<Linear> layers = new ArrayList<>();
	private final UnaryOperator<NDArray> activation;
	private final boolean sigmoidOutput;

	Mlp(final ModelState state, final int in, final int hidden, final int out, final int numLayers, final UnaryOperator<NDArray> activation,
		final boolean sigmoidOutput)
	{
		this.activation = activation;
		this.sigmoidOutput = sigmoidOutput;
		for (int i = 0; i < numLayers; i++) {
			final int a = i == 0 ? in : hidden;
			final int b = i == numLayers - 1 ? out : hidden;
			layers.add(Linear.create(state, "layers." + i, a, b, true, Sam2Init.WEIGHT));
		}
	}

	/** The exact (erf) GELU of {@code n.GELU()}. */
	static UnaryOperator<NDArray> gelu() {
		return Activation::gelu;
	}

	static UnaryOperator<NDArray> relu() {
		return Activation::relu;
	}

	public NDArray forward(final NDArray input) {
		NDArray x = input;
		for (int i = 0; i < layers.size(); i++) {
			x = layers.get(i).forward(x);
			if (i < layers.size() - 1) x = activation.apply(x);
		}
		return sigmoidOutput ? x.getNDArrayInternal().sigmoid() : x;
	}
}
