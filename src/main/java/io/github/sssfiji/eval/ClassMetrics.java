package io.github.sssfiji.eval;

/**
 * Overlap and surface-distance scores of one binary prediction against one binary reference.
 * <p>
 * Distances are in the unit of the voxel spacing (millimetres for medical images). A score that is
 * undefined, the surface distances when either mask is empty, is {@link Double#NaN}; reports write it
 * as null or an empty field, never as 0.
 * </p>
 *
 * @param dice 2|P∩R| / (|P| + |R|); 1 when both masks are empty
 * @param jaccard |P∩R| / |P∪R|; 1 when both masks are empty
 * @param hd95 95th percentile (linear interpolation) of the distances from each surface to the other, both directions pooled
 * @param asd mean distance from the prediction surface to the reference surface (medpy's one-directional {@code asd})
 * @param assd mean of the two directed mean surface distances
 */
public record ClassMetrics(double dice, double jaccard, double hd95, double asd, double assd) {

	/** Whether the surface distances are defined, i.e. both masks had foreground. */
	public boolean hasSurfaceDistances() {
		return !Double.isNaN(hd95);
	}
}
