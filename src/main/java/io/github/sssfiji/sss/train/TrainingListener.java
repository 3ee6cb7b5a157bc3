package io.github.sssfiji.sss.train;

/** Receives a training run's events (tests, GUIs); the default methods ignore them. */
public interface TrainingListener {

	/** After every iteration. An exception thrown here ends the run at once, as a crash would. */
	default void iteration(final StepResult result) {}

	/** After each validation: mean Dice per class (index 0 background, not scored) over the validation volumes. */
	default void validated(final long completedIterations, final double[] classDice, final double meanDice) {}

	/**
	 * Asked before every iteration (a cancel button, a closed Fiji, an interrupted thread): {@code true}
	 * ends the run as the budget would, between iterations, with the usual final checkpoint, so the
	 * model files and the training state stay valid and the run can be resumed.
	 */
	default boolean stopRequested() {
		return false;
	}
}
