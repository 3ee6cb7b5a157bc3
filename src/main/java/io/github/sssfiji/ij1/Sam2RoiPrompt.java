package io.github.sssfiji.ij1;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.FloatPolygon;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.model.sam2.predictor.Sam2Prompt;

/**
 * The SAM-2 prompt that ImageJ ROIs draw on one image plane.
 * <ul>
 * <li>Points of point ROIs (multi-point tool, {@code makePoint}) are positive clicks, at their ImageJ
 * coordinates (an integer point is the index of the clicked pixel, SAM-2's convention).</li>
 * <li>Points are negative (background) clicks when their ROI's name starts with {@code neg} (any case,
 * e.g. {@code negative}), or when they belong to counter 1 of the multi-point tool. A ROI property
 * {@code sam2_labels} (e.g. {@code "1,0,1"}: one 1 or 0 per point, in point order; macros set it with
 * {@code Roi.setProperty}) overrides both, for mixing positive and negative points in one selection
 * where neither the ROI Manager nor the counters are at hand (headless macros).</li>
 * <li>One rectangle is the box: the rectangle {@code x, y, w, h} covers pixels {@code x .. x+w-1} and
 * gives the box {@code (x, y, x+w-1, y+h-1)}, the convention of the PCSW prompt ROIs. Any other area ROI
 * (oval, polygon, composite, ...) gives its bounding rectangle. SAM-2 takes one box per prediction, so
 * a second area ROI is an error.</li>
 * </ul>
 * Immutable.
 */
public final class Sam2RoiPrompt {

	/** ROIs whose name starts with this (ignoring case) hold negative points. */
	public static final String NEGATIVE_NAME_PREFIX = "neg";
	/** Points of this multi-point counter are negative. */
	public static final int NEGATIVE_COUNTER = 1;
	/** The ROI property that gives each point's label (1 positive, 0 negative). */
	public static final String LABELS_PROPERTY = "sam2_labels";

	private final float[] points;
	private final int[] labels;
	private final float[] box;

	private Sam2RoiPrompt(final float[] points, final int[] labels, final float[] box) {
		this.points = points;
		this.labels = labels;
		this.box = box;
	}

	/**
	 * The prompt of {@code rois} on a {@code width} x {@code height} image.
	 *
	 * @throws InvalidInputException for a line ROI, a point outside the image, a box outside the image or
	 *           a second box, a negative box, or no prompt at all
	 */
	public static Sam2RoiPrompt of(final List<Roi> rois, final int width, final int height) {
		final List<float[]> points = new ArrayList<>();
		final List<Integer> labels = new ArrayList<>();
		float[] box = null;
		String boxName = null;
		for (final Roi roi : rois) {
			final String name = describe(roi);
			if (roi instanceof PointRoi pointRoi) {
				final boolean negativeRoi = isNegativeName(roi);
				final FloatPolygon polygon = pointRoi.getFloatPolygon();
				final int[] given = labelsProperty(roi, name, polygon.npoints);
				for (int i = 0; i < polygon.npoints; i++) {
					final float x = polygon.xpoints[i], y = polygon.ypoints[i];
					if (!(x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1)) throw new InvalidInputException("point (" + x + ", " + y + ") of " +
						name + " lies outside the " + width + " x " + height + " image");
					points.add(new float[] { x, y });
					labels.add(given != null ? given[i] : negativeRoi || pointRoi.getCounter(i) == NEGATIVE_COUNTER ? 0 : 1);
				}
			}
			else if (roi.isLine()) throw new InvalidInputException(name + " is a line; SAM-2 prompts are points and one rectangle");
			else {
				if (box != null) throw new InvalidInputException("two boxes (" + boxName + " and " + name +
					"): SAM-2 takes one rectangle per run; use points for the rest, or run once per object");
				if (isNegativeName(roi)) throw new InvalidInputException(name + " is a rectangle; only points can be negative");
				final Rectangle r = roi.getBounds().intersection(new Rectangle(0, 0, width, height));
				if (r.isEmpty()) throw new InvalidInputException(name + " " + roi.getBounds() + " lies outside the " + width + " x " + height + " image");
				box = new float[] { r.x, r.y, r.x + r.width - 1, r.y + r.height - 1 };
				boxName = name;
			}
		}
		if (points.isEmpty() && box == null) throw new InvalidInputException("no prompt: the selection has neither points nor a rectangle");
		final float[] xy = new float[2 * points.size()];
		final int[] l = new int[points.size()];
		for (int i = 0; i < l.length; i++) {
			xy[2 * i] = points.get(i)[0];
			xy[2 * i + 1] = points.get(i)[1];
			l[i] = labels.get(i);
		}
		return new Sam2RoiPrompt(xy, l, box);
	}

	/**
	 * The ROIs of {@code rois} that lie on the displayed plane of {@code image}: those without a
	 * position, or positioned on the current slice (channel, slice and frame for hyperstacks; 0 means
	 * any).
	 */
	public static List<Roi> onCurrentPlane(final Roi[] rois, final ImagePlus image) {
		final List<Roi> out = new ArrayList<>();
		for (final Roi roi : rois) {
			final boolean on;
			if (roi.hasHyperStackPosition())
				on = matches(roi.getCPosition(), image.getC()) && matches(roi.getZPosition(), image.getZ()) && matches(roi.getTPosition(), image.getT());
			else on = matches(roi.getPosition(), image.getCurrentSlice());
			if (on) out.add(roi);
		}
		return out;
	}

	/** Point coordinates x0, y0, x1, y1, ... in image pixels. */
	public float[] points() {
		return points.clone();
	}

	/** Per point: 1 positive, 0 negative. */
	public int[] labels() {
		return labels.clone();
	}

	/** The box (x0, y0, x1, y1), or {@code null}. */
	public float[] box() {
		return box == null ? null : box.clone();
	}

	/** The number of points with the given label. */
	public int count(final int label) {
		int n = 0;
		for (final int l : labels)
			if (l == label) n++;
		return n;
	}

	/** This as the predictor's prompt. */
	public Sam2Prompt toPrompt() {
		return Sam2Prompt.of(points, labels, box, null);
	}

	/** E.g. "2 positive points, 1 negative point, box (40, 70, 190, 210)". */
	@Override
	public String toString() {
		final List<String> parts = new ArrayList<>();
		final int positive = count(1), negative = count(0);
		if (positive > 0) parts.add(positive + " positive point" + (positive > 1 ? "s" : ""));
		if (negative > 0) parts.add(negative + " negative point" + (negative > 1 ? "s" : ""));
		if (box != null) parts.add(String.format(Locale.ROOT, "box (%.0f, %.0f, %.0f, %.0f)", box[0], box[1], box[2], box[3]));
		return String.join(", ", parts);
	}

	/** The labels of the {@value #LABELS_PROPERTY} property, or null when the ROI has none. */
	private static int[] labelsProperty(final Roi roi, final String name, final int points) {
		final String text = roi.getProperty(LABELS_PROPERTY);
		if (text == null || text.isBlank()) return null;
		final String[] values = text.trim().split("[,\\s]+");
		if (values.length != points) throw new InvalidInputException(name + ": property " + LABELS_PROPERTY + " = '" + text + "' gives " +
			values.length + " labels for " + points + " points");
		final int[] labels = new int[points];
		for (int i = 0; i < points; i++) {
			if (!values[i].equals("0") && !values[i].equals("1")) throw new InvalidInputException(name + ": property " + LABELS_PROPERTY +
				" = '" + text + "': '" + values[i] + "' is not 1 (positive) or 0 (negative)");
			labels[i] = values[i].charAt(0) - '0';
		}
		return labels;
	}

	private static boolean matches(final int position, final int current) {
		return position == 0 || position == current;
	}

	private static boolean isNegativeName(final Roi roi) {
		final String name = roi.getName();
		return name != null && name.toLowerCase(Locale.ROOT).startsWith(NEGATIVE_NAME_PREFIX);
	}

	private static String describe(final Roi roi) {
		final String name = roi.getName();
		return (name == null ? "the " : "'" + name + "' (") + roi.getTypeAsString().toLowerCase(Locale.ROOT) + " ROI" + (name == null ? "" : ")");
	}
}
