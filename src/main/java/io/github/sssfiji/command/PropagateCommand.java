package io.github.sssfiji.command;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Preprocessing;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.ij1.PromptRois;
import io.github.sssfiji.ij1.RoiPrompts;
import io.github.sssfiji.ij1.SegmentationImages;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.Prompt;
import io.github.sssfiji.sss.predict.Propagation;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * {@code Plugins > Segmentation > SSS > SSS Propagate}: the label image of a stack (a 3-D volume)
 * segmented by a trained {@code .sss} model that reads prompts (SAM-2 backbones; a U-Net trained with
 * pseudo-labels {@code prompted}) from prompts on one or a few of its slices, as the CLI's
 * {@code propagate} does for files ({@link Propagation}). The prompts are the image's selection or,
 * without one, the ROI Manager's entries (the selected ones, else all), each on its slice, read by
 * {@link RoiPrompts}: a rectangle is a box, a point of the same class on the same slice its click (else
 * the box's centre); a ROI named after a class or with a class number prompts that class, any other
 * {@link #prompt_class}. The label image is calibrated like the input and carries the prompts as its
 * overlay; optionally the probability maps too, as SSS Segment Image makes them.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Propagate", headless = true)
public class PropagateCommand implements Command {

	@Parameter
	SssService sss;

	@Parameter(required = false)
	StatusService status;

	@Parameter(required = false)
	LogService log;

	@Parameter(label = "Image (a stack; prompts as ROIs on some slices)")
	ImagePlus image;

	@Parameter(label = "Model file (.sss that reads prompts)", style = "open")
	File model;

	/** Named so because {@code class} is a Java keyword; the macro key is {@code prompt_class}. */
	@Parameter(label = "Class of ROIs not named after one (name or number; empty: the first foreground class)", required = false)
	String prompt_class = "";

	@Parameter(label = "Also probability maps (one channel per class)", required = false)
	boolean probabilities = false;

	@Parameter(label = "Slices per batch (SAM-2 with memory)", min = "1")
	int batch = 8;

	@Parameter(type = ItemIO.OUTPUT)
	ImagePlus labels;

	@Parameter(type = ItemIO.OUTPUT)
	ImagePlus probability_maps;

	@Override
	public void run() {
		segment(promptRois());
	}

	/** Segments {@link #image} from the prompts of {@code rois}. */
	void segment(final List<Roi> rois) {
		if (model == null || model.getPath().isEmpty()) throw new InvalidInputException("key 'model': give a model file (.sss) made by SSS Train");
		if (batch < 1) throw new InvalidInputException("key 'batch': " + batch + " must be at least 1");
		try (SssService.Lease<SssModel> lease = sss.lease(model.toPath(), SssModel.class, SssModel::load)) {
			final SssModel net = lease.get();
			Propagation.requirePrompts(net.network(), model.getName());
			final List<String> classNames = net.classNames();
			final int classes = classNames.size();
			final MedicalImage pixels = MedicalImagePlus.fromImagePlus(image, "imagej");
			final int[] dims = Preprocessing.volumeDims(pixels, "image '" + image.getTitle() + "'");
			final int defaultClass = RoiPrompts.classParameter(prompt_class, classNames, "prompt_class");
			final List<Prompt> prompts = RoiPrompts.of(rois, classNames, defaultClass, image.isHyperStack() ? Math.max(image.getZ(), image.getT())
				: image.getCurrentSlice());
			Propagation.checkPrompts(prompts, dims, classes, "the prompt ROIs", image.getTitle());
			if (status != null) status.showStatus("SSS Propagate: " + image.getTitle());
			final float[] values = pixels.toFloatArray();
			Preprocessing.normalise(values);
			final long start = System.nanoTime();
			final float[] maps;
			try (NDManager root = sss.newManager()) {
				maps = Propagation.probabilities(net.network(), values, dims, net.inputSize(), batch, SlicePrompts.of(prompts, dims[2], classes), root);
			}
			final String title = ImageFiles.titleBaseName(image.getTitle());
			labels = SegmentationImages.labels(SlicePredictor.argmax(maps, classes), dims, image, title + "-propagated");
			labels.setOverlay(PromptRois.overlay(prompts));
			if (probabilities) probability_maps = SegmentationImages.probabilities(maps, dims, classNames, image, title + "-probabilities");
			if (log != null) log.info(String.format(Locale.ROOT, "SSS Propagate: %s segmented with %s from %d prompt%s (%s) in %.1f s",
				image.getTitle(), model.getName(), prompts.size(), prompts.size() == 1 ? "" : "s",
				net.network().hasMemory() ? "propagated with memory" : "boxes carried from slice to slice", (System.nanoTime() - start) / 1e9));
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Propagate: " + e.getMessage(), e);
		}
		finally {
			if (status != null) status.clearStatus();
		}
	}

	/** The image's selection; without one, the ROI Manager's selected (or all) entries, each on its slice. */
	private List<Roi> promptRois() {
		final Roi selection = image.getRoi();
		if (selection != null) return List.of(selection);
		// a truly headless ImageJ has no ROI Manager: even the hidden one of batch mode is a Frame
		final RoiManager manager = GraphicsEnvironment.isHeadless() ? null : RoiManager.getInstance();
		if (manager != null && manager.getCount() > 0) return List.of(manager.getSelectedRoisAsArray());
		throw new InvalidInputException("no prompt on " + image.getTitle() + ": draw a rectangle around the object on a slice" +
			(GraphicsEnvironment.isHeadless() ? " (makeRectangle)"
				: ", or add rectangles (and points) on a few slices to the ROI Manager and remove the selection (Edit > Selection > Select None)"));
	}
}
