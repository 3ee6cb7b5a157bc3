package io.github.sssfiji.io;

/**
 * The voxel-to-world matrices a NIfTI header describes, as 4×4 row-major arrays that map (i, j, k, 1)
 * to (x, y, z, 1). Formulas from the NIfTI-1 standard (nifti1.h); they agree with nibabel's
 * {@code get_qform()}, {@code get_sform()} and, except for the no-code fallback, {@code affine}.
 */
public final class NiftiGeometry {

	private NiftiGeometry() {}

	/**
	 * The qform matrix (method 2): rotation from the quaternion (b, c, d), scaled by the voxel size
	 * with the third axis multiplied by qfac, plus the qoffsets. It is computed whatever qform_code is.
	 *
	 * @param spacing voxel size of the first axes (pixdim[1..3]); missing axes count as 1
	 */
	public static double[][] qform(final NiftiHeader h, final double[] spacing) {
		double b = h.quaternB, c = h.quaternC, d = h.quaternD;
		double a = 1 - (b * b + c * c + d * d);
		if (a < 1e-7) {
			// a 180° rotation: nifti1_io renormalises (b, c, d) and takes a = 0
			final double norm = 1 / Math.sqrt(b * b + c * c + d * d);
			b *= norm;
			c *= norm;
			d *= norm;
			a = 0;
		}
		else a = Math.sqrt(a);
		final double dx = spacing.length > 0 ? spacing[0] : 1;
		final double dy = spacing.length > 1 ? spacing[1] : 1;
		final double dz = (spacing.length > 2 ? spacing[2] : 1) * (h.qfac < 0 ? -1 : 1);
		return new double[][] {
			{ (a * a + b * b - c * c - d * d) * dx, 2 * (b * c - a * d) * dy, 2 * (b * d + a * c) * dz, h.qoffsetX },
			{ 2 * (b * c + a * d) * dx, (a * a + c * c - b * b - d * d) * dy, 2 * (c * d - a * b) * dz, h.qoffsetY },
			{ 2 * (b * d - a * c) * dx, 2 * (c * d + a * b) * dy, (a * a + d * d - c * c - b * b) * dz, h.qoffsetZ },
			{ 0, 0, 0, 1 } };
	}

	/** The sform matrix (method 3): the srow_x, srow_y, srow_z rows. */
	public static double[][] sform(final NiftiHeader h) {
		return new double[][] { h.srowX.clone(), h.srowY.clone(), h.srowZ.clone(), { 0, 0, 0, 1 } };
	}

	/**
	 * The matrix a reader should use: the sform when sform_code &gt; 0, else the qform when
	 * qform_code &gt; 0, else the standard's method 1, {@code diag(spacing)}. (nibabel's fallback
	 * differs: it flips x and centres the volume, as ANALYZE did.)
	 */
	public static double[][] affine(final NiftiHeader h, final double[] spacing) {
		if (h.sformCode > 0) return sform(h);
		if (h.qformCode > 0) return qform(h, spacing);
		final double[][] m = new double[4][4];
		for (int i = 0; i < 3; i++)
			m[i][i] = i < spacing.length ? spacing[i] : 1;
		m[3][3] = 1;
		return m;
	}
}
