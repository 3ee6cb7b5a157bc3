package io.github.sssfiji.data;

import static io.github.sssfiji.data.SyntheticCardiac.LV;
import static io.github.sssfiji.data.SyntheticCardiac.MYOCARDIUM;
import static io.github.sssfiji.data.SyntheticCardiac.RV;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.sssfiji.data.SyntheticCardiac.Case;

class SyntheticCardiacTest {

	private static final int PLANE = SyntheticCardiac.SIZE_X * SyntheticCardiac.SIZE_Y;

	/** Labels and values of eight cases of one seed, shared by the anatomy checks. */
	private static int[][] labels;
	private static float[][] values;

	@BeforeAll
	static void generateCases() {
		labels = new int[8][];
		values = new float[8][];
		for (int c = 0; c < 8; c++) {
			final Case sample = SyntheticCardiac.generate(2024, c);
			labels[c] = sample.label().toLabelArray();
			values[c] = sample.image().toFloatArray();
		}
	}

	private static int count(final int[] labels, final int z, final int label) {
		int n = 0;
		for (int i = z * PLANE; i < (z + 1) * PLANE; i++)
			if (labels[i] == label) n++;
		return n;
	}

	@Test
	void sameSeedSameVolumesOtherSeedOthers() {
		final Case a = SyntheticCardiac.generate(42, 3);
		final Case b = SyntheticCardiac.generate(42, 3);
		assertArrayEquals(a.image().toFloatArray(), b.image().toFloatArray());
		assertArrayEquals(a.label().toLabelArray(), b.label().toLabelArray());
		final Case otherSeed = SyntheticCardiac.generate(43, 3);
		final Case otherCase = SyntheticCardiac.generate(42, 4);
		assertFalse(Arrays.equals(a.image().toFloatArray(), otherSeed.image().toFloatArray()));
		assertFalse(Arrays.equals(a.label().toLabelArray(), otherCase.label().toLabelArray()), "cases differ in shape, not only noise");
	}

	@Test
	void hasTheAdvertisedShapeSpacingAndRange() {
		for (int c = 0; c < 4; c++) {
			final Case sample = SyntheticCardiac.generate(7, c);
			final int[] dims = sample.image().dims();
			assertEquals(128, dims[0]);
			assertEquals(128, dims[1]);
			assertTrue(dims[2] >= 10 && dims[2] <= 14, "slices " + dims[2]);
			assertArrayEquals(dims, sample.label().dims());
			assertArrayEquals(new double[] { 1.5, 1.5, 8 }, sample.image().spacing());
			assertEquals(String.format("synthetic_%03d", c), sample.image().name());
			assertEquals(sample.image().name() + "_gt", sample.label().name());
			final float[] values = sample.image().toFloatArray();
			double min = 1, max = 0;
			for (final float v : values) {
				min = Math.min(min, v);
				max = Math.max(max, v);
			}
			assertEquals(0, min, 0, "normalised: minimum 0");
			assertEquals(1, max, 1e-6, "normalised: maximum 1");
		}
	}

	@Test
	void anatomyFollowsTheHeartFromBaseToApex() {
		for (int c = 0; c < 8; c++) {
			final int[] labels = SyntheticCardiacTest.labels[c];
			final int nz = labels.length / PLANE;
			final int mid = nz / 2;
			for (final int label : new int[] { RV, MYOCARDIUM, LV })
				assertTrue(count(labels, mid, label) > 50, "case " + c + ": label " + label + " in the mid slice");
			assertEquals(0, count(labels, nz - 1, RV), "case " + c + ": no RV at the apex");
			assertTrue(count(labels, 0, RV) > count(labels, mid, RV), "case " + c + ": RV shrinks towards the apex");
			for (int z = 1; z < nz; z++)
				assertTrue(count(labels, z, LV) < count(labels, z - 1, LV), "case " + c + ": LV area decreases at slice " + z);
			for (int z = 0; z < nz; z++)
				assertTrue(count(labels, z, MYOCARDIUM) > 0, "case " + c + ": myocardium in slice " + z);
		}
	}

	@Test
	void myocardiumSurroundsTheLeftVentricle() {
		final int w = SyntheticCardiac.SIZE_X, h = SyntheticCardiac.SIZE_Y;
		for (int c = 0; c < 8; c++) {
			final int[] labels = SyntheticCardiacTest.labels[c];
			final int nz = labels.length / PLANE;
			for (int z = 0; z < nz; z++)
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++) {
						if (labels[z * PLANE + y * w + x] != LV) continue;
						assertTrue(x > 0 && y > 0 && x < w - 1 && y < h - 1, "LV touches the border");
						for (final int n : new int[] { -1, 1, -w, w }) {
							final int neighbour = labels[z * PLANE + y * w + x + n];
							assertTrue(neighbour == LV || neighbour == MYOCARDIUM,
								"case " + c + " slice " + z + ": LV pixel " + x + "," + y + " next to label " + neighbour);
						}
					}
		}
	}

	@Test
	void bloodIsBrighterThanMyocardium() {
		for (int c = 0; c < 8; c++) {
			final int[] labels = SyntheticCardiacTest.labels[c];
			final float[] values = SyntheticCardiacTest.values[c];
			final double[] sum = new double[4];
			final int[] n = new int[4];
			for (int i = 0; i < labels.length; i++) {
				sum[labels[i]] += values[i];
				n[labels[i]]++;
			}
			final double lv = sum[LV] / n[LV], myo = sum[MYOCARDIUM] / n[MYOCARDIUM], rv = sum[RV] / n[RV];
			assertTrue(lv > myo + 0.2, "case " + c + ": LV " + lv + " vs myocardium " + myo);
			assertTrue(rv > myo + 0.2, "case " + c + ": RV " + rv + " vs myocardium " + myo);
		}
	}
}
