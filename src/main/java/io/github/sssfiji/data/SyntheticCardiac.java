package io.github.sssfiji.data;

import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImgs;

import io.github.sssfiji.io.MedicalImage;

/**
 * Deterministic synthetic short-axis cardiac MRI volumes with ACDC-style labels, for examples and
 * tests that must run without patient data.
 * <p>
 * Each case is a 128 x 128 x (10..14) volume with spacing 1.5 x 1.5 x 8 mm, slice 0 at the base
 * and the last slice at the apex. Labels follow ACDC: {@value #RV} right-ventricular cavity (a
 * crescent against the septum), {@value #MYOCARDIUM} left-ventricular myocardium (a ring),
 * {@value #LV} left-ventricular cavity, papillary muscles included. Towards the apex the LV cavity
 * shrinks and the RV disappears. Cases differ in heart position, tilt along z, radii, wall
 * thickness, ellipticity, rotation, RV size and extent, and surroundings.
 * </p>
 * <p>
 * Intensities imitate cine bSSFP: bright blood pools, dark myocardium with a thin RV wall, bright
 * epicardial and subcutaneous fat, mid-grey chest wall, liver towards the apex, dark lungs, a bright
 * descending aorta, the spine and random tissue blobs. Edges are softened by a Gaussian blur
 * (partial volume), then a smooth multiplicative bias field (coil sensitivity) and Rician noise are
 * applied, and each volume is scaled to [0, 1] by its minimum and maximum as in the ACDC HDF5 files.
 * </p>
 * <p>
 * The same seed and case index give bit-identical volumes on every platform ({@link StrictMath},
 * {@link SplittableRandom}).
 * </p>
 */
public final class SyntheticCardiac {

	public static final int SIZE_X = 128;
	public static final int SIZE_Y = 128;
	public static final int MIN_SLICES = 10;
	public static final int MAX_SLICES = 14;
	/** Voxel spacing x, y, z in mm. */
	public static final double[] SPACING = { 1.5, 1.5, 8 };

	public static final int BACKGROUND = 0;
	public static final int RV = 1;
	public static final int MYOCARDIUM = 2;
	public static final int LV = 3;

	/** A generated image (float32 in [0, 1]) and its label volume (uint8), same shape and spacing. */
	public record Case(MedicalImage image, MedicalImage label) {}

	private SyntheticCardiac() {
		// static utility
	}

	/**
	 * Case {@code caseIndex} of the series defined by {@code seed}; named {@code synthetic_NNN}, its
	 * label {@code synthetic_NNN_gt}.
	 */
	public static Case generate(final long seed, final int caseIndex) {
		final SplittableRandom random = new SplittableRandom(mix(seed, caseIndex));
		final Anatomy anatomy = new Anatomy(random);
		final int nz = anatomy.slices;
		final int planeSize = SIZE_X * SIZE_Y;
		final float[] image = new float[planeSize * nz];
		final byte[] labels = new byte[planeSize * nz];
		final float[] plane = new float[planeSize];
		final boolean[] liverAllowed = new boolean[planeSize];
		final float[] surroundings = anatomy.surroundings(liverAllowed);
		for (int z = 0; z < nz; z++) {
			anatomy.paintSlice(z, surroundings, liverAllowed, plane, labels, z * planeSize);
			gaussianBlur(plane, SIZE_X, SIZE_Y, 0.7);
			System.arraycopy(plane, 0, image, z * planeSize, planeSize);
		}
		anatomy.applyBiasField(image, nz);
		addRicianNoise(image, anatomy.noiseSigma, random);
		normaliseToUnitRange(image);
		final String name = String.format("synthetic_%03d", caseIndex);
		final long[] dims = { SIZE_X, SIZE_Y, nz };
		return new Case(new MedicalImage(name, "synthetic", ArrayImgs.floats(image, dims), SPACING, null),
			new MedicalImage(name + "_gt", "synthetic", ArrayImgs.unsignedBytes(labels, dims), SPACING, null));
	}

	/** The random parameters of one case and how they paint a slice. */
	private static final class Anatomy {

		final int slices;
		final double noiseSigma;
		// heart
		final double centreX, centreY, driftX, driftY;
		final double endoRadius, wallThickness, ellipticity, ellipseAngle, lobe3, lobe3Phase;
		final double rvAngle, rvThickness, rvSpread, rvEnd;
		final double papillaryRadius;
		final double fatArcStart, fatArcLength;
		// surroundings
		final double bodyX, bodyY, bodyRx, bodyRy;
		final double lungRx, lungRy;
		final double[][] blobs, texture;
		// intensities
		final double blood, rvBlood, myocardium, fat, tissue, lung, liver;
		final double[] bias;

		Anatomy(final SplittableRandom r) {
			slices = MIN_SLICES + r.nextInt(MAX_SLICES - MIN_SLICES + 1);
			noiseSigma = uniform(r, 0.015, 0.04);
			centreX = 66 + uniform(r, -6, 6);
			centreY = 58 + uniform(r, -6, 6);
			driftX = uniform(r, -6, 6);
			driftY = uniform(r, -6, 6);
			endoRadius = uniform(r, 10.5, 15);
			wallThickness = uniform(r, 4.5, 7);
			ellipticity = uniform(r, 0, 0.12);
			ellipseAngle = uniform(r, 0, Math.PI);
			lobe3 = uniform(r, 0, 0.04);
			lobe3Phase = uniform(r, 0, 2 * Math.PI);
			// the RV lies to the image left of the LV and a little anterior (up)
			rvAngle = Math.PI + uniform(r, -0.25, 0.45);
			rvThickness = uniform(r, 6, 11);
			rvSpread = uniform(r, 0.95, 1.2);
			rvEnd = uniform(r, 0.72, 0.88);
			papillaryRadius = uniform(r, 1.1, 1.7);
			fatArcStart = uniform(r, 0, 2 * Math.PI);
			fatArcLength = uniform(r, 1.5, 3.5);
			// the field of view is a crop around the heart: the chest is wider than the image
			bodyX = 64 + uniform(r, -4, 4);
			bodyY = 76 + uniform(r, -3, 3);
			bodyRx = uniform(r, 74, 86);
			bodyRy = uniform(r, 58, 64);
			lungRx = uniform(r, 15, 20);
			lungRy = uniform(r, 28, 36);
			texture = new double[6][];
			for (int i = 0; i < texture.length; i++) {
				final double angle = uniform(r, 0, Math.PI), wavelength = uniform(r, 10, 40);
				texture[i] = new double[] { 2 * Math.PI / wavelength * StrictMath.cos(angle), 2 * Math.PI / wavelength * StrictMath.sin(angle),
					uniform(r, 0, 2 * Math.PI), uniform(r, 0.02, 0.05) };
			}
			blobs = new double[3 + r.nextInt(3)][];
			for (int i = 0; i < blobs.length; i++) {
				final double angle = uniform(r, 0, 2 * Math.PI);
				final double distance = uniform(r, 0.35, 0.75);
				blobs[i] = new double[] { bodyX + distance * bodyRx * StrictMath.cos(angle), bodyY + distance * bodyRy * StrictMath.sin(angle),
					uniform(r, 4, 9), uniform(r, 3, 7), uniform(r, 0, Math.PI), uniform(r, 0.15, 0.55) };
			}
			blood = uniform(r, 0.85, 0.95);
			rvBlood = blood - uniform(r, 0.02, 0.08);
			myocardium = uniform(r, 0.18, 0.26);
			fat = uniform(r, 0.65, 0.8);
			tissue = uniform(r, 0.28, 0.36);
			lung = uniform(r, 0.03, 0.08);
			liver = uniform(r, 0.36, 0.44);
			bias = new double[6];
			for (int i = 0; i < bias.length; i++)
				bias[i] = uniform(r, -0.2, 0.2);
		}

		/** 0 at the base, 1 at the apex. */
		double depth(final int z) {
			return slices == 1 ? 0 : z / (slices - 1.0);
		}

		/**
		 * Chest wall, fat, lungs, blobs, spine and aorta: the same in every slice. Pixels the liver may
		 * take over (soft tissue inside the chest wall) are set in {@code liverAllowed}.
		 */
		float[] surroundings(final boolean[] liverAllowed) {
			final Ellipse body = new Ellipse(bodyX, bodyY, bodyRx, bodyRy, 0);
			final Ellipse rightLung = new Ellipse(bodyX - 48, bodyY - 4, lungRx, lungRy, 0.25);
			final Ellipse leftLung = new Ellipse(bodyX + 48, bodyY - 2, lungRx, lungRy, -0.25);
			// descending aorta and spine sit behind the heart (down, slightly right)
			final double aortaY = centreY + endoRadius + wallThickness + 22;
			final Ellipse aorta = new Ellipse(centreX + 8, aortaY, 5.5, 5.5, 0);
			final Ellipse spine = new Ellipse(centreX - 4, aortaY + 12, 8, 7, 0);
			final Ellipse[] blobShapes = new Ellipse[blobs.length];
			for (int b = 0; b < blobs.length; b++)
				blobShapes[b] = new Ellipse(blobs[b][0], blobs[b][1], blobs[b][2], blobs[b][3], blobs[b][4]);
			final float[] plane = new float[SIZE_X * SIZE_Y];
			for (int y = 0; y < SIZE_Y; y++) {
				for (int x = 0; x < SIZE_X; x++) {
					final double inBody = body.at(x, y);
					if (inBody >= 1) continue;
					double value = (inBody > 0.86 ? fat : tissue) * texture(x, y);
					for (int b = 0; b < blobs.length; b++)
						if (blobShapes[b].at(x, y) < 1) value = blobs[b][5];
					// lungs lie inside the rib cage, behind the chest wall
					final boolean inLung = inBody < 0.72 && (rightLung.at(x, y) < 1 || leftLung.at(x, y) < 1);
					if (inLung) value = lung;
					liverAllowed[y * SIZE_X + x] = inBody < 0.8 && !inLung && spine.at(x, y) >= 1.2 && aorta.at(x, y) >= 1.3;
					final double inSpine = spine.at(x, y);
					if (inSpine < 1) value = inSpine > 0.6 ? 0.15 : 0.5;
					if (aorta.at(x, y) < 1) value = blood * 0.9;
					plane[y * SIZE_X + x] = (float) value;
				}
			}
			return plane;
		}

		/** Paints the surroundings, the liver and the heart of slice z into plane and labels[offset...]. */
		void paintSlice(final int z, final float[] surroundings, final boolean[] liverAllowed, final float[] plane, final byte[] labels, final int offset) {
			System.arraycopy(surroundings, 0, plane, 0, plane.length);
			final double s = depth(z);
			final double liverReach = Math.max(0, (s - 0.35) / 0.65);
			if (liverReach > 0) {
				// the liver rises into the lower slices under the diaphragm
				final Ellipse liverShape = new Ellipse(bodyX - 24, bodyY + 26, 36 * liverReach + 1, 26 * liverReach + 1, 0.3);
				for (int y = 0; y < SIZE_Y; y++)
					for (int x = 0; x < SIZE_X; x++)
						if (liverShape.at(x, y) < 1 && liverAllowed[y * SIZE_X + x]) plane[y * SIZE_X + x] = (float) (liver * texture(y, x));
			}
			final double cx = centreX + s * driftX;
			final double cy = centreY + s * driftY;
			final double endo = endoRadius * (1 - 0.72 * StrictMath.pow(s, 1.3));
			final double wall = wallThickness * (1 - 0.2 * s);
			final double rvScale = Math.max(0, 1 - (s / rvEnd) * (s / rvEnd));
			final double epiMean = endo + wall;
			// RV cavity: an ellipse beyond the septum minus the LV; its outer reach is epi + rvThickness
			final double rvReach = epiMean + rvThickness * rvScale;
			final double rvA = 0.6 * epiMean + rvThickness * rvScale;
			final double rvB = epiMean * (0.85 + 0.45 * rvScale) * rvSpread;
			final double rvD = rvReach - rvA;
			final double rvWall = 2.2 / Math.max(rvA, 1);
			final double ux = StrictMath.cos(rvAngle), uy = StrictMath.sin(rvAngle);
			final double cos2a = StrictMath.cos(2 * ellipseAngle), sin2a = StrictMath.sin(2 * ellipseAngle);
			final double cos3p = StrictMath.cos(lobe3Phase), sin3p = StrictMath.sin(lobe3Phase);
			// papillary muscles: opposite the RV, near the free wall, in the basal two thirds
			final double[][] papillary = new double[2][];
			for (int m = 0; m < 2; m++) {
				final double angle = rvAngle + Math.PI + (m == 0 ? -0.75 : 0.75);
				papillary[m] = new double[] { 0.72 * endo * StrictMath.cos(angle), 0.72 * endo * StrictMath.sin(angle) };
			}
			final double papillaryR2 = s < 0.7 ? StrictMath.pow(papillaryRadius * endo / endoRadius, 2) : -1;
			for (int y = 0; y < SIZE_Y; y++) {
				for (int x = 0; x < SIZE_X; x++) {
					final double dx = x - cx, dy = y - cy;
					final double rho2 = dx * dx + dy * dy;
					final double rho = StrictMath.sqrt(rho2);
					// cos(2(phi - a)) and cos(3 phi + p) from the direction cosines, without atan2
					final double c = rho > 0 ? dx / rho : 1, sn = rho > 0 ? dy / rho : 0;
					final double cos2 = c * c - sn * sn, sin2 = 2 * c * sn;
					final double cos3 = 4 * c * c * c - 3 * c, sin3 = 3 * sn - 4 * sn * sn * sn;
					final double endoHere = endo * (1 + ellipticity * (cos2 * cos2a + sin2 * sin2a) + lobe3 * (cos3 * cos3p - sin3 * sin3p));
					final double epiHere = endoHere + wall * (1 + 0.12 * (c * ux + sn * uy));
					final int i = y * SIZE_X + x;
					int label = BACKGROUND;
					if (rho < endoHere) {
						label = LV;
						plane[i] = (float) (isPapillary(dx, dy, papillary, papillaryR2) ? myocardium * 1.8 : blood);
					}
					else if (rho < epiHere) {
						label = MYOCARDIUM;
						plane[i] = (float) myocardium;
					}
					else if (rvScale > 0) {
						final double rvU = dx * ux + dy * uy - rvD, rvV = -dx * uy + dy * ux;
						final double rvEllipse = (rvU * rvU) / (rvA * rvA) + (rvV * rvV) / (rvB * rvB);
						if (rvEllipse < 1) {
							label = RV;
							plane[i] = (float) rvBlood;
						}
						else if (rvEllipse < (1 + rvWall) * (1 + rvWall)) plane[i] = (float) (myocardium * 1.1);
					}
					if (label == BACKGROUND && rho >= epiHere && rho < epiHere + 1.8 && plane[i] != (float) (myocardium * 1.1) && inArc(StrictMath.atan2(dy, dx)))
						plane[i] = (float) fat;
					labels[offset + i] = (byte) label;
				}
			}
		}

		/** A smooth multiplicative texture of a few plane waves, about 0.8..1.2. */
		private double texture(final double x, final double y) {
			double t = 1;
			for (final double[] wave : texture)
				t += wave[3] * StrictMath.cos(wave[0] * x + wave[1] * y + wave[2]);
			return t;
		}

		private static boolean isPapillary(final double dx, final double dy, final double[][] centres, final double radius2) {
			for (final double[] centre : centres)
				if ((dx - centre[0]) * (dx - centre[0]) + (dy - centre[1]) * (dy - centre[1]) < radius2) return true;
			return false;
		}

		private boolean inArc(final double phi) {
			double d = phi - fatArcStart;
			d -= 2 * Math.PI * StrictMath.floor(d / (2 * Math.PI));
			return d < fatArcLength;
		}

		/** exp of a quadratic in normalised x and y plus a linear term in z: smooth, within about 0.5..2. */
		void applyBiasField(final float[] image, final int nz) {
			final double[] inPlane = new double[SIZE_X * SIZE_Y];
			for (int y = 0; y < SIZE_Y; y++) {
				final double v = 2.0 * y / (SIZE_Y - 1) - 1;
				for (int x = 0; x < SIZE_X; x++) {
					final double u = 2.0 * x / (SIZE_X - 1) - 1;
					inPlane[y * SIZE_X + x] = StrictMath.exp(bias[0] * u + bias[1] * v + bias[2] * u * v + bias[3] * u * u + bias[4] * v * v);
				}
			}
			for (int z = 0; z < nz; z++) {
				final double alongZ = StrictMath.exp(bias[5] * (2 * depth(z) - 1));
				for (int i = 0; i < inPlane.length; i++)
					image[z * inPlane.length + i] *= (float) (inPlane[i] * alongZ);
			}
		}
	}

	/** A rotated ellipse; {@link #at} is below 1 inside. */
	private static final class Ellipse {

		private final double cx, cy, cos, sin, rx2, ry2;

		Ellipse(final double cx, final double cy, final double rx, final double ry, final double angle) {
			this.cx = cx;
			this.cy = cy;
			this.cos = StrictMath.cos(angle);
			this.sin = StrictMath.sin(angle);
			this.rx2 = rx * rx;
			this.ry2 = ry * ry;
		}

		double at(final double x, final double y) {
			final double u = (x - cx) * cos + (y - cy) * sin, v = -(x - cx) * sin + (y - cy) * cos;
			return u * u / rx2 + v * v / ry2;
		}
	}

	private static double uniform(final SplittableRandom random, final double min, final double max) {
		return min + (max - min) * random.nextDouble();
	}

	/** Separable Gaussian blur with edges clamped, in place. */
	static void gaussianBlur(final float[] plane, final int width, final int height, final double sigma) {
		final int radius = (int) Math.ceil(3 * sigma);
		final double[] kernel = new double[2 * radius + 1];
		double sum = 0;
		for (int k = -radius; k <= radius; k++)
			sum += kernel[k + radius] = StrictMath.exp(-k * k / (2 * sigma * sigma));
		for (int k = 0; k < kernel.length; k++)
			kernel[k] /= sum;
		final float[] temp = new float[plane.length];
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++) {
				double acc = 0;
				for (int k = -radius; k <= radius; k++)
					acc += kernel[k + radius] * plane[y * width + Math.min(width - 1, Math.max(0, x + k))];
				temp[y * width + x] = (float) acc;
			}
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++) {
				double acc = 0;
				for (int k = -radius; k <= radius; k++)
					acc += kernel[k + radius] * temp[Math.min(height - 1, Math.max(0, y + k)) * width + x];
				plane[y * width + x] = (float) acc;
			}
	}

	/** Magnitude of the signal plus complex Gaussian noise, as in a magnitude MR image. */
	private static void addRicianNoise(final float[] image, final double sigma, final SplittableRandom random) {
		for (int i = 0; i < image.length; i++) {
			// Marsaglia's polar method: a pair of normals, with StrictMath for reproducibility
			double u, v, q;
			do {
				u = 2 * random.nextDouble() - 1;
				v = 2 * random.nextDouble() - 1;
				q = u * u + v * v;
			}
			while (q >= 1 || q == 0);
			final double scale = sigma * StrictMath.sqrt(-2 * StrictMath.log(q) / q);
			final double real = image[i] + u * scale;
			final double imaginary = v * scale;
			image[i] = (float) StrictMath.sqrt(real * real + imaginary * imaginary);
		}
	}

	private static void normaliseToUnitRange(final float[] image) {
		float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
		for (final float v : image) {
			min = Math.min(min, v);
			max = Math.max(max, v);
		}
		final float range = max > min ? max - min : 1;
		for (int i = 0; i < image.length; i++)
			image[i] = (image[i] - min) / range;
	}

	/** SplitMix64 finaliser of seed and index, so that neighbouring seeds and cases are unrelated. */
	private static long mix(final long seed, final int caseIndex) {
		long z = seed * 0x9E3779B97F4A7C15L + caseIndex * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}
}
