package io.github.sssfiji.sss.pcsw;

/** Named PCSW parameter sets a training run can ask for. */
public enum PcswPreset {

	/** {@link PcswParameters#defaults()}: every class may appear more than once per volume. */
	DEFAULT,
	/** {@link PcswParameters#cardiac()}: every class appears once per volume (ACDC). */
	CARDIAC;

	/** The parameters of this preset. */
	public PcswParameters parameters() {
		return this == CARDIAC ? PcswParameters.cardiac() : PcswParameters.defaults();
	}
}
