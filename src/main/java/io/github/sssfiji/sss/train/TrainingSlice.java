package io.github.sssfiji.sss.train;

import java.util.BitSet;

import io.github.sssfiji.sss.SlicePrompts;

/**
 * One 2-D training slice in memory: the normalised image (flat, x fastest), its labels when it has
 * them, and for unlabelled slices of a volume what the latest PCSW refresh left on it, in the slice's
 * own coordinates (before any augmentation): the rejected pixels, PCSW's prompts, and the
 * propagated pseudo-labels ({@link PseudoLabels#PROPAGATED}).
 */
public final class TrainingSlice {

	private final String name;
	private final float[] image;
	private final int[] labels;
	private final int width, height;
	private volatile BitSet rejected;
	private volatile SlicePrompts prompts;
	private volatile Propagated propagated;

	/**
	 * Pseudo-labels the prompted teacher gave a slice at a refresh: the label per pixel and whether
	 * its confidence reached the threshold.
	 */
	public record Propagated(byte[] labels, BitSet confident) {

		/** The label of pixel {@code i}. */
		public int label(final int i) {
			return labels[i] & 0xff;
		}
	}

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

	/** PCSW's prompts on this slice at its latest refresh (one slice, the slice's pixel coordinates), or {@code null}. */
	public SlicePrompts prompts() {
		return prompts;
	}

	public void setPrompts(final SlicePrompts prompts) {
		this.prompts = prompts;
	}

	/** The propagated pseudo-labels of the latest refresh, or {@code null}. */
	public Propagated propagated() {
		return propagated;
	}

	public void setPropagated(final Propagated propagated) {
		this.propagated = propagated;
	}
}
