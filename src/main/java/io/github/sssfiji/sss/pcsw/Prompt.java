package io.github.sssfiji.sss.pcsw;

/**
 * A SAM-2 prompt on one slice: the bounding box of a kept chain's mask on that slice and one positive click
 * at the mask pixel farthest from its boundary (rule {@link PcswRule#CHAINS}), or at the box centre, which may lie
 * outside the mask (rule {@link PcswRule#CONTINUITY}; {@link ContinuityRule}).
 * <p>
 * Coordinates are 0-based pixel indices: x along the first image axis, y along the second, the slice along
 * the third. The box is inclusive ({@code xMax} is the last column of the mask), the convention of Medical
 * SAM 2's {@code generate_bbox}.
 * </p>
 *
 * @param classLabel the class (1 and up)
 * @param slice index of the slice
 * @param xMin first column of the mask
 * @param yMin first row of the mask
 * @param xMax last column of the mask
 * @param yMax last row of the mask
 * @param clickX column of the positive click
 * @param clickY row of the positive click
 * @param chain id of the chain the prompt comes from (0-based, unique within one PCSW result)
 * @param score the chain's score: the sum of its pixels' confidences (area times mean confidence)
 */
public record Prompt(int classLabel, int slice, int xMin, int yMin, int xMax, int yMax, int clickX, int clickY, int chain,
	double score)
{

	/** {@code [xMin, yMin, xMax, yMax]}. */
	public int[] box() {
		return new int[] { xMin, yMin, xMax, yMax };
	}

	/** {@code [clickX, clickY]}. */
	public int[] click() {
		return new int[] { clickX, clickY };
	}
}
