package io.github.sssfiji.model.unet;

import java.util.Arrays;

/**
 * The shape of a {@link UNet}: input channels, classes, the channel count of each of the five
 * encoder levels, the dropout probability inside each encoder level, and the channels of the prompt
 * maps it reads (0 for a U-Net without prompts).
 */
public final class UNetConfig {

	/** Levels of the encoder (the input level and four down-sampling levels). */
	public static final int LEVELS = 5;

	private final int inChannels;
	private final int classes;
	private final int[] featureChannels;
	private final double[] dropout;
	private final int promptChannels;

	/**
	 * @throws IllegalArgumentException if a count is not positive, there are not {@value #LEVELS}
	 *           levels, or a dropout is outside [0, 1)
	 */
	public UNetConfig(final int inChannels, final int classes, final int[] featureChannels, final double[] dropout) {
		this(inChannels, classes, featureChannels, dropout, 0);
	}

	/**
	 * @param promptChannels channels of the prompt maps {@link UNet#decode(ai.djl.ndarray.NDList, ai.djl.ndarray.NDList, boolean)} reads;
	 *          0 for none
	 * @throws IllegalArgumentException if a count is not positive, there are not {@value #LEVELS}
	 *           levels, or a dropout is outside [0, 1)
	 */
	public UNetConfig(final int inChannels, final int classes, final int[] featureChannels, final double[] dropout, final int promptChannels) {
		if (promptChannels < 0) throw new IllegalArgumentException("promptChannels must be >= 0, got " + promptChannels);
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
		this.promptChannels = promptChannels;
	}

	/** The same U-Net reading {@code channels} channels of prompt maps. */
	public UNetConfig withPromptChannels(final int channels) {
		return new UNetConfig(inChannels, classes, featureChannels, dropout, channels);
	}

	/** Channels of the prompt maps the decoder reads; 0 for a U-Net without prompts. */
	public int promptChannels() {
		return promptChannels;
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
			", dropout=" + Arrays.toString(dropout) +
			(promptChannels > 0 ? ", prompts=" + promptChannels : "") + "]";
	}
}
