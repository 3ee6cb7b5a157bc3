package io.github.sssfiji.command;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.ij1.Sam2Images;
import io.github.sssfiji.ij1.Sam2RoiPrompt;
import io.github.sssfiji.model.sam2.predictor.Sam2ImagePredictor;
import io.github.sssfiji.model.sam2.predictor.Sam2ImagePredictor.Prediction;
import io.github.sssfiji.model.sam2.predictor.Sam2InteractiveModel;
import io.github.sssfiji.service.SssService;

/**
 * {@code Plugins > Segmentation > SSS > SSS Interactive SAM-2}: the points and rectangle of the
 * image's selection, or without a selection the ROI Manager's entries (the selected ones, else all) on
 * the displayed plane, prompt an imported SAM-2 model; the result is a binary mask of that plane with
 * the image's calibration. Negative points are those of a ROI named {@code neg...}, of multi-point
 * counter 1, or labelled 0 by the ROI property {@code sam2_labels} (see {@link Sam2RoiPrompt}). The model stays loaded in the {@link SssService}, and the
 * plane's encoding is kept, so further prompts on the same plane cost only the mask decoder.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Interactive SAM-2", headless = true)
public class InteractiveSam2Command implements Command {

	/** The name of the mask outline added to the image's overlay. */
	public static final String OVERLAY_NAME = "sam2-mask";

	@Parameter
	SssService sss;

	@Parameter(required = false)
	LogService log;

	@Parameter(label = "Image (current plane)")
	ImagePlus image;

	@Parameter(label = "SAM-2 model file (from SSS Import SAM-2 Weights)", style = "open")
	File model;

	@Parameter(label = "Three candidate masks, keep the best (for a single point)", required = false)
	boolean multimask = false;

	@Parameter(label = "Add the mask outline to the image's overlay", required = false)
	boolean overlay = true;

	@Parameter(type = ItemIO.OUTPUT)
	ImagePlus mask;

	@Parameter(type = ItemIO.OUTPUT)
	double iou_score;

	@Override
	public void run() {
		final Sam2RoiPrompt prompt = Sam2RoiPrompt.of(promptRois(), image.getWidth(), image.getHeight());
		final String name = model.getName().toLowerCase(Locale.ROOT);
		if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".npz")) throw new InvalidInputException("key 'model': " + model +
			" is a checkpoint; import it first with SSS Import SAM-2 Weights and give the model file it writes");
		final Sam2InteractiveModel sam2;
		try {
			sam2 = sss.model(model.toPath(), Sam2InteractiveModel.class, Sam2InteractiveModel::load);
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Interactive SAM-2: " + e.getMessage(), e);
		}
		final ImageProcessor plane = image.getProcessor();
		final Prediction prediction;
		final boolean encoded;
		final long start = System.nanoTime();
		synchronized (sam2) {
			final Sam2ImagePredictor predictor = sam2.predictor();
			encoded = Sam2Images.setImage(predictor, plane);
			prediction = predictor.predict(prompt.toPrompt(), multimask);
		}
		final double seconds = (System.nanoTime() - start) / 1e9;
		final int best = prediction.best();
		iou_score = prediction.iou[best];
		mask = Sam2Images.mask(prediction.mask(best), prediction.width(), prediction.height(), image.getShortTitle() + "-sam2", image.getCalibration());
		mask.setProperty("Info", String.format(Locale.ROOT, "SAM-2 mask of %s (plane %d), %s; predicted IoU %.4f, object score %.3f, model %s",
			image.getTitle(), image.getCurrentSlice(), prompt, iou_score, prediction.objectScore(), model));
		if (overlay) addOutline();
		if (log != null) log.info(String.format(Locale.ROOT, "SSS Interactive SAM-2: %s, plane %d: %s; mask %d of %d, predicted IoU %.4f, " +
			"object score %.3f; %s in %.2f s", image.getTitle(), image.getCurrentSlice(), prompt, best + 1, prediction.masks, iou_score,
			prediction.objectScore(), encoded ? "image encoded and decoded" : "encoding reused, decoded", seconds));
	}

	/** The image's selection; without one, the ROI Manager's selected (or all) entries on the displayed plane. */
	private List<Roi> promptRois() {
		final Roi selection = image.getRoi();
		if (selection != null) return List.of(selection);
		// a truly headless ImageJ has no ROI Manager: even the hidden one of batch mode is a Frame
		final RoiManager manager = GraphicsEnvironment.isHeadless() ? null : RoiManager.getInstance();
		if (manager != null && manager.getCount() > 0) {
			final List<Roi> rois = Sam2RoiPrompt.onCurrentPlane(manager.getSelectedRoisAsArray(), image);
			if (!rois.isEmpty()) return rois;
			throw new InvalidInputException("no ROI Manager entry lies on plane " + image.getCurrentSlice() + " of " + image.getTitle());
		}
		throw new InvalidInputException("no prompt on " + image.getTitle() + ": draw points (multi-point tool) or a rectangle" +
			(GraphicsEnvironment.isHeadless() ? " (makePoint, makeSelection or makeRectangle)"
				: ", or add them to the ROI Manager and remove the selection (Edit > Selection > Select None)"));
	}

	/** Adds the mask's outline to the input image's overlay, on the displayed plane (earlier outlines stay: one per object). */
	private void addOutline() {
		final ImageProcessor binary = mask.getProcessor().duplicate();
		binary.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
		final Roi outline = new ThresholdToSelection().convert(binary);
		if (outline == null) return; // an empty mask has no outline
		outline.setName(OVERLAY_NAME);
		outline.setStrokeColor(Color.YELLOW);
		if (image.isHyperStack()) outline.setPosition(image.getC(), image.getZ(), image.getT());
		else if (image.getStackSize() > 1) outline.setPosition(image.getCurrentSlice());
		final Overlay shown = image.getOverlay() != null ? image.getOverlay() : new Overlay();
		shown.add(outline);
		image.setOverlay(shown);
	}
}
