package io.github.sssfiji.command;

import java.awt.GraphicsEnvironment;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.macro.Interpreter;
import ij.plugin.frame.RoiManager;
import io.github.sssfiji.ij1.PcswImages;
import io.github.sssfiji.ij1.PromptRois;
import io.github.sssfiji.sss.pcsw.PcswResult;

/**
 * {@code Plugins > Segmentation > SSS > SSS Generate Prompts (PCSW)}: physically constrained filtering
 * of a label or probability stack, with the SAM-2 prompts as ROIs (a rectangle and a point per class
 * and slice, named {@code class-slice}) as an overlay of the filtered image and, when used interactively,
 * in the ROI Manager.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Generate Prompts (PCSW)", headless = true)
public class GeneratePromptsCommand extends AbstractPcswCommand {

	@Parameter(label = "Label or probability stack")
	ImagePlus input;

	@Parameter(required = false)
	LogService log;

	@Parameter(type = ItemIO.OUTPUT)
	ImagePlus filtered;

	@Override
	public void run() {
		final PcswResult result = PcswImages.run(input, parameters());
		filtered = PcswImages.labels(result, input, input.getShortTitle() + "-pcsw");
		// the overlay travels with the image (saved TIFFs, batch-mode macros); the ROI Manager is for interactive use
		filtered.setOverlay(PromptRois.overlay(result.prompts()));
		if (!GraphicsEnvironment.isHeadless() && !Interpreter.isBatchMode()) {
			final RoiManager manager = RoiManager.getRoiManager();
			for (final Roi roi : PromptRois.of(result.prompts()))
				manager.addRoi(roi);
		}
		if (log != null) log.info("PCSW on " + input.getTitle() + ": " + result.chains().size() + " chains, " + result.prompts().size() + " prompts");
	}
}
