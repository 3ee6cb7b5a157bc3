package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import ij.measure.Calibration;

import io.github.sssfiji.InvalidInputException;

class CalibrationsTest {

	@Test
	void readsSpacingPerAxisInMillimetres() {
		final Calibration calibration = new Calibration();
		calibration.pixelWidth = 0.15;
		calibration.pixelHeight = 0.2;
		calibration.pixelDepth = 0.8;
		calibration.frameInterval = 0.05;
		calibration.setUnit("cm");
		assertArrayEquals(new double[] { 1.5, 2.0, 1, 8.0, 0.05 }, Calibrations.spacing(calibration, "xyczt"), 1e-12);
		calibration.setUnit("micron");
		assertArrayEquals(new double[] { 1.5e-4, 2e-4 }, Calibrations.spacing(calibration, "xy"), 1e-15);
	}

	@Test
	void uncalibratedImagesKeepImageJsNumbers() {
		final Calibration calibration = new Calibration();
		assertArrayEquals(new double[] { 1, 1, 1, 1 }, Calibrations.spacing(calibration, "xyzt"), "pixel unit, no frame interval");
		calibration.pixelWidth = 3;
		calibration.setUnit("furlong");
		assertEquals(3, Calibrations.spacing(calibration, "x")[0], "unknown unit: unchanged");
	}

	@Test
	void writesSpacingInMillimetres() {
		final Calibration calibration = new Calibration();
		calibration.setUnit("inch");
		Calibrations.setSpacing(calibration, new double[] { 1.25, 1.5, 8, 0.03 }, "xyzt");
		assertEquals("mm", calibration.getUnit());
		assertEquals(1.25, calibration.pixelWidth);
		assertEquals(1.5, calibration.pixelHeight);
		assertEquals(8, calibration.pixelDepth);
		assertEquals(0.03, calibration.frameInterval);
		assertArrayEquals(new double[] { 1.25, 1.5, 8, 0.03 }, Calibrations.spacing(calibration, "xyzt"));
	}

	@Test
	void rejectsBadSpacing() {
		final Calibration calibration = new Calibration();
		assertThrows(InvalidInputException.class, () -> Calibrations.setSpacing(calibration, new double[] { 1, 0 }, "xy"));
		assertThrows(InvalidInputException.class, () -> Calibrations.setSpacing(calibration, new double[] { 1, Double.NaN }, "xy"));
		assertThrows(InvalidInputException.class, () -> Calibrations.setSpacing(calibration, new double[] { 1 }, "xy"));
	}
}
