package io.github.sssfiji.command;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.Duplicator;
import ij.plugin.filter.ThresholdToSelection;
import ij.plugin.frame.RoiManager;
import ij.process.ImageProcessor;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Preprocessing;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.ij1.RoiPrompts;
import io.github.sssfiji.ij1.Sam2Images;
import io.github.sssfiji.ij1.Sam2RoiPrompt;
import io.github.sssfiji.model.sam2.predictor.Sam2ImagePredictor;
import io.github.sssfiji.model.sam2.predictor.Sam2ImagePredictor.Prediction;
import io.github.sssfiji.model.sam2.predictor.Sam2InteractiveModel;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.modelfile.ModelInfo;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.Prompt;
import io.github.sssfiji.sss.predict.Propagation;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * {@code Plugins > Segmentation > SSS > SSS Interactive SAM-2}: the points and rectangle of the
 * image's selection, or without a selection the ROI Manager's entries (the selected ones, else all) on
 * the displayed plane, prompt an imported SAM-2 model; the result is a binary mask of that plane with
 * the image's calibration. Negative points are those of a ROI named {@code neg...}, of multi-point
 * counter 1, or labelled 0 by the ROI property {@code sam2_labels} (see {@link Sam2RoiPrompt}). The model stays loaded in the {@link SssService}, and the
 * plane's encoding is kept, so further prompts on the same plane cost only the mask decoder.
 * <p>
 * A trained {@code .sss} model that reads prompts (a SAM-2 backbone, or a U-Net trained with
 * pseudo-labels {@code prompted}) works as well, in the same command (same menu entry, macro name and
 * outputs): the ROIs on the plane are read by {@link RoiPrompts#onePlane} (one rectangle, the box, and
 * at most one positive point, its click, else the box's centre), prompting the class their names give,
 * else {@link #prompt_class}; the plane, normalised with its stack as in training, is decoded with
 * {@link SlicePredictor} and the mask is where that class wins the argmax. {@link #iou_score} is NaN
 * then (the model predicts no IoU) and {@link #multimask} has no effect. Each run decodes anew: the
 * U-Net's prompts enter at its input, so there is no encoding to keep.
 * </p>
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

	@Parameter(label = "Model file (.sam2.zip from SSS Import SAM-2 Weights, or a .sss that reads prompts)", style = "open")
	File model;

	/** For {@code .sss} models: named so because {@code class} is a Java keyword; the macro key is {@code prompt_class}. */
	@Parameter(label = "Class (.sss models; name or number; empty: the ROI's name, else the first foreground class)", required = false)
	String prompt_class = "";

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
		final List<Roi> rois = promptRois();
		if (model != null && ModelInfo.isSssFile(model.toPath())) {
			segmentWithSss(rois);
			if (overlay) addOutline();
			return;
		}
		final Sam2RoiPrompt prompt = Sam2RoiPrompt.of(rois, image.getWidth(), image.getHeight());
		final String name = model.getName().toLowerCase(Locale.ROOT);
		if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".npz")) throw new InvalidInputException("key 'model': " + model +
			" is a checkpoint; import it first with SSS Import SAM-2 Weights and give the model file it writes");
		final SssService.Lease<Sam2InteractiveModel> sam2;
		try {
			sam2 = sss.lease(model.toPath(), Sam2InteractiveModel.class, Sam2InteractiveModel::load);
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Interactive SAM-2: " + e.getMessage(), e);
		}
		final ImageProcessor plane = image.getProcessor();
		final Prediction prediction;
		final boolean encoded;
		final long start = System.nanoTime();
		// the predictor keeps the last image's encoding: one prediction at a time per model
		try (sam2) {
			synchronized (sam2.get()) {
				final Sam2ImagePredictor predictor = sam2.get().predictor();
				encoded = Sam2Images.setImage(predictor, plane);
				prediction = predictor.predict(prompt.toPrompt(), multimask);
			}
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

	/** {@link #mask} of a trained {@code .sss} model prompted by {@code rois} on the displayed plane. */
	void segmentWithSss(final List<Roi> rois) {
		final SssService.Lease<SssModel> lease;
		try {
			lease = sss.lease(model.toPath(), SssModel.class, SssModel::load);
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Interactive SAM-2: " + e.getMessage(), e);
		}
		try (lease) {
			segmentWithSss(lease.get(), rois);
		}
	}

	private void segmentWithSss(final SssModel net, final List<Roi> rois) {
		Propagation.requirePrompts(net.network(), model.getName());
		final List<String> classNames = net.classNames();
		final int classes = classNames.size();
		final List<Prompt> prompts = RoiPrompts.onePlane(rois, classNames, RoiPrompts.classParameter(prompt_class, classNames, "prompt_class"));
		final int w = image.getWidth(), h = image.getHeight();
		Propagation.checkPrompts(prompts, new int[] { w, h, 1 }, classes, "the prompt ROIs", image.getTitle() + " (plane " +
			image.getCurrentSlice() + ")");
		final int c = prompts.get(0).classLabel();
		for (final Prompt p : prompts)
			if (p.classLabel() != c) throw new InvalidInputException("the ROIs prompt the classes " + classNames.get(c) + " and " +
				classNames.get(p.classLabel()) + "; SSS Interactive SAM-2 segments one class per run (SSS Propagate takes several)");
		final float[] plane = normalisedPlane();
		final long start = System.nanoTime();
		final int[] argmax;
		try (NDManager root = sss.newManager()) {
			argmax = SlicePredictor.argmax(SlicePredictor.probabilities(net.network(), plane, new int[] { w, h, 1 }, net.inputSize(), 1,
				SlicePrompts.of(prompts, 1, classes), root), classes);
		}
		final boolean[] inside = new boolean[argmax.length];
		int area = 0;
		for (int i = 0; i < argmax.length; i++) {
			inside[i] = argmax[i] == c;
			if (inside[i]) area++;
		}
		iou_score = Double.NaN;
		final Prompt p = prompts.get(0);
		final String prompt = String.format(Locale.ROOT, "class %s, box (%d, %d, %d, %d), click (%d, %d)", classNames.get(c), p.xMin(), p.yMin(),
			p.xMax(), p.yMax(), p.clickX(), p.clickY());
		mask = Sam2Images.mask(inside, w, h, image.getShortTitle() + "-" + classNames.get(c), image.getCalibration());
		mask.setProperty("Info", String.format(Locale.ROOT, "%s mask of %s (plane %d), %s; model %s", classNames.get(c), image.getTitle(),
			image.getCurrentSlice(), prompt, model));
		if (log != null) log.info(String.format(Locale.ROOT, "SSS Interactive SAM-2: %s, plane %d: %s; %d pixels; decoded with %s in %.2f s",
			image.getTitle(), image.getCurrentSlice(), prompt, area, model.getName(), (System.nanoTime() - start) / 1e9));
	}

	/**
	 * The displayed plane, min-max normalised with the stack it belongs to (the planes of its channel
	 * and time point), as SSS Segment Image and training normalise a volume.
	 */
	private float[] normalisedPlane() {
		final boolean sub = image.getNChannels() > 1 || image.getNFrames() > 1 && image.getNSlices() > 1;
		final ImagePlus stack = sub ? new Duplicator().run(image, image.getC(), image.getC(), 1, image.getNSlices(), image.getT(), image.getT()) : image;
		final int z = sub ? image.getZ() - 1 : image.getCurrentSlice() - 1;
		final float[] values = MedicalImagePlus.fromImagePlus(stack, "imagej").toFloatArray();
		Preprocessing.normalise(values);
		final int area = image.getWidth() * image.getHeight();
		return Arrays.copyOfRange(values, z * area, (z + 1) * area);
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
