package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.Roi;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.pcsw.Prompt;

/** ROIs as the prompts of a trained {@code .sss} model: class from name, number or default; slice from position; box and click. */
class RoiPromptsTest {

	private static final List<String> ACDC = List.of("background", "RV", "Myo", "LV");
	private static final int SLICES = 6;

	private static Roi named(final Roi roi, final String name, final int position) {
		roi.setName(name);
		roi.setPosition(position);
		return roi;
	}

	private static SlicePrompts prompts(final List<Roi> rois, final int defaultClass, final int currentSlice) {
		return SlicePrompts.of(RoiPrompts.of(rois, ACDC, defaultClass, currentSlice), SLICES, ACDC.size());
	}

	/** Every (slice, class) of {@code actual} as in {@code expected}. */
	private static void assertSamePrompts(final SlicePrompts expected, final SlicePrompts actual) {
		assertEquals(expected.count(), actual.count());
		for (int z = 0; z < expected.count(); z++)
			for (int c = 1; c < ACDC.size(); c++) {
				assertEquals(expected.has(z, c), actual.has(z, c), "slice " + z + ", class " + c);
				if (!expected.has(z, c)) continue;
				assertArrayEquals(expected.box(z, c), actual.box(z, c), "box of slice " + z + ", class " + c);
				assertArrayEquals(expected.click(z, c), actual.click(z, c), "click of slice " + z + ", class " + c);
			}
	}

	@Test
	void classesComeFromNamesAndNumbersAndOtherwiseFromTheDefault() {
		final List<Roi> rois = List.of(
			named(new Roi(10, 20, 11, 6), "lv", 2), // class name, any case: LV (3)
			named(new Roi(1, 2, 3, 4), "class 1", 2), // number: RV (1)
			named(new Roi(5, 5, 5, 5), "2", 4), // number: Myo (2)
			named(new Roi(7, 8, 2, 2), "3-5", 6), // PCSW's class-slice: LV (3), on the ROI's position
			named(new Roi(0, 0, 4, 4), "0003-0040-0061", 3), // the ROI Manager's name: the default class
			new Roi(30, 30, 3, 3)); // no name, no position: the default class on the displayed slice
		final SlicePrompts expected = new SlicePrompts.Builder(SLICES, 4)
			.set(1, 3, new int[] { 10, 20, 20, 25 }, new int[] { 15, 22 })
			.set(1, 1, new int[] { 1, 2, 3, 5 }, new int[] { 2, 3 })
			.set(3, 2, new int[] { 5, 5, 9, 9 }, new int[] { 7, 7 })
			.set(5, 3, new int[] { 7, 8, 8, 9 }, new int[] { 7, 8 })
			.set(2, 2, new int[] { 0, 0, 3, 3 }, new int[] { 1, 1 })
			.set(4, 2, new int[] { 30, 30, 32, 32 }, new int[] { 31, 31 }).build();
		assertSamePrompts(expected, prompts(rois, 2, 5));
	}

	@Test
	void aPointOfTheSameClassOnTheSameSliceIsTheBoxsClick() {
		final PointRoi click = new PointRoi(14.7, 21.2);
		final PointRoi elsewhere = new PointRoi(3, 3);
		final List<Roi> rois = List.of(named(new Roi(10, 20, 11, 6), "LV", 2), named(click, "LV", 2), named(new OvalRoi(2, 2, 4, 4), "RV", 3),
			named(elsewhere, "RV", 3));
		final SlicePrompts expected = new SlicePrompts.Builder(SLICES, 4)
			.set(1, 3, new int[] { 10, 20, 20, 25 }, new int[] { 14, 21 }) // the point's pixel
			.set(2, 1, new int[] { 2, 2, 5, 5 }, new int[] { 3, 3 }).build(); // an oval gives its bounding box
		assertSamePrompts(expected, prompts(rois, 1, 1));
		// the slices are counted from 0 in the prompts, as in prompts.json
		final List<Prompt> list = RoiPrompts.of(rois, ACDC, 1, 1);
		assertEquals(List.of(1, 2), list.stream().map(Prompt::slice).toList());
	}

	@Test
	void onOnePlaneThePositionsAreIgnored() {
		final List<Prompt> prompts = RoiPrompts.onePlane(List.of(named(new Roi(10, 20, 11, 6), null, 4), named(new PointRoi(12, 22), null, 2)), ACDC, 3);
		assertEquals(List.of(new Prompt(3, 0, 10, 20, 20, 25, 12, 22, 0, 1)), prompts);
		// an unnamed ROI follows the class that the named ones agree on
		assertEquals(List.of(new Prompt(1, 0, 10, 20, 20, 25, 12, 22, 0, 1)),
			RoiPrompts.onePlane(List.of(named(new Roi(10, 20, 11, 6), "RV", 0), new PointRoi(12, 22)), ACDC, 3));
	}

	@Test
	void clicksWithoutABoxTwoBoxesNegativePointsAndLinesAreRefusedWithTheReason() {
		assertMessage("without a box", List.of(new PointRoi(3, 4)));
		assertMessage("two boxes of class LV (3) on slice 2", List.of(named(new Roi(1, 1, 4, 4), "LV", 2), named(new Roi(6, 6, 4, 4), "LV", 2)));
		assertMessage("two clicks", List.of(new Roi(1, 1, 9, 9), new PointRoi(new float[] { 2, 3 }, new float[] { 2, 3 }, 2)));
		assertMessage("lies outside its box", List.of(new Roi(1, 1, 4, 4), new PointRoi(8, 8)));
		assertMessage("negative points", List.of(new Roi(1, 1, 9, 9), named(new PointRoi(2, 2), "negative", 0)));
		assertMessage("is a line", List.of(new ij.gui.Line(1, 1, 5, 5)));
		assertMessage("no prompt", List.of());
	}

	private static void assertMessage(final String part, final List<Roi> rois) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> RoiPrompts.of(rois, ACDC, 3, 1));
		assertTrue(e.getMessage().contains(part), e.getMessage());
	}

	@Test
	void theClassParameterTakesANameANumberOrNothing() {
		assertEquals(1, RoiPrompts.classParameter("", ACDC, "prompt_class"));
		assertEquals(3, RoiPrompts.classParameter("Lv", ACDC, "prompt_class"));
		assertEquals(2, RoiPrompts.classParameter("class 2", ACDC, "prompt_class"));
		for (final String bad : new String[] { "background", "0", "4", "aorta" }) {
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> RoiPrompts.classParameter(bad, ACDC, "prompt_class"));
			assertTrue(e.getMessage().startsWith("key 'prompt_class': '" + bad + "' is not a foreground class of the model: give one of RV, Myo, LV"),
				e.getMessage());
		}
	}
}
