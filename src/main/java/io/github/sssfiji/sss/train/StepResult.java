package io.github.sssfiji.sss.train;

/**
 * The losses of one iteration: total, labelled and unlabelled ({@code NaN} without an unlabelled
 * part) and the unlabelled loss's weight in the total, the learning rate used, the fraction of
 * unlabelled pixels that took part with full weight, and whether the update was skipped because a
 * loss was not finite.
 */
public record StepResult(long iteration, double loss, double labelledLoss, double unlabelledLoss, double unlabelledWeight, double lr,
	double confidentFraction, boolean skipped, double seconds)
{}
