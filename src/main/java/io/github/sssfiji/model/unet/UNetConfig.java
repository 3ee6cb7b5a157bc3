package io.github.sssfiji.model.unet;

import java.util.Arrays;

/**
 * The shape of a {@link UNet}: input channels, classes, the channel count of each of the five
 * encoder levels, and the dropout probability inside each encoder level.
 */
public final class UNetConfig {

	/** Levels of the encoder (the input level and four down-sampling levels). */
	public static final int LEVELS = 5;

	private final int inChannels;
	private final int classes;
	private final int[] featureChannels;
	private final double[] dropout;

	/**
	 * @throws IllegalArgumentException if a count is not positive, there are not {@value #LEVELS}
	 *           levels, or a dropout is outside [0, 1)
	 */
	public UNetConfig(final int inChannels, final int classes, final int[] featureChannels, final double[] dropout) {
		if (inChannels < 1) throw new IllegalArgumentException("inChannels must be >= 1, got " + inChannels);
		if (classes < 2) throw new IllegalArgumentException("classes must be >= 2, got " + classes);
		if (featureChannels.length != LEVELS || dropout.length != LEVELS)
			throw new IllegalArgumentException("featureChannels and dropout need " + LEVELS + " values each, got " +
				featureChannels.length + " and " + dropout.length);
		for (int level = 0; level < LEVELS; level++) {
			if (featureChannels[level] < 1)
				throw new IllegalArgumentException("featureChannels[" + level + "] must be >= 1, got " + featureChannels[level]);
			if (!(dropout[level] >= 0 && dropout[level] < 1))
				throw new IllegalArgumentException("dropout[" + level + "] must be in [0, 1), got " + dropout[level]);
		}
		this.inChannels = inChannels;
		this.classes = classes;
		this.featureChannels = featureChannels.clone();
		this.dropout = dropout.clone();
	}

	/**
	 * UniMatch's medical U-Net: channels 16-32-64-128-256, encoder dropout 0.05-0.1-0.2-0.3-0.5
	 * (about 1.8 M parameters for one input channel and 4 classes, as for ACDC).
	 */
	public static UNetConfig uniMatch(final int inChannels, final int classes) {
		return new UNetConfig(inChannels, classes, new int[] { 16, 32, 64, 128, 256 },
			new double[] { 0.05, 0.1, 0.2, 0.3, 0.5 });
	}

	/** The ACDC setting: one grey input channel, 4 classes (background, RV, Myo, LV). */
	public static UNetConfig acdc() {
		return uniMatch(1, 4);
	}

	public int inChannels() {
		return inChannels;
	}

	public int classes() {
		return classes;
	}

	/** Channels of encoder level {@code level} (0 = full resolution). */
	public int channels(final int level) {
		return featureChannels[level];
	}

	/** Dropout probability inside encoder level {@code level}. */
	public double dropout(final int level) {
		return dropout[level];
	}

	@Override
	public String toString() {
		return "UNetConfig[in=" + inChannels + ", classes=" + classes + ", channels=" + Arrays.toString(featureChannels) +
			", dropout=" + Arrays.toString(dropout) + "]";
	}
}
