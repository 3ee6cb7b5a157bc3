package io.github.sssfiji.command;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;

import io.github.sssfiji.sss.pcsw.PcswParameter;
import io.github.sssfiji.sss.pcsw.PcswParameters;

/**
 * The PCSW thresholds as command parameters, shared by the image and the folder variants of
 * {@code SSS Generate Prompts (PCSW)}. The fields are named by {@link PcswParameter#key()} (the macro
 * keys) and start at its defaults.
 */
public abstract class AbstractPcswCommand implements Command {

	/** {@link io.github.sssfiji.sss.pcsw.PcswRule}'s words; a test checks them against {@link PcswParameter#choices()}. */
	@Parameter(label = "Rule (chains: ours; continuity: the authors' released rule)", choices = { "chains", "continuity" })
	String rule = (String) PcswParameter.RULE.defaultValue();

	@Parameter(label = "Window length (slices)", min = "1")
	int window = (int) PcswParameter.WINDOW.defaultValue();

	@Parameter(label = "Minimum support (slices)", min = "1")
	int min_support = (int) PcswParameter.MIN_SUPPORT.defaultValue();

	@Parameter(label = "Minimum component area (pixels)", min = "1")
	int min_area = (int) PcswParameter.MIN_AREA.defaultValue();

	@Parameter(label = "IoU threshold", min = "0", max = "1", stepSize = "0.05")
	double iou = (double) PcswParameter.IOU.defaultValue();

	@Parameter(label = "Maximum centroid distance (mm, or pixels without spacing)", min = "0")
	double d_max = (double) PcswParameter.D_MAX.defaultValue();

	@Parameter(label = "Maximum area ratio", min = "1")
	double area_ratio = (double) PcswParameter.AREA_RATIO.defaultValue();

	@Parameter(label = "Prompt every n-th slice", min = "1")
	int prompt_freq = (int) PcswParameter.PROMPT_FREQ.defaultValue();

	@Parameter(label = "Confidence threshold", min = "0", max = "1", stepSize = "0.01")
	double confidence = (double) PcswParameter.CONFIDENCE.defaultValue();

	@Parameter(label = "One structure per class (e.g. cardiac)", required = false)
	boolean single_instance = (boolean) PcswParameter.SINGLE_INSTANCE.defaultValue();

	/**
	 * The thresholds, validated (an invalid value raises an error naming the parameter). Each
	 * {@link PcswParameter} is read from the field of its key, so the macro keys are the parameters' keys.
	 */
	protected PcswParameters parameters() {
		final PcswParameters.Builder b = PcswParameters.builder();
		for (final PcswParameter p : PcswParameter.values()) {
			try {
				p.set(b, AbstractPcswCommand.class.getDeclaredField(p.key()).get(this));
			}
			catch (final NoSuchFieldException | IllegalAccessException e) {
				throw new IllegalStateException("PCSW parameter " + p.key() + " has no field in " + AbstractPcswCommand.class.getSimpleName(), e);
			}
		}
		return b.build();
	}
}
