package io.github.sssfiji.ij1;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.process.FloatPolygon;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.pcsw.Prompt;

/**
 * The prompts of a trained {@code .sss} model (per slice and foreground class one box and one
 * positive click, see {@code SlicePrompts}) that ImageJ ROIs draw, with the ROI conventions of
 * {@link Sam2RoiPrompt}:
 * <ul>
 * <li>An area ROI is a box: the rectangle {@code x, y, w, h} gives the inclusive box
 * {@code (x, y, x+w-1, y+h-1)}; any other area ROI (oval, polygon, ...) its bounding rectangle. It is
 * not clipped to the image: a box that leaves the image is refused by the prompt check
 * ({@code Propagation.checkPrompts}), as in the CLI.</li>
 * <li>The points of a point ROI are clicks, each in the pixel that holds it ({@code floor} of its
 * ImageJ coordinates). A box's click is the point of the same class on the same slice, or without one
 * the box's centre. A click needs a box (the model was trained with both); one box and at most one
 * click per class and slice.</li>
 * <li>The class: a ROI named after one of the model's classes (any case, e.g. {@code LV}), or with a
 * number ({@code 2}, {@code class 2}, or PCSW's prompt ROI names {@code class-slice} such as
 * {@code 3-5}, see {@link PromptRois}), prompts that class; any other name (the ROI Manager's
 * {@code 0005-0040-0061}, none) the default class.</li>
 * <li>The slice: the ROI's position (the stack position, or for a hyperstack position its Z, or T
 * for a time series), per point for multi-point ROIs with per-point positions; a ROI without
 * position lies on the displayed slice.</li>
 * <li>Negative points ({@code neg...} names, counter 1, {@code sam2_labels} zeros) are refused: they
 * are prompts of imported SAM-2 models only.</li>
 * </ul>
 */
public final class RoiPrompts {

	private static final Pattern NUMBER = Pattern.compile("(?i)(?:class[\\s_-]*)?(\\d+)");
	/** PCSW's {@code class-slice}; a class of up to three digits without leading zero, unlike the ROI Manager's zero-padded names. */
	private static final Pattern PCSW_NAME = Pattern.compile("([1-9]\\d{0,2})-\\d+");

	private RoiPrompts() {}

	/**
	 * The class that {@code text} names: one of {@code classNames} (any case), or a number
	 * ({@code 2}, {@code class 2}, {@code 3-5} as PCSW names its prompts); {@code -1} for anything else.
	 * The number is not checked against the classes (the prompt check does that).
	 */
	public static int classOf(final String text, final List<String> classNames) {
		if (text == null) return -1;
		final String name = text.trim();
		for (int c = 0; c < classNames.size(); c++)
			if (classNames.get(c).equalsIgnoreCase(name)) return c;
		for (final Pattern pattern : new Pattern[] { NUMBER, PCSW_NAME }) {
			final Matcher m = pattern.matcher(name);
			if (m.matches()) {
				try {
					return Integer.parseInt(m.group(1));
				}
				catch (final NumberFormatException e) {
					return Integer.MAX_VALUE; // refused by the class check
				}
			}
		}
		return -1;
	}

	/**
	 * The class of a command's class parameter: empty for the first foreground class (1), else a
	 * foreground class's name or number.
	 *
	 * @param key the parameter's macro key, for the message
	 * @throws InvalidInputException for anything else
	 */
	public static int classParameter(final String value, final List<String> classNames, final String key) {
		if (value == null || value.isBlank()) return 1;
		final int c = classOf(value, classNames);
		if (c < 1 || c >= classNames.size())
			throw new InvalidInputException("key '" + key + "': '" + value + "' is not a foreground class of the model: give one of " +
				String.join(", ", classNames.subList(1, classNames.size())) + " or a number 1 to " + (classNames.size() - 1));
		return c;
	}

	/**
	 * The prompts of {@code rois}, each on its slice, ordered by slice and class.
	 *
	 * @param defaultClass the class of ROIs whose names name none
	 * @param currentSlice the displayed slice (1-based), where ROIs without a position lie
	 * @return prompts with 0-based slices, {@code chain} their index, {@code score} 1
	 * @throws InvalidInputException for a line ROI, negative points, two boxes or two clicks of one
	 *           class on one slice, a click without a box, a click outside its box, or no ROI
	 */
	public static List<Prompt> of(final List<Roi> rois, final List<String> classNames, final int defaultClass, final int currentSlice) {
		return collect(rois, classNames, defaultClass, currentSlice, false);
	}

	/**
	 * {@link #of} with every ROI on one plane, slice 0, whatever its position (for prompting one
	 * displayed plane with one class): unnamed ROIs (or ROIs whose names name no class) take the class
	 * that the other ROIs' names give, when they all give the same one; else {@code defaultClass}.
	 */
	public static List<Prompt> onePlane(final List<Roi> rois, final List<String> classNames, final int defaultClass) {
		final Set<Integer> named = new TreeSet<>();
		for (final Roi roi : rois) {
			final int c = classOf(roi.getName(), classNames);
			if (c >= 0) named.add(c);
		}
		return collect(rois, classNames, named.size() == 1 ? named.iterator().next() : defaultClass, 1, true);
	}

	private static List<Prompt> collect(final List<Roi> rois, final List<String> classNames, final int defaultClass, final int currentSlice,
		final boolean onePlane)
	{
		if (rois.isEmpty()) throw new InvalidInputException("no prompt: draw a rectangle around the object (and optionally a point in it)");
		// per (slice, class): box, its ROI's name, click, its ROI's name
		final Map<Long, Slot> slots = new TreeMap<>();
		for (final Roi roi : rois) {
			final String name = describe(roi);
			final int named = classOf(roi.getName(), classNames);
			final int c = named >= 0 ? named : defaultClass;
			final int roiSlice = onePlane ? 1 : slice(roi, currentSlice);
			if (roi instanceof PointRoi points) {
				if (isNegative(points))
					throw new InvalidInputException(name + " holds negative points; those prompt imported SAM-2 models (.sam2.zip) only, " +
						".sss models take a box and a positive click per class and slice");
				final FloatPolygon polygon = points.getFloatPolygon();
				for (int i = 0; i < polygon.npoints; i++) {
					final int s = onePlane ? 1 : points.hasPointPosition(i) && points.getPointPosition(i) > 0 ? points.getPointPosition(i) : roiSlice;
					final Slot slot = slots.computeIfAbsent(key(s, c), k -> new Slot(s - 1, c));
					if (slot.click != null) throw new InvalidInputException("two clicks of class " + className(c, classNames) + " on slice " + s +
						" (" + slot.clickName + " and " + name + "): .sss models take one click per class and slice");
					slot.click = new int[] { (int) Math.floor(polygon.xpoints[i]), (int) Math.floor(polygon.ypoints[i]) };
					slot.clickName = name;
				}
			}
			else if (roi.isLine()) throw new InvalidInputException(name + " is a line; prompts are rectangles (boxes) and points (clicks)");
			else {
				final Slot slot = slots.computeIfAbsent(key(roiSlice, c), k -> new Slot(roiSlice - 1, c));
				if (slot.box != null) throw new InvalidInputException("two boxes of class " + className(c, classNames) + " on slice " + roiSlice +
					" (" + slot.boxName + " and " + name + "): .sss models take one box per class and slice");
				final Rectangle r = roi.getBounds();
				slot.box = new int[] { r.x, r.y, r.x + r.width - 1, r.y + r.height - 1 };
				slot.boxName = name;
			}
		}
		final List<Prompt> prompts = new ArrayList<>();
		for (final Slot slot : slots.values()) {
			final String where = "class " + className(slot.classLabel, classNames) + " on slice " + (slot.slice + 1);
			if (slot.box == null) throw new InvalidInputException(slot.clickName + ": a click of " + where + " without a box; draw a rectangle " +
				"around the object too (.sss models take a box and a click per class and slice)");
			final int[] b = slot.box;
			final int[] click = slot.click != null ? slot.click : new int[] { (b[0] + b[2]) / 2, (b[1] + b[3]) / 2 };
			if (click[0] < b[0] || click[0] > b[2] || click[1] < b[1] || click[1] > b[3])
				throw new InvalidInputException(slot.clickName + ": the click (" + click[0] + ", " + click[1] + ") of " + where +
					" lies outside its box (" + b[0] + ", " + b[1] + ", " + b[2] + ", " + b[3] + ")");
			prompts.add(new Prompt(slot.classLabel, slot.slice, b[0], b[1], b[2], b[3], click[0], click[1], prompts.size(), 1));
		}
		return prompts;
	}

	/** One (slice, class) being filled. */
	private static final class Slot {

		final int slice, classLabel;
		int[] box, click;
		String boxName, clickName;

		Slot(final int slice, final int classLabel) {
			this.slice = slice;
			this.classLabel = classLabel;
		}
	}

	/** Orders by slice, then class. */
	private static long key(final int slice, final int c) {
		return (long) slice << 32 | (c & 0xffffffffL);
	}

	/** The 1-based slice of a ROI: its position; the image is one channel with either slices or frames. */
	private static int slice(final Roi roi, final int currentSlice) {
		final int position = roi.hasHyperStackPosition() ? Math.max(roi.getZPosition(), roi.getTPosition()) : roi.getPosition();
		return position > 0 ? position : currentSlice;
	}

	private static boolean isNegative(final PointRoi roi) {
		final String name = roi.getName();
		if (name != null && name.toLowerCase(Locale.ROOT).startsWith(Sam2RoiPrompt.NEGATIVE_NAME_PREFIX)) return true;
		final String labels = roi.getProperty(Sam2RoiPrompt.LABELS_PROPERTY);
		if (labels != null && labels.matches(".*(^|[,\\s])0([,\\s]|$).*")) return true;
		for (int i = 0; i < roi.size(); i++)
			if (roi.getCounter(i) == Sam2RoiPrompt.NEGATIVE_COUNTER) return true;
		return false;
	}

	private static String className(final int c, final List<String> classNames) {
		return c >= 0 && c < classNames.size() ? classNames.get(c) + " (" + c + ")" : String.valueOf(c);
	}

	private static String describe(final Roi roi) {
		final String name = roi.getName();
		return (name == null ? "the " : "'" + name + "' (") + roi.getTypeAsString().toLowerCase(Locale.ROOT) + " ROI" + (name == null ? "" : ")");
	}
}
