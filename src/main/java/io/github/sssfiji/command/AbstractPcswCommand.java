package io.github.sssfiji.command;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;

import io.github.sssfiji.sss.pcsw.PcswParameters;

/**
 * The PCSW thresholds as command parameters, shared by the image and the folder variants of
 * {@code SSS Generate Prompts (PCSW)}. Keys are the macro keys; defaults are those of
 * {@link PcswParameters#defaults()}.
 */
public abstract class AbstractPcswCommand implements Command {

	@Parameter(label = "Window length (slices)", min = "1")
	int window = 3;

	@Parameter(label = "Minimum support (slices)", min = "1")
	int min_support = 2;

	@Parameter(label = "Minimum component area (pixels)", min = "1")
	int min_area = 10;

	@Parameter(label = "IoU threshold", min = "0", max = "1", stepSize = "0.05")
	double iou = 0.1;

	@Parameter(label = "Maximum centroid distance (mm, or pixels without spacing)", min = "0")
	double d_max = 10;

	@Parameter(label = "Maximum area ratio", min = "1")
	double area_ratio = 3;

	@Parameter(label = "Prompt every n-th slice", min = "1")
	int prompt_freq = 2;

	@Parameter(label = "Confidence threshold", min = "0", max = "1", stepSize = "0.01")
	double confidence = 0.95;

	@Parameter(label = "One structure per class (e.g. cardiac)", required = false)
	boolean single_instance = false;

	/** The thresholds, validated (an invalid value raises an error naming the parameter). */
	protected PcswParameters parameters() {
		return PcswParameters.builder().windowLength(window).minSupport(min_support).minArea(min_area).iouThreshold(iou)
			.maxCentroidDistance(d_max).maxAreaRatio(area_ratio).promptFrequency(prompt_freq).confidenceThreshold(confidence)
			.singleInstance(single_instance).build();
	}
}
