package io.github.sssfiji.command;

import org.scijava.Cancelable;

import ij.IJ;

/**
 * Whether a long command should stop at its next safe point (between training iterations, between
 * files): the command was cancelled as a SciJava module, its thread was interrupted (e.g.
 * {@code Future.cancel(true)}), or Esc was pressed in ImageJ since the command started.
 * <p>
 * An interrupt is taken off the thread when seen, so that the command can still write its
 * checkpoint or summary (NIO file channels refuse to work on an interrupted thread), and put back by
 * {@link #restoreInterrupt()} when the command ends.
 * </p>
 */
final class StopSignal {

	private final Cancelable command;
	private boolean interrupted;

	/** Starts watching; forgets an Esc pressed before. */
	StopSignal(final Cancelable command) {
		this.command = command;
		IJ.resetEscape();
	}

	/** Whether to stop now. */
	synchronized boolean requested() {
		if (Thread.interrupted()) interrupted = true;
		return interrupted || command.isCanceled() || IJ.escapePressed();
	}

	/** Why the command stops, for its summary. */
	synchronized String reason() {
		if (command.isCanceled()) return command.getCancelReason() == null || command.getCancelReason().isEmpty() ? "cancelled" :
			"cancelled (" + command.getCancelReason() + ")";
		return interrupted ? "interrupted" : "Esc pressed";
	}

	/** Interrupts the thread again if an interrupt was taken off it. */
	synchronized void restoreInterrupt() {
		if (interrupted) Thread.currentThread().interrupt();
	}
}
