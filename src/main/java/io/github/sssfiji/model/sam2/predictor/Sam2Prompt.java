package io.github.sssfiji.model.sam2.predictor;

import io.github.sssfiji.InvalidInputException;

/**
 * The prompt of one {@link Sam2ImagePredictor} call, in original image pixels: points (x, y) with
 * labels (1 positive, 0 negative), an optional box (x0, y0, x1, y1) and an optional low-resolution
 * mask prompt (S/4 x S/4 logits, e.g. a previous call's {@link Sam2ImagePredictor.Prediction#maskInput}).
 * Immutable.
 */
public final class Sam2Prompt {

	private final float[] points;
	private final int[] labels;
	private final float[] box;
	private final float[] mask;

	private Sam2Prompt(final float[] points, final int[] labels, final float[] box, final float[] mask) {
		this.points = points == null ? new float[0] : points.clone();
		this.labels = labels == null ? new int[0] : labels.clone();
		this.box = box == null ? null : box.clone();
		this.mask = mask == null ? null : mask.clone();
		if (this.points.length % 2 != 0) throw new InvalidInputException("prompt points: " + this.points.length + " values are not (x, y) pairs");
		if (this.labels.length != this.points.length / 2)
			throw new InvalidInputException("prompt labels: " + this.labels.length + " labels for " + this.points.length / 2 + " points");
		for (final int label : this.labels)
			if (label != 0 && label != 1) throw new InvalidInputException("prompt labels: " + label + " is not 0 (negative) or 1 (positive)");
		for (final float v : this.points)
			if (!Float.isFinite(v)) throw new InvalidInputException("prompt points: coordinate " + v + " is not finite");
		if (this.box != null) {
			if (this.box.length != 4) throw new InvalidInputException("prompt box: expected x0, y0, x1, y1, got " + this.box.length + " values");
			for (final float v : this.box)
				if (!Float.isFinite(v)) throw new InvalidInputException("prompt box: coordinate " + v + " is not finite");
		}
	}

	/** Any combination; each of the arrays may be null. */
	public static Sam2Prompt of(final float[] pointsXY, final int[] labels, final float[] box, final float[] maskLogits) {
		return new Sam2Prompt(pointsXY, labels, box, maskLogits);
	}

	/** Points (x, y pairs) with labels 1 (positive) or 0 (negative). */
	public static Sam2Prompt points(final float[] pointsXY, final int... labels) {
		return new Sam2Prompt(pointsXY, labels, null, null);
	}

	/** A box from (x0, y0) to (x1, y1). */
	public static Sam2Prompt box(final float x0, final float y0, final float x1, final float y1) {
		return new Sam2Prompt(null, null, new float[] { x0, y0, x1, y1 }, null);
	}

	/** This prompt plus a box. */
	public Sam2Prompt withBox(final float x0, final float y0, final float x1, final float y1) {
		return new Sam2Prompt(points, labels, new float[] { x0, y0, x1, y1 }, mask);
	}

	/** This prompt plus a low-resolution mask prompt (S/4 x S/4 logits, row-major). */
	public Sam2Prompt withMask(final float[] maskLogits) {
		return new Sam2Prompt(points, labels, box, maskLogits);
	}

	/** Number of sparse inputs: the points plus two box corners. */
	public int sparseCount() {
		return labels.length + (box == null ? 0 : 2);
	}

	public boolean hasMask() {
		return mask != null;
	}

	/** The mask prompt (not copied), or null. */
	float[] mask() {
		return mask;
	}

	/**
	 * The prompt-encoder coordinates in the model frame, as {@code SAM2ImagePredictor._prep_prompts}:
	 * box corners first, then the points, each {@code x / W * S}, {@code y / H * S} in float32.
	 */
	public float[] modelCoords(final int width, final int height, final int imageSize) {
		final int nBox = box == null ? 0 : 2;
		final float[] coords = new float[2 * sparseCount()];
		if (box != null) System.arraycopy(Sam2Postprocess.transformCoords(box, width, height, imageSize), 0, coords, 0, 4);
		System.arraycopy(Sam2Postprocess.transformCoords(points, width, height, imageSize), 0, coords, 2 * nBox, points.length);
		return coords;
	}

	/** The prompt-encoder labels: 2 and 3 for the box corners, then the point labels. */
	public float[] modelLabels() {
		final int nBox = box == null ? 0 : 2;
		final float[] out = new float[sparseCount()];
		if (box != null) {
			out[0] = 2;
			out[1] = 3;
		}
		for (int i = 0; i < labels.length; i++) out[nBox + i] = labels[i];
		return out;
	}
}
