package io.github.sssfiji.sss.train;

import java.util.BitSet;

/**
 * One 2-D training slice in memory: the normalised image (flat, x fastest), its labels when it has
 * them, and for unlabelled slices of a volume the PCSW-rejected pixels of the latest refresh (in the
 * slice's own coordinates, before any augmentation).
 */
public final class TrainingSlice {

	private final String name;
	private final float[] image;
	private final int[] labels;
	private final int width, height;
	private volatile BitSet rejected;

	public TrainingSlice(final String name, final float[] image, final int[] labels, final int width, final int height) {
		if (image.length != width * height || labels != null && labels.length != image.length)
			throw new IllegalArgumentException(name + ": arrays do not fit " + width + " x " + height);
		this.name = name;
		this.image = image;
		this.labels = labels;
		this.width = width;
		this.height = height;
	}

	public String name() {
		return name;
	}

	/** Normalised intensities; shared, do not modify. */
	public float[] image() {
		return image;
	}

	/** Class labels, or {@code null} for an unlabelled slice; shared, do not modify. */
	public int[] labels() {
		return labels;
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	/** Pixels PCSW rejected at its latest refresh, or {@code null} when none are. */
	public BitSet rejected() {
		return rejected;
	}

	public void setRejected(final BitSet mask) {
		rejected = mask == null || mask.isEmpty() ? null : mask;
	}
}
