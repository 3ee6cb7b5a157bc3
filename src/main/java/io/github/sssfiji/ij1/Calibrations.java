package io.github.sssfiji.ij1;

import java.util.Locale;

import ij.measure.Calibration;

import io.github.sssfiji.InvalidInputException;

/**
 * Voxel spacing to and from an ImageJ 1.x {@link Calibration}.
 * <p>
 * SSS keeps spatial spacing in millimetres. Reading converts the calibration's length unit to
 * millimetres (mm, cm, m, µm/um/micron, nm, inch); an uncalibrated image (unit pixel or empty)
 * and an unknown unit keep ImageJ's numbers as they are. Per axis of {@link ImagePlusImgs#axes}:
 * x is pixelWidth, y pixelHeight, z pixelDepth, t the frame interval in the calibration's time
 * unit (1 when ImageJ has none, i.e. 0), and a channel axis has spacing 1. Writing sets the unit to
 * {@code mm}, or to a unit given, the spacing converted back to it, and leaves the time unit as it is.
 * </p>
 */
public final class Calibrations {

	private Calibrations() {
		// static utility
	}

	/** Spacing per axis, see the class documentation. */
	public static double[] spacing(final Calibration calibration, final String axes) {
		final double toMm = millimetresPerUnit(calibration.getUnit());
		final double[] spacing = new double[axes.length()];
		for (int d = 0; d < spacing.length; d++) {
			switch (axes.charAt(d)) {
				case 'x': spacing[d] = calibration.pixelWidth * toMm; break;
				case 'y': spacing[d] = calibration.pixelHeight * toMm; break;
				case 'z': spacing[d] = calibration.pixelDepth * toMm; break;
				case 't': spacing[d] = calibration.frameInterval > 0 ? calibration.frameInterval : 1; break;
				case 'c': spacing[d] = 1; break;
				default: throw new InvalidInputException("axis '" + axes.charAt(d) + "' in '" + axes + "' is not one of x, y, c, z, t");
			}
		}
		return spacing;
	}

	/** Sets pixelWidth, pixelHeight, pixelDepth and the frame interval from {@code spacing} (mm) and the unit to mm. */
	public static void setSpacing(final Calibration calibration, final double[] spacing, final String axes) {
		setSpacing(calibration, spacing, axes, "mm");
	}

	/**
	 * Sets pixelWidth, pixelHeight, pixelDepth and the frame interval from {@code spacing} (as
	 * {@link #spacing} reads it: mm for the units it knows) in {@code unit}: the inverse of
	 * {@link #spacing} for a calibration in that unit, so that {@code µm} stays {@code µm}.
	 */
	public static void setSpacing(final Calibration calibration, final double[] spacing, final String axes, final String unit) {
		final double perUnit = millimetresPerUnit(unit);
		if (spacing.length != axes.length())
			throw new InvalidInputException(spacing.length + " spacing values for the " + axes.length() + " axes '" + axes + "'");
		for (int d = 0; d < spacing.length; d++) {
			if (!(spacing[d] > 0) || Double.isInfinite(spacing[d]))
				throw new InvalidInputException("spacing " + spacing[d] + " of axis " + axes.charAt(d) + " is not a positive number");
			switch (axes.charAt(d)) {
				case 'x': calibration.pixelWidth = spacing[d] / perUnit; break;
				case 'y': calibration.pixelHeight = spacing[d] / perUnit; break;
				case 'z': calibration.pixelDepth = spacing[d] / perUnit; break;
				case 't': calibration.frameInterval = spacing[d]; break;
				case 'c': break;
				default: throw new InvalidInputException("axis '" + axes.charAt(d) + "' in '" + axes + "' is not one of x, y, c, z, t");
			}
		}
		calibration.setUnit(unit);
	}

	/** Millimetres in one {@code unit}; 1 for an empty, pixel or unknown unit. */
	public static double millimetresPerUnit(final String unit) {
		if (unit == null) return 1;
		switch (unit.trim().toLowerCase(Locale.ROOT)) {
			case "mm": case "millimeter": case "millimeters": case "millimetre": case "millimetres": return 1;
			case "cm": case "centimeter": case "centimeters": case "centimetre": case "centimetres": return 10;
			case "m": case "meter": case "meters": case "metre": case "metres": return 1000;
			case "\u00b5m": case "\u03bcm": case "um": case "micron": case "microns": case "micrometer": case "micrometers": return 1e-3;
			case "nm": case "nanometer": case "nanometers": return 1e-6;
			case "inch": case "inches": case "in": return 25.4;
			default: return 1;
		}
	}
}
