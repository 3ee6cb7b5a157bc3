package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.Roi;
import io.github.sssfiji.InvalidInputException;

/** ImageJ ROIs to SAM-2 prompts: positive and negative points, the box convention, plane filtering and the errors. */
class Sam2RoiPromptTest {

	@Test
	void pointsAreClicksAtTheirCoordinatesAndRectanglesInclusiveBoxes() {
		final PointRoi points = new PointRoi(150, 97);
		points.addPoint(60.5, 180.25);
		final Sam2RoiPrompt prompt = Sam2RoiPrompt.of(List.of(points, new Roi(40, 70, 151, 141)), 256, 256);
		assertArrayEquals(new float[] { 150, 97, 60.5f, 180.25f }, prompt.points());
		assertArrayEquals(new int[] { 1, 1 }, prompt.labels());
		// pixels 40..190 and 70..210, as PCSW's prompt ROIs write a box
		assertArrayEquals(new float[] { 40, 70, 190, 210 }, prompt.box());
		assertEquals("2 positive points, box (40, 70, 190, 210)", prompt.toString());
		assertEquals(4, prompt.toPrompt().sparseCount(), "two points plus the box's two corners");
	}

	@Test
	void negativePointsByNameOrCounter() {
		final PointRoi positive = new PointRoi(10, 10);
		final PointRoi named = new PointRoi(20, 20);
		named.setName("Negative background");
		final PointRoi counted = new PointRoi(30, 30);
		counted.setCounter(Sam2RoiPrompt.NEGATIVE_COUNTER);
		counted.addPoint(31, 32);
		counted.setCounter(0);
		counted.addPoint(33, 34);
		final Sam2RoiPrompt prompt = Sam2RoiPrompt.of(List.of(positive, named, counted), 64, 64);
		assertArrayEquals(new float[] { 10, 10, 20, 20, 30, 30, 31, 32, 33, 34 }, prompt.points());
		assertArrayEquals(new int[] { 1, 0, 1, 0, 1 }, prompt.labels(), "counter of each point: " + java.util.Arrays.toString(counted.getCounters()));
		assertNull(prompt.box());
		assertEquals(3, prompt.count(1));
		assertEquals(2, prompt.count(0));
		assertEquals("3 positive points, 2 negative points", prompt.toString());
	}

	@Test
	void aLabelsPropertyGivesEachPointsLabel() {
		// what a headless macro writes: makeSelection("point", xs, ys); Roi.setProperty("sam2_labels", "1,0,1");
		final PointRoi points = new PointRoi(new float[] { 1, 2, 3 }, new float[] { 4, 5, 6 }, 3);
		points.setName("negative"); // the property wins over the name
		points.setProperty(Sam2RoiPrompt.LABELS_PROPERTY, "1,0 1");
		assertArrayEquals(new int[] { 1, 0, 1 }, Sam2RoiPrompt.of(List.of(points), 64, 64).labels());
		points.setProperty(Sam2RoiPrompt.LABELS_PROPERTY, "1,0");
		expect(List.of(points), "gives 2 labels for 3 points");
		points.setProperty(Sam2RoiPrompt.LABELS_PROPERTY, "1,2,0");
		expect(List.of(points), "'2' is not 1 (positive) or 0 (negative)");
	}

	@Test
	void otherAreasGiveTheirBoundsClippedToTheImage() {
		final Sam2RoiPrompt prompt = Sam2RoiPrompt.of(List.of(new OvalRoi(50, -5, 30, 20)), 64, 64);
		assertArrayEquals(new float[] { 50, 0, 63, 14 }, prompt.box());
	}

	@Test
	void onlyRoisOfTheDisplayedPlaneCount() {
		final ImagePlus stack = IJ.createImage("stack", "8-bit black", 16, 16, 3);
		stack.setSlice(2);
		final Roi anywhere = new PointRoi(1, 1), here = new PointRoi(2, 2), elsewhere = new PointRoi(3, 3);
		here.setPosition(2);
		elsewhere.setPosition(3);
		assertEquals(List.of(anywhere, here), Sam2RoiPrompt.onCurrentPlane(new Roi[] { anywhere, here, elsewhere }, stack));
	}

	@Test
	void unusableRoisAreExplained() {
		expect(List.of(new Line(0, 0, 5, 5)), "is a line");
		expect(List.of(new Roi(0, 0, 5, 5), new Roi(10, 10, 5, 5)), "two boxes");
		final Roi negativeBox = new Roi(0, 0, 5, 5);
		negativeBox.setName("neg");
		expect(List.of(negativeBox), "only points can be negative");
		expect(List.of(new PointRoi(70, 3)), "point (70.0, 3.0) of the point ROI lies outside the 64 x 64 image");
		expect(List.of(new Roi(100, 100, 5, 5)), "lies outside the 64 x 64 image");
		expect(List.of(), "no prompt");
	}

	private static void expect(final List<Roi> rois, final String problem) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sam2RoiPrompt.of(rois, 64, 64));
		assertTrue(e.getMessage().contains(problem), e.getMessage());
	}
}
