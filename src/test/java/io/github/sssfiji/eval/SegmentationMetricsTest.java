package io.github.sssfiji.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.morph.BinaryMorphology;

class SegmentationMetricsTest {

	private static final double EXACT = 1e-12;

	@Test
	void anisotropicTwoDimensionalByHand() {
		// dims [6, 5], spacing sx = 0.5, sy = 2. Reference: the 3x3 square x 1..3, y 1..3.
		// Prediction: the 4x3 rectangle x 1..4, y 1..3 plus a stray voxel at (5, 0) (corner contact only).
		final boolean[] reference = picture("......|.###..|.###..|.###..|......");
		final boolean[] prediction = picture(".....#|.####.|.####.|.####.|......");
		// |P| = 13, |R| = 9, |P∩R| = 9: Dice = 18 / 22 = 9/11, Jaccard = 9 / 13
		// reference surface: the ring of the square (8 voxels, (2,2) is interior)
		// prediction surface: the rectangle minus its interior (2,2), (3,2) -> 10 voxels, plus (5,0) -> 11
		// prediction -> reference: (5,0) to (3,1): sqrt(2*0.5)^2 + (1*2)^2) = sqrt(5);
		// (4,1), (4,2), (4,3) to x = 3: 0.5 each; the other 7 lie on the reference ring: 0.
		// sum = 1.5 + sqrt(5), mean over 11 = ASD
		// reference -> prediction: (3,2) is interior to the prediction, nearest surface (4,2) at 0.5;
		// the other 7 ring voxels are on the prediction surface: mean = 0.5 / 8 = 0.0625
		// pooled, sorted (19 values): 14 zeros, four 0.5, sqrt(5); position 18 * 0.95 = 17.1 lies
		// between 0.5 and sqrt(5): HD95 = 0.5 + (sqrt(5) - 0.5) * 0.1
		final ClassMetrics m = SegmentationMetrics.computeBinary(prediction, reference, new int[] { 6, 5 }, new double[] { 0.5, 2 });
		final double asd = (1.5 + Math.sqrt(5)) / 11;
		assertEquals(9.0 / 11, m.dice(), EXACT);
		assertEquals(9.0 / 13, m.jaccard(), EXACT);
		assertEquals(0.5 + (Math.sqrt(5) - 0.5) * 0.1, m.hd95(), EXACT);
		assertEquals(asd, m.asd(), EXACT);
		assertEquals((asd + 0.0625) / 2, m.assd(), EXACT);
		// swapping the roles keeps Dice, Jaccard, HD95 and ASSD and makes ASD the other direction
		final ClassMetrics swapped = SegmentationMetrics.computeBinary(reference, prediction, new int[] { 6, 5 }, new double[] { 0.5, 2 });
		assertEquals(m.hd95(), swapped.hd95(), EXACT);
		assertEquals(0.0625, swapped.asd(), EXACT);
		assertEquals(m.assd(), swapped.assd(), EXACT);
		// the directed distances themselves, in raster order of the prediction surface
		final double[] directed = SegmentationMetrics.surfaceDistances(BinaryMorphology.surface(prediction, new int[] { 6, 5 }),
			BinaryMorphology.surface(reference, new int[] { 6, 5 }), new int[] { 6, 5 }, new double[] { 0.5, 2 });
		assertArrayEquals(new double[] { Math.sqrt(5), 0, 0, 0, 0.5, 0, 0.5, 0, 0, 0, 0.5 }, directed, EXACT);
	}

	@Test
	void rejectsMismatchedArrays() {
		assertThrows(IllegalArgumentException.class,
			() -> SegmentationMetrics.computeBinary(new boolean[6], new boolean[5], new int[] { 3, 2 }, new double[] { 1, 1 }));
		assertThrows(IllegalArgumentException.class,
			() -> SegmentationMetrics.computeBinary(new boolean[6], new boolean[6], new int[] { 3, 2 }, new double[] { 1 }));
		assertThrows(IllegalArgumentException.class,
			() -> SegmentationMetrics.compute(new int[6], new int[4], new int[] { 3, 2 }, new double[] { 1, 1 }, 1));
	}

	@Test
	void anisotropicThreeDimensionalByHand() {
		// dims [4, 4, 3], spacing (1, 1, 3). Reference: 2x2 square x 1..2, y 1..2 on slice z = 0;
		// prediction: 3x2 rectangle x 1..3, y 1..2 on slice z = 2. A one-slice object erodes to nothing
		// (its z neighbours are background), so every voxel is surface. No overlap: Dice = Jaccard = 0.
		// prediction -> reference: x 1..2 straight down 2 slices = 6; x = 3 to (2, y, 0): sqrt(1 + 36)
		// four 6 and two sqrt(37): ASD = (24 + 2 sqrt(37)) / 6 = 4 + sqrt(37) / 3
		// reference -> prediction: all straight up, 6: mean 6; ASSD = (4 + sqrt(37)/3 + 6) / 2
		// pooled (10): eight 6, two sqrt(37); position 9 * 0.95 = 8.55 between two sqrt(37): HD95 = sqrt(37)
		final int[] dims = { 4, 4, 3 };
		final boolean[] reference = new boolean[48], prediction = new boolean[48];
		for (int y = 1; y <= 2; y++) {
			for (int x = 1; x <= 2; x++)
				reference[(0 * 4 + y) * 4 + x] = true;
			for (int x = 1; x <= 3; x++)
				prediction[(2 * 4 + y) * 4 + x] = true;
		}
		final ClassMetrics m = SegmentationMetrics.computeBinary(prediction, reference, dims, new double[] { 1, 1, 3 });
		assertEquals(0, m.dice());
		assertEquals(0, m.jaccard());
		assertEquals(Math.sqrt(37), m.hd95(), EXACT);
		assertEquals(4 + Math.sqrt(37) / 3, m.asd(), EXACT);
		assertEquals((4 + Math.sqrt(37) / 3 + 6) / 2, m.assd(), EXACT);
	}

	@Test
	void identicalMasksHaveZeroDistances() {
		// a 3x3x3 cube with an interior voxel in a 5x5x5 volume, anisotropic spacing
		final boolean[] cube = new boolean[125];
		for (int z = 1; z <= 3; z++)
			for (int y = 1; y <= 3; y++)
				for (int x = 1; x <= 3; x++)
					cube[(z * 5 + y) * 5 + x] = true;
		final ClassMetrics m = SegmentationMetrics.computeBinary(cube, cube.clone(), new int[] { 5, 5, 5 }, new double[] { 0.5, 0.5, 2 });
		assertEquals(new ClassMetrics(1, 1, 0, 0, 0), m);
	}

	@Test
	void emptyPredictionHasUndefinedDistances() {
		final boolean[] reference = picture("....|.##.|....");
		final ClassMetrics m = SegmentationMetrics.computeBinary(new boolean[12], reference, new int[] { 4, 3 }, new double[] { 1, 1 });
		assertEquals(0, m.dice());
		assertEquals(0, m.jaccard());
		assertTrue(Double.isNaN(m.hd95()));
		assertTrue(Double.isNaN(m.asd()));
		assertTrue(Double.isNaN(m.assd()));
		assertFalse(m.hasSurfaceDistances());
		// and the other way round
		final ClassMetrics reverse = SegmentationMetrics.computeBinary(reference, new boolean[12], new int[] { 4, 3 }, new double[] { 1, 1 });
		assertEquals(0, reverse.dice());
		assertTrue(Double.isNaN(reverse.hd95()));
	}

	@Test
	void bothEmptyIsPerfectOverlapWithoutDistances() {
		final ClassMetrics m = SegmentationMetrics.computeBinary(new boolean[12], new boolean[12], new int[] { 4, 3 }, new double[] { 1, 1 });
		assertEquals(1, m.dice());
		assertEquals(1, m.jaccard());
		assertTrue(Double.isNaN(m.hd95()));
		assertTrue(Double.isNaN(m.asd()));
		assertTrue(Double.isNaN(m.assd()));
	}

	@Test
	void labelsSelectTheClass() {
		// class 2 of these label rows is the binary pair ".##." vs "..##": |P∩R| = 1, Dice = 2/4
		final int[] prediction = { 1, 2, 2, 0 };
		final int[] reference = { 1, 1, 2, 2 };
		final ClassMetrics two = SegmentationMetrics.compute(prediction, reference, new int[] { 4 }, new double[] { 1 }, 2);
		assertEquals(0.5, two.dice(), 0);
		assertEquals(1.0 / 3, two.jaccard(), EXACT);
		// class 1: P = {0}, R = {0, 1}: Dice = 2/3; 1-D surfaces: P {0}, R {0, 1}; P->R 0; R->P 0, 1
		final ClassMetrics one = SegmentationMetrics.compute(prediction, reference, new int[] { 4 }, new double[] { 1 }, 1);
		assertEquals(2.0 / 3, one.dice(), EXACT);
		assertEquals(0, one.asd(), 0);
		assertEquals(0.25, one.assd(), EXACT); // (0 + 0.5) / 2
		// pooled sorted 0, 0, 1: position 2 * 0.95 = 1.9 -> 0 + (1 - 0) * 0.9
		assertEquals(0.9, one.hd95(), EXACT);
	}

	@Test
	void percentileInterpolatesLikeNumpy() {
		// numpy.percentile([0, 1, 2, 3, 10], 95): position 4 * 0.95 = 3.8 -> 3 + (10 - 3) * 0.8 = 8.6
		assertEquals(8.6, SegmentationMetrics.percentileOfSorted(new double[] { 0, 1, 2, 3, 10 }, 95), EXACT);
		// position 0.95 between 1 and 2 -> 1.95; a single value is its own percentile
		assertEquals(1.95, SegmentationMetrics.percentileOfSorted(new double[] { 1, 2 }, 95), EXACT);
		assertEquals(4.5, SegmentationMetrics.percentileOfSorted(new double[] { 4.5 }, 95), 0);
		// position 19 * 0.95 = 18.05: 18 + 1 * 0.05
		final double[] ramp = new double[20];
		for (int i = 0; i < ramp.length; i++)
			ramp[i] = i;
		assertEquals(18.05, SegmentationMetrics.percentileOfSorted(ramp, 95), EXACT);
	}

	@Test
	void matchesMedpyOnRandomAnisotropicVolumes() throws IOException {
		final JsonObject fixture = EvalFixtures.load(getClass(), "medpy_reference.json");
		int checked = 0;
		for (final JsonElement element : fixture.getAsJsonArray("cases")) {
			final EvalFixtures.MedpyCase c = EvalFixtures.medpyCase(element.getAsJsonObject());
			for (final Map.Entry<Integer, ClassMetrics> expected : c.scores().entrySet()) {
				final ClassMetrics actual = SegmentationMetrics.compute(c.prediction(), c.reference(), c.dims(), c.spacing(), expected.getKey());
				EvalFixtures.assertClose(expected.getValue(), actual, c.dims().length + "-D class " + expected.getKey());
				checked++;
			}
		}
		assertEquals(12, checked);
	}

	/** '#' foreground, '.' background, rows separated by '|', first row y = 0. */
	static boolean[] picture(final String rows) {
		final String bits = rows.replace("|", "");
		final boolean[] out = new boolean[bits.length()];
		for (int i = 0; i < out.length; i++)
			out[i] = bits.charAt(i) == '#';
		return out;
	}

	/** The all-classes Dice of validation is, class for class and bit for bit, the Dice of {@code compute}. */
	@Test
	void diceOfEveryClassEqualsTheDiceOfEachClass() {
		final java.util.Random random = new java.util.Random(3);
		final int[] dims = { 9, 7, 4 };
		final int n = 9 * 7 * 4;
		final int[] prediction = new int[n], reference = new int[n];
		for (int i = 0; i < n; i++) {
			prediction[i] = random.nextInt(4);
			reference[i] = random.nextInt(3);
		}
		final double[] all = SegmentationMetrics.dice(prediction, reference, 5);
		for (int c = 0; c < 5; c++)
			assertEquals(SegmentationMetrics.compute(prediction, reference, dims, new double[] { 1, 1, 1 }, c).dice(), all[c], 0, "class " + c);
		// class 4 appears in neither map; class 3 only in the prediction
		assertEquals(1, all[4]);
		assertEquals(0, all[3]);
		// labels outside [0, classes) count for no class
		assertEquals(SegmentationMetrics.compute(prediction, reference, dims, new double[] { 1, 1, 1 }, 1).dice(), SegmentationMetrics.dice(prediction, reference, 2)[1], 0);
	}
}
