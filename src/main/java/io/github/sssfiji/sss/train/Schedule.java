package io.github.sssfiji.sss.train;

/**
 * The schedule of a training run. Its progress runs from 0 to 1, measured in iterations or, when a
 * wall-clock budget is set, in training time, whichever is further along; the poly learning rate and
 * the weight of the unlabelled loss follow the progress. A run limited by its budget therefore anneals
 * its learning rate within the budget instead of stopping at a high rate of a schedule meant for far
 * more iterations; the price is that such a run depends on the machine's speed and is not
 * bit-reproducible (runs limited by iterations are).
 * <p>
 * The unlabelled loss is off until {@code unlabelledStart} (a progress fraction) and then ramps up
 * over {@code unlabelledRampUp} with the sigmoid-shaped {@code exp(-5 (1 - x)^2)} of Laine and Aila
 * (Temporal Ensembling, 2017): the teacher's pseudo-labels are noise until the supervised part has
 * learnt something, and a weight of 1 from the first iteration held the student back on ACDC.
 * </p>
 */
public final class Schedule {

	private Schedule() {}

	/**
	 * Progress in [0, 1] after {@code iteration} completed iterations and {@code trainingSeconds} of
	 * training time.
	 *
	 * @param budgetMinutes wall-clock budget, 0 for none
	 */
	public static double progress(final long iteration, final long iterations, final double trainingSeconds, final double budgetMinutes) {
		double p = iteration / (double) iterations;
		if (budgetMinutes > 0) p = Math.max(p, trainingSeconds / (budgetMinutes * 60));
		return Math.min(1, Math.max(0, p));
	}

	/** Poly decay {@code lr (1 - progress)^power}. */
	public static double learningRate(final TrainingConfig config, final double progress) {
		return config.optimisation().lr() * Math.pow(Math.max(0, 1 - progress), config.optimisation().polyPower());
	}

	/** Weight of the unlabelled loss at {@code progress}: 0 in supervised mode and before the start, 1 after the ramp-up. */
	public static double unlabelledWeight(final TrainingConfig config, final double progress) {
		if (!config.semiSupervised() || progress < config.consistency().unlabelledStart()) return 0;
		if (config.consistency().unlabelledRampUp() <= 0) return 1;
		final double x = Math.min(1, (progress - config.consistency().unlabelledStart()) / config.consistency().unlabelledRampUp());
		return Math.exp(-5 * (1 - x) * (1 - x));
	}
}
