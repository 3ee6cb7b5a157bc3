package io.github.sssfiji.sss.train;

import java.util.Locale;

/** What a training run optimises. */
public enum TrainingMode {
	/** Labelled slices only: {@code L = L_l}. */
	SUPERVISED,
	/** Weak-to-strong consistency with an EMA teacher (UniMatch V2 style), without DFE and PCSW. */
	CONSISTENCY,
	/** The full method: consistency plus DFE and PCSW (each can be switched off for ablations). */
	SSS;

	/** The name used in configurations and on the command line. */
	public String word() {
		return name().toLowerCase(Locale.ROOT);
	}
}
