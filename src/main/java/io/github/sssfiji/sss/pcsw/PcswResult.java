package io.github.sssfiji.sss.pcsw;

import java.util.List;

/**
 * What PCSW makes of a volume's pseudo-masks.
 * <ul>
 * <li>{@link #labels()}: the input label map (argmax) with every rejected component set to 0. Pixels below the
 * confidence threshold keep their argmax label: they are no candidates, and the confidence threshold of the
 * unsupervised loss already ignores them.</li>
 * <li>{@link #rejected()}: the pixels of rejected components, that is every pixel of a foreground class at or
 * above the confidence threshold that is not in a kept chain (too small, unsupported, or in a chain not
 * selected). Training ignores them rather than learning them as background.</li>
 * <li>{@link #prompts()} and {@link #chains()}: the kept chains and their prompts, in chain order.</li>
 * </ul>
 * Under the {@link PcswRule#CONTINUITY} rule nothing is rejected: {@link #labels()} is (a copy of) the input
 * label map, {@link #rejected()} is all false, and each class with foreground has one chain (the winning 3-D
 * component, or the fallback slice's foreground) and one prompt ({@link ContinuityRule}).
 * Arrays are flat, x fastest, of extent {@link #dims()} = {X, Y, Z}; they are not copied.
 */
public final class PcswResult {

	private final int[] dims;
	private final int[] labels;
	private final boolean[] rejected;
	private final List<Chain> chains;
	private final List<Prompt> prompts;

	PcswResult(final int[] dims, final int[] labels, final boolean[] rejected, final List<Chain> chains, final List<Prompt> prompts) {
		this.dims = dims;
		this.labels = labels;
		this.rejected = rejected;
		this.chains = List.copyOf(chains);
		this.prompts = List.copyOf(prompts);
	}

	/** {X, Y, Z}. */
	public int[] dims() {
		return dims.clone();
	}

	/** Filtered label map, flat, x fastest. */
	public int[] labels() {
		return labels;
	}

	/** Rejected-component mask, flat, x fastest. */
	public boolean[] rejected() {
		return rejected;
	}

	/** Kept chains, by class, then by first slice. */
	public List<Chain> chains() {
		return chains;
	}

	/** Prompts, by chain, then by slice. */
	public List<Prompt> prompts() {
		return prompts;
	}
}
