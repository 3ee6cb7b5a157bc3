package io.github.sssfiji.model.sam2.predictor;

import io.github.sssfiji.InvalidInputException;

/**
 * The prompt of one frame for {@link Sam2Tracker}, as the official video predictor takes it: clicks
 * and/or a box ({@code add_new_points_or_box}; the box goes first as two points labelled 2 and 3),
 * or a binary mask ({@code add_new_mask}). Coordinates are (x, y) in frame pixels. A prompted frame
 * becomes a conditioning frame. Immutable.
 */
public final class TrackingPrompt {

	private final float[] pointsXY;
	private final int[] labels;
	private final float[] box;
	private final boolean[] mask;

	private TrackingPrompt(final float[] pointsXY, final int[] labels, final float[] box, final boolean[] mask) {
		this.pointsXY = pointsXY == null ? null : pointsXY.clone();
		this.labels = labels == null ? null : labels.clone();
		this.box = box == null ? null : box.clone();
		this.mask = mask == null ? null : mask.clone();
	}

	/** Clicks: (x, y) pairs with labels 1 (object) or 0 (background). */
	public static TrackingPrompt points(final float[] pointsXY, final int[] labels) {
		return boxAndPoints(null, pointsXY, labels);
	}

	/** A box (x0, y0, x1, y1). */
	public static TrackingPrompt box(final float[] box) {
		return boxAndPoints(box, null, null);
	}

	/** A box (may be null) plus clicks (may be null); at least one of them. */
	public static TrackingPrompt boxAndPoints(final float[] box, final float[] pointsXY, final int[] labels) {
		if (box == null && pointsXY == null) throw new InvalidInputException("prompt: give a box, points or both");
		if (box != null && box.length != 4) throw new InvalidInputException("prompt box: expected x0, y0, x1, y1, got " + box.length + " values");
		if (pointsXY != null) {
			if (pointsXY.length == 0 || pointsXY.length % 2 != 0)
				throw new InvalidInputException("prompt points: expected (x, y) pairs, got " + pointsXY.length + " values");
			if (labels == null || labels.length != pointsXY.length / 2)
				throw new InvalidInputException("prompt labels: expected " + pointsXY.length / 2 + " labels, got " + (labels == null ? 0 : labels.length));
			for (final int label : labels)
				if (label != 0 && label != 1) throw new InvalidInputException("prompt labels: expected 0 or 1, got " + label);
		}
		else if (labels != null) throw new InvalidInputException("prompt labels given without points");
		check(box, "box");
		check(pointsXY, "points");
		return new TrackingPrompt(pointsXY, labels, box, null);
	}

	/** A binary mask of the frame (row-major, frame height x width); true = object. */
	public static TrackingPrompt mask(final boolean[] mask) {
		if (mask == null || mask.length == 0) throw new InvalidInputException("prompt mask is empty");
		return new TrackingPrompt(null, null, null, mask);
	}

	boolean isMask() {
		return mask != null;
	}

	/** The mask as 0/1 floats, checked against the frame size. */
	float[] maskValues(final int height, final int width) {
		if (mask.length != height * width)
			throw new InvalidInputException("prompt mask has " + mask.length + " pixels, the frame " + width + "x" + height + " has " + height * width);
		final float[] out = new float[mask.length];
		for (int i = 0; i < out.length; i++) out[i] = mask[i] ? 1f : 0f;
		return out;
	}

	/** Box corners then clicks, in model pixels ({@code x / W * S}, float32, dividing first). */
	float[] modelCoords(final int width, final int height, final int imageSize) {
		final int nBox = box == null ? 0 : 2;
		final int nPoints = pointsXY == null ? 0 : pointsXY.length / 2;
		final float[] out = new float[2 * (nBox + nPoints)];
		if (box != null) System.arraycopy(Sam2Postprocess.transformCoords(box, width, height, imageSize), 0, out, 0, 4);
		if (pointsXY != null)
			System.arraycopy(Sam2Postprocess.transformCoords(pointsXY, width, height, imageSize), 0, out, 2 * nBox, 2 * nPoints);
		return out;
	}

	/** Labels matching {@link #modelCoords}: 2, 3 for the box, then the click labels. */
	float[] modelLabels() {
		final int nBox = box == null ? 0 : 2;
		final int nPoints = pointsXY == null ? 0 : pointsXY.length / 2;
		final float[] out = new float[nBox + nPoints];
		if (box != null) {
			out[0] = 2;
			out[1] = 3;
		}
		for (int i = 0; i < nPoints; i++) out[nBox + i] = labels[i];
		return out;
	}

	private static void check(final float[] values, final String what) {
		if (values == null) return;
		for (final float v : values)
			if (!Float.isFinite(v)) throw new InvalidInputException("prompt " + what + ": coordinate " + v + " is not finite");
	}
}
