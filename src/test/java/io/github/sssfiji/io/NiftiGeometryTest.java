package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** {@link NiftiGeometry} on hand-computed cases (the nibabel comparison is in {@link NiftiReaderTest}). */
class NiftiGeometryTest {

	@Test
	void quaternionOfQuarterTurnAboutZ() {
		final NiftiHeader h = new NiftiHeader();
		h.quaternD = Math.sqrt(0.5); // rotation by 90° about z: (x, y) -> (-y, x)
		h.qoffsetX = 10;
		h.qoffsetY = 20;
		h.qoffsetZ = 30;
		h.qfac = -1;
		final double[][] m = NiftiGeometry.qform(h, new double[] { 2, 3, 4 });
		final double[][] expected = { { 0, -3, 0, 10 }, { 2, 0, 0, 20 }, { 0, 0, -4, 30 }, { 0, 0, 0, 1 } };
		for (int r = 0; r < 4; r++)
			assertArrayEquals(expected[r], m[r], 1e-12);
	}

	@Test
	void halfTurnQuaternionIsRenormalised() {
		final NiftiHeader h = new NiftiHeader();
		h.quaternB = 1; // 180° about x, stored with a = 0
		final double[][] m = NiftiGeometry.qform(h, new double[] { 1, 1, 1 });
		assertArrayEquals(new double[] { 1, 0, 0, 0 }, m[0], 1e-12);
		assertArrayEquals(new double[] { 0, -1, 0, 0 }, m[1], 1e-12);
		assertArrayEquals(new double[] { 0, 0, -1, 0 }, m[2], 1e-12);
	}

	@Test
	void affinePrefersSformThenQformThenSpacing() {
		final NiftiHeader h = new NiftiHeader();
		h.srowX = new double[] { 5, 0, 0, 1 };
		h.qoffsetX = 7;
		final double[] spacing = { 2, 3 };
		assertArrayEquals(new double[] { 2, 0, 0, 0 }, NiftiGeometry.affine(h, spacing)[0]);
		assertArrayEquals(new double[] { 0, 0, 1, 0 }, NiftiGeometry.affine(h, spacing)[2]);
		h.qformCode = 1;
		assertArrayEquals(new double[] { 2, 0, 0, 7 }, NiftiGeometry.affine(h, spacing)[0]);
		h.sformCode = 2;
		assertArrayEquals(new double[] { 5, 0, 0, 1 }, NiftiGeometry.affine(h, spacing)[0]);
	}
}
