package io.github.sssfiji.sss.train;

/**
 * The losses of one iteration: total, labelled and unlabelled ({@code NaN} without an unlabelled
 * part) and the unlabelled loss's weight in the total, the learning rate used, the fraction of
 * unlabelled pixels that took part with full weight, and why the update was skipped ({@code null}
 * when it was not): the loss or a named parameter's gradient was not finite.
 */
public record StepResult(long iteration, double loss, double labelledLoss, double unlabelledLoss, double unlabelledWeight, double lr,
	double confidentFraction, String skipReason, double seconds)
{
	/** Whether the update was skipped (see {@link #skipReason()}). */
	public boolean skipped() {
		return skipReason != null;
	}
}
