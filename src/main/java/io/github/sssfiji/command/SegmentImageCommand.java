package io.github.sssfiji.command;

import java.io.File;
import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Preprocessing;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.ij1.SegmentationImages;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.PredictFiles;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * {@code Plugins > Segmentation > SSS > SSS Segment Image}: the label image of the current image
 * (a 2-D image or a Z stack, one channel and time point) predicted with a trained model file, slice
 * by slice as {@link PredictFiles} does for files, calibrated like the input; optionally the
 * probability maps too, one channel per class, and the confidence (largest class probability) and
 * entropy (nats) maps as {@code predict --confidence true} writes them; with {@code tta} the
 * probabilities are the mean of the image's and its x mirror's. The model is loaded once and kept by the
 * {@link SssService}, so segmenting further images does not read it again.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Segment Image", headless = true)
public class SegmentImageCommand implements Command {

	@Parameter
	SssService sss;

	@Parameter(required = false)
	StatusService status;

	@Parameter(required = false)
	LogService log;

	@Parameter(label = "Image")
	ImagePlus image;

	@Parameter(label = "Model file (.sss)", style = "open")
	File model;

	@Parameter(label = "Also probability maps (one channel per class)", required = false)
	boolean probabilities = false;

	@Parameter(label = "Also confidence and entropy maps", required = false)
	boolean confidence = false;

	@Parameter(label = "Flip test-time augmentation (mean with the x mirror)", required = false)
	boolean tta = false;

	@Parameter(label = "Slices per batch", min = "1")
	int batch = 8;

	@Parameter(type = ItemIO.OUTPUT)
	ImagePlus labels;

	@Parameter(type = ItemIO.OUTPUT)
	ImagePlus probability_maps;

	@Parameter(type = ItemIO.OUTPUT)
	ImagePlus confidence_map;

	@Parameter(type = ItemIO.OUTPUT)
	ImagePlus entropy_map;

	@Override
	public void run() {
		if (model == null || model.getPath().isEmpty()) throw new InvalidInputException("key 'model': give a model file (.sss) made by SSS Train");
		if (batch < 1) throw new InvalidInputException("key 'batch': " + batch + " must be at least 1");
		try (SssService.Lease<SssModel> lease = sss.lease(model.toPath(), SssModel.class, SssModel::load)) {
			final SssModel net = lease.get();
			if (status != null) status.showStatus("SSS Segment Image: " + image.getTitle());
			final MedicalImage pixels = MedicalImagePlus.fromImagePlus(image, "imagej");
			final int[] dims = Preprocessing.volumeDims(pixels, "image '" + image.getTitle() + "'");
			final float[] maps;
			try (NDManager root = sss.newManager()) {
				maps = PredictFiles.probabilities(net, pixels, batch, tta, root);
			}
			final String title = ImageFiles.titleBaseName(image.getTitle());
			labels = SegmentationImages.labels(SlicePredictor.argmax(maps, net.classNames().size()), dims, image, title + "-labels");
			if (probabilities) probability_maps = SegmentationImages.probabilities(maps, dims, net.classNames(), image, title + "-probabilities");
			if (confidence) {
				final int classes = net.classNames().size();
				confidence_map = SegmentationImages.values(PredictFiles.confidence(maps, classes), dims, image, title + "-confidence", 1.0 / classes, 1);
				entropy_map = SegmentationImages.values(PredictFiles.entropy(maps, classes), dims, image, title + "-entropy", 0, Math.log(classes));
			}
			if (log != null) log.info("SSS Segment Image: " + image.getTitle() + " segmented with " + model.getName() + " (classes " + net.classNames() + ")");
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Segment Image: " + e.getMessage(), e);
		}
		finally {
			if (status != null) status.clearStatus();
		}
	}
}
