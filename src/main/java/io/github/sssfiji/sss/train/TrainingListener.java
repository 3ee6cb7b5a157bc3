package io.github.sssfiji.sss.train;

import java.util.Map;

/** Receives a training run's events (tests, GUIs, the run folder's metrics); the default methods ignore them. */
public interface TrainingListener {

	/**
	 * Once, before the first iteration of this run: {@code completedIterations} is 0 for a new run,
	 * the checkpoint's iteration for a resumed one (events recorded after it by a killed run are
	 * repeated from there).
	 */
	default void started(final long completedIterations) {}

	/** After every iteration. An exception thrown here ends the run at once, as a crash would. */
	default void iteration(final StepResult result) {}

	/**
	 * After each validation: mean Dice per class (index 0 background, not scored; the last index the
	 * mean over the classes) over the validation volumes, of the network kept, and each validated
	 * network's mean ({@code teacher}, {@code student}) by name.
	 */
	default void validated(final long completedIterations, final double[] classDice, final Map<String, Double> networkMeans) {}

	/**
	 * Asked before every iteration (a cancel button, a closed Fiji, an interrupted thread): {@code true}
	 * ends the run as the budget would, between iterations, with the usual final checkpoint, so the
	 * model files and the training state stay valid and the run can be resumed.
	 */
	default boolean stopRequested() {
		return false;
	}

	/** All of {@code listeners}, in order; a stop is requested when one of them requests it. */
	static TrainingListener all(final TrainingListener... listeners) {
		return new TrainingListener() {

			@Override
			public void started(final long completedIterations) {
				for (final TrainingListener l : listeners)
					l.started(completedIterations);
			}

			@Override
			public void iteration(final StepResult result) {
				for (final TrainingListener l : listeners)
					l.iteration(result);
			}

			@Override
			public void validated(final long completedIterations, final double[] classDice, final Map<String, Double> networkMeans) {
				for (final TrainingListener l : listeners)
					l.validated(completedIterations, classDice, networkMeans);
			}

			@Override
			public boolean stopRequested() {
				for (final TrainingListener l : listeners)
					if (l.stopRequested()) return true;
				return false;
			}
		};
	}
}
