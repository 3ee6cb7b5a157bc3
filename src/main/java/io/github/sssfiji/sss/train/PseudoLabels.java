package io.github.sssfiji.sss.train;

/**
 * Where the unlabelled loss's pseudo-labels come from (SSS design, sections 2, 4 and 5).
 */
public enum PseudoLabels {
	/** The EMA teacher on each weak view, without prompts (UniMatch V2); the strong views are decoded without prompts. */
	TEACHER,
	/**
	 * The EMA teacher on each weak view, prompted with the PCSW prompts of its slice (from the latest
	 * refresh, carried through the weak view's geometry); the strong views are decoded with the same
	 * prompts carried through their CutMix.
	 */
	PROMPTED,
	/**
	 * At each PCSW refresh the teacher decodes every unlabelled volume again with PCSW's prompts, in
	 * slice order (SAM-2 with memory: prompted slices are conditioning frames, the others are
	 * propagated from memory); these targets, kept until the next refresh, are warped with each
	 * view. The strong views are decoded with the carried prompts, as in {@link #PROMPTED}.
	 */
	PROPAGATED
}
