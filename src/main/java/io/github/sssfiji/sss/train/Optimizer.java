package io.github.sssfiji.sss.train;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;

/**
 * The optimisers of the SSS trainer, written out so that their state can be checkpointed exactly:
 * SGD with momentum and (coupled) weight decay as {@code torch.optim.SGD}, and AdamW as
 * {@code torch.optim.AdamW} (betas 0.9, 0.999, eps 1e-8). Updates are in place.
 */
public final class Optimizer implements AutoCloseable {

	/** AdamW's constants (PyTorch defaults). */
	public static final double BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-8;

	/** The update rule. */
	public enum Kind {
		/** SGD with momentum, UniMatch's optimiser. */
		SGD,
		/** AdamW (decoupled weight decay), the default for every backbone. */
		ADAMW
	}

	private final boolean adamW;
	private final double momentum, weightDecay;
	private final Map<String, NDArray> parameters;
	private final NDManager manager;
	/** SGD: momentum buffer per parameter; AdamW: first and second moments. */
	private final Map<String, NDArray> state = new LinkedHashMap<>();
	/** Learning-rate factor per parameter (absent: 1). */
	private final Map<String, Double> factors = new LinkedHashMap<>();
	private long steps;

	/**
	 * @param kind the update rule
	 * @param parameters the tensors to train, by unique name
	 */
	public Optimizer(final Kind kind, final double momentum, final double weightDecay, final Map<String, NDArray> parameters,
		final NDManager parent)
	{
		this.adamW = kind == Kind.ADAMW;
		this.momentum = momentum;
		this.weightDecay = weightDecay;
		this.parameters = new LinkedHashMap<>(parameters);
		this.manager = parent.newSubManager();
		for (final Map.Entry<String, NDArray> e : parameters.entrySet()) {
			if (adamW) {
				state.put("m/" + e.getKey(), manager.zeros(e.getValue().getShape()));
				state.put("v/" + e.getKey(), manager.zeros(e.getValue().getShape()));
			}
			else state.put("momentum/" + e.getKey(), manager.zeros(e.getValue().getShape()));
		}
	}

	/**
	 * Multiplies the learning rate of parameter {@code name} by {@code factor} in every later step
	 * (a pretrained encoder learns more slowly than a new decoder).
	 *
	 * @throws IllegalArgumentException if the optimiser has no such parameter
	 */
	public void scaleLearningRate(final String name, final double factor) {
		if (!parameters.containsKey(name)) throw new IllegalArgumentException("optimizer: no parameter '" + name + "'");
		factors.put(name, factor);
	}

	/**
	 * One update with learning rate {@code lr} (times each parameter's factor) from the parameters' current gradients.
	 * The in-place updates run with autograd off on the calling thread ({@link Engines#noGrad()}): libtorch's grad
	 * mode is per thread and on by default, and in-place changes of a leaf that requires a gradient fail with it on.
	 */
	public void step(final double baseLr) {
		steps++;
		try (Engines.NoGrad noGrad = Engines.noGrad(); NDScope scope = new NDScope()) {
			for (final Map.Entry<String, NDArray> e : parameters.entrySet()) {
				final NDArray w = e.getValue();
				final NDArray g = w.getGradient();
				final double lr = baseLr * factors.getOrDefault(e.getKey(), 1.0);
				if (adamW) {
					w.muli(1 - lr * weightDecay);
					final NDArray m = state.get("m/" + e.getKey()), v = state.get("v/" + e.getKey());
					m.muli(BETA1).addi(g.mul(1 - BETA1));
					v.muli(BETA2).addi(g.square().mul(1 - BETA2));
					final double c1 = 1 - Math.pow(BETA1, steps), c2 = 1 - Math.pow(BETA2, steps);
					w.subi(m.div(v.div(c2).sqrt().add(EPSILON)).mul(lr / c1));
				}
				else {
					final NDArray buffer = state.get("momentum/" + e.getKey());
					buffer.muli(momentum).addi(weightDecay == 0 ? g : g.add(w.mul(weightDecay)));
					w.subi(buffer.mul(lr));
				}
			}
		}
	}

	/** Updates done so far (AdamW's bias correction depends on it). */
	public long steps() {
		return steps;
	}

	/** The optimiser's tensors by name, for checkpoints (live arrays: assign to restore). */
	public Map<String, NDArray> state() {
		return state;
	}

	/** Restores the step count saved with {@link #state()}. */
	public void setSteps(final long savedSteps) {
		steps = savedSteps;
	}

	@Override
	public void close() {
		manager.close();
	}
}
