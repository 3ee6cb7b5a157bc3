package io.github.sssfiji.sss.pcsw;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A softmax probability volume like a teacher's output on a cardiac MRI: per foreground class one smooth
 * structure whose elliptic section drifts and changes size slowly along z (class 3 has two), plus noise blobs
 * that a network produces and physics rejects: isolated ones (one slice) and flickering ones (every other
 * slice). Layout {X, Y, Z, C}, x fastest, class 0 background.
 */
final class SyntheticProbabilities {

	/** An elliptic blob on slices z0..z1; centre and radii are linear in z. */
	record Blob(int classLabel, int z0, int z1, double cx0, double cy0, double cx1, double cy1, double r0, double r1, boolean noise) {

		double cx(final int z) {
			return z1 == z0 ? cx0 : cx0 + (cx1 - cx0) * (z - z0) / (z1 - z0);
		}

		double cy(final int z) {
			return z1 == z0 ? cy0 : cy0 + (cy1 - cy0) * (z - z0) / (z1 - z0);
		}

		double radius(final int z) {
			return z1 == z0 ? r0 : r0 + (r1 - r0) * (z - z0) / (z1 - z0);
		}
	}

	final int nx, ny, nz, classes;
	final float[] probabilities;
	final List<Blob> blobs;

	private SyntheticProbabilities(final int nx, final int ny, final int nz, final int classes, final float[] probabilities, final List<Blob> blobs) {
		this.nx = nx;
		this.ny = ny;
		this.nz = nz;
		this.classes = classes;
		this.probabilities = probabilities;
		this.blobs = blobs;
	}

	int[] dims() {
		return new int[] { nx, ny, nz, classes };
	}

	/** 4 classes (background and three structures), {@code nz} slices of nx x ny, noise from {@code seed}. */
	static SyntheticProbabilities cardiacLike(final int nx, final int ny, final int nz, final long seed) {
		final Random random = new Random(seed);
		final List<Blob> blobs = new ArrayList<>();
		final double sx = nx / 256.0, sy = ny / 256.0;
		final int first = nz / 6, last = nz - 1 - nz / 6;
		blobs.add(new Blob(1, first, last, 110 * sx, 120 * sy, 118 * sx, 128 * sy, 30 * sx, 14 * sx, false));
		blobs.add(new Blob(2, first + 1, last, 160 * sx, 120 * sy, 156 * sx, 126 * sy, 22 * sx, 10 * sx, false));
		blobs.add(new Blob(3, first, last - 2, 130 * sx, 190 * sy, 126 * sx, 184 * sy, 18 * sx, 9 * sx, false));
		blobs.add(new Blob(3, first + 2, last, 60 * sx, 60 * sy, 64 * sx, 64 * sy, 12 * sx, 9 * sx, false));
		// noise in a band of its own (x >= 195 of 256), on a grid 14 pixels apart so that no two blobs touch or
		// link: the expected decision is unambiguous
		for (int k = 0; k < 30; k++) {
			final int c = 1 + random.nextInt(3);
			final int z = random.nextInt(nz);
			final double cx = (k % 2 == 0 ? 207 : 234) * sx, cy = (20 + 14 * (k / 2)) * sy;
			final double r = (3 + random.nextInt(4)) * sx;
			if (k % 3 == 0) for (int zz = z % 2; zz < nz; zz += 2) // flickers on every other slice
				blobs.add(new Blob(c, zz, zz, cx, cy, cx, cy, r, r, true));
			else blobs.add(new Blob(c, z, z, cx, cy, cx, cy, r, r, true));
		}
		return new SyntheticProbabilities(nx, ny, nz, 4, render(nx, ny, nz, 4, blobs), blobs);
	}

	/** Logit 8 (1 - (d / r)^2) inside each blob of a class, softmax against background logit 0. */
	private static float[] render(final int nx, final int ny, final int nz, final int classes, final List<Blob> blobs) {
		final int n = nx * ny * nz;
		final float[] logits = new float[n * classes];
		java.util.Arrays.fill(logits, n, logits.length, -10f);
		for (final Blob b : blobs)
			for (int z = b.z0(); z <= b.z1(); z++) {
				final double cx = b.cx(z), cy = b.cy(z), r = b.radius(z);
				final int x0 = Math.max(0, (int) Math.floor(cx - 2 * r)), x1 = Math.min(nx - 1, (int) Math.ceil(cx + 2 * r));
				final int y0 = Math.max(0, (int) Math.floor(cy - 2 * r)), y1 = Math.min(ny - 1, (int) Math.ceil(cy + 2 * r));
				for (int y = y0; y <= y1; y++)
					for (int x = x0; x <= x1; x++) {
						final double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (r * r);
						final int i = b.classLabel() * n + (z * ny + y) * nx + x;
						logits[i] = (float) Math.max(logits[i], 8 * (1 - d2));
					}
			}
		final float[] p = new float[logits.length];
		for (int i = 0; i < n; i++) {
			double sum = 0;
			for (int c = 0; c < classes; c++)
				sum += Math.exp(logits[c * n + i]);
			for (int c = 0; c < classes; c++)
				p[c * n + i] = (float) (Math.exp(logits[c * n + i]) / sum);
		}
		return p;
	}
}
