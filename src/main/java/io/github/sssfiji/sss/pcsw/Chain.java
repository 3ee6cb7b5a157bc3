package io.github.sssfiji.sss.pcsw;

/**
 * A kept chain: components of one class linked from slice to slice, a structure continuous along z. Under the
 * {@link PcswRule#CONTINUITY} rule: the winning window's largest 3-D component (or the fallback slice's foreground).
 *
 * @param id 0-based, unique within one PCSW result, as {@link Prompt#chain()}
 * @param classLabel the class (1 and up)
 * @param firstSlice first slice holding the chain
 * @param lastSlice last slice holding the chain (the chain holds every slice in between)
 * @param score sum of the confidences of its pixels (area times mean confidence)
 */
public record Chain(int id, int classLabel, int firstSlice, int lastSlice, double score) {

	/** Number of slices the chain spans. */
	public int span() {
		return lastSlice - firstSlice + 1;
	}
}
