package io.github.sssfiji.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

/**
 * Whether an array carries an autograd graph. DJL's {@code hasGradient()} reports only leaves that
 * require gradients, so the test is a backward pass: it succeeds exactly when the array was computed,
 * with autograd on, from something that requires gradients (it then accumulates gradients there).
 */
public final class Autograd {

	private Autograd() {}

	/** True when a backward pass from the sum of {@code array} reaches a trainable leaf. */
	public static boolean recordedGraph(final NDArray array) {
		try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
			collector.backward(array.sum());
			return true;
		}
		catch (final EngineException e) {
			final String message = String.valueOf(e.getMessage());
			if (message.contains("does not require grad")) return false;
			// a graph shared with an array checked before, and freed by that backward pass
			if (message.contains("backward through the graph a second time")) return true;
			throw e;
		}
	}
}
