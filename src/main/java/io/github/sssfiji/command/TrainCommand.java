package io.github.sssfiji.command;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.google.gson.JsonObject;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.ClassNames;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.train.StepResult;
import io.github.sssfiji.sss.train.Trainer;
import io.github.sssfiji.sss.train.TrainingConfig;
import io.github.sssfiji.sss.train.TrainingData;
import io.github.sssfiji.sss.train.TrainingListener;

/**
 * {@code Plugins > Segmentation > SSS > SSS Train}: trains a segmentation model with the SSS method
 * ({@link Trainer}) and writes it to the {@code output} model file.
 * <p>
 * The training data is either a dataset folder ({@code data}, any layout {@link Datasets} knows, with
 * {@code split}) or, when {@code data} is empty, the open {@code image} with its {@code labels} image
 * (label values 0 = background, 1, 2, ...; in the modes {@code sss} and {@code consistency} the slices
 * whose labels are all 0 are the unlabelled slices, see {@link TrainingData#fromImage}).
 * </p>
 * <p>
 * The run's checkpoints go to a folder next to the model file, {@code <name>.training/}
 * ({@code best.sss}, {@code last.sss}, {@code last.state}); at the end the best model is copied to
 * {@code output} atomically. Training runs one at a time ({@link SssService#train}). Progress shows
 * per iteration in the status bar; cancelling the command (or Esc in ImageJ) stops it between
 * iterations like the time budget does: the checkpoint stays valid (a dataset run can be resumed with
 * the CLI, {@code train --resume --out <name>.training --data ...}) and the model trained so far is
 * still written to {@code output}.
 * </p>
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Train", headless = true)
public class TrainCommand extends ContextCommand {

	/** Suffix of the run folder next to the model file. */
	public static final String RUN_FOLDER_SUFFIX = ".training";

	@Parameter
	SssService sss;

	@Parameter(required = false)
	StatusService status;

	@Parameter(required = false)
	LogService log;

	@Parameter(label = "Dataset folder (empty: the image and label image below)", style = "directory", required = false, persist = false)
	File data;

	@Parameter(label = "Split (ACDC: 1, 3, 7 or a labeled.txt; nnU-Net: a fold; plain folders: empty)", required = false)
	String split = "";

	@Parameter(label = "Image (when no dataset folder is given)", required = false)
	ImagePlus image;

	@Parameter(label = "Label image (when no dataset folder is given)", required = false)
	ImagePlus labels;

	@Parameter(label = "Network", choices = { "unet", "sam2-micro", "sam2-tiny", "sam2-small" })
	String backbone = "unet";

	@Parameter(label = "Pretrained SAM-2 model (SAM-2 backbones; empty = random weights)", required = false, persist = false)
	File pretrained;

	@Parameter(label = "Mode", choices = { "sss", "consistency", "supervised" })
	String mode = "sss";

	@Parameter(label = "Time budget (minutes, 0 = no limit)", min = "0")
	double budget_minutes = 60;

	@Parameter(label = "Model file to write (.sss)", style = "save", persist = false)
	File output;

	@Parameter(label = "Maximum iterations", min = "1")
	int iterations = 10000;

	@Parameter(label = "Crop size (pixels, a multiple of 16)", min = "16", stepSize = "16")
	int crop = 256;

	@Parameter(label = "Batch size", min = "1")
	int batch = 8;

	@Parameter(label = "Validation every n iterations", min = "1")
	int validation_interval = 200;

	@Parameter(label = "Random seed", min = "0")
	int seed = 0;

	@Parameter(label = "Threads (0 = keep the current setting)", min = "0")
	int threads = 0;

	@Parameter(type = ItemIO.OUTPUT)
	String summary;

	@Override
	public void run() {
		final StopSignal stop = new StopSignal(this);
		try (PrintStream lines = LogLines.to(log, "SSS Train: ")) {
			final TrainingConfig config = config();
			final Path model = modelFile();
			final Path folder = runFolder(model);
			// a run's thread count holds until the JVM ends; SSS Options saves the lasting one
			if (config.run().threads() > 0 && !sss.setThreads(config.run().threads(), false) && log != null)
				log.warn("SSS Train: the engine already runs with " + sss.threads() + " threads; threads=" + config.run().threads() + " takes effect after a restart");
			final Trainer.Summary result = sss.train("SSS Train " + model, 0, () -> {
				final TrainingData trainingData = trainingData(config, lines);
				final Trainer.Summary s = Trainer.run(config, trainingData, folder, false, progress(config, stop), lines, sss.device());
				final Path best = folder.resolve(Trainer.BEST);
				AtomicFiles.write(model, out -> Files.copy(best, out));
				return s;
			});
			summary = String.format(Locale.ROOT, "%s after %d iterations in %.1f s%s; model written to %s (checkpoints in %s)",
				result.stopped() ? "stopped (" + stop.reason() + ")" : "trained", result.completedIterations(), result.seconds(),
				result.bestMeanDice() >= 0 ? String.format(Locale.ROOT, ", best validation mean Dice %.4f at iteration %d", result.bestMeanDice(),
					result.bestIteration()) : "", model, folder);
			if (log != null) log.info("SSS Train: " + summary);
		}
		catch (final RuntimeException e) {
			throw e;
		}
		catch (final Exception e) {
			throw new IllegalStateException("SSS Train: " + e.getMessage(), e);
		}
		finally {
			if (status != null) status.clearStatus();
			stop.restoreInterrupt();
		}
	}

	/** The run folder of a model file: {@code <name without .sss>.training} beside it. */
	public static Path runFolder(final Path modelFile) {
		final String name = modelFile.getFileName().toString();
		final String base = name.toLowerCase(Locale.ROOT).endsWith(".sss") ? name.substring(0, name.length() - 4) : name;
		return modelFile.resolveSibling(base + RUN_FOLDER_SUFFIX);
	}

	private TrainingConfig config() {
		final JsonObject json = new JsonObject();
		json.addProperty("backbone", backbone);
		json.addProperty("mode", mode);
		json.addProperty("budgetMinutes", budget_minutes);
		json.addProperty("iterations", iterations);
		json.addProperty("crop", crop);
		json.addProperty("batch", batch);
		json.addProperty("validationInterval", validation_interval);
		json.addProperty("seed", seed);
		json.addProperty("threads", threads);
		if (pretrained != null && !pretrained.getPath().isEmpty()) json.addProperty("pretrained", pretrained.getPath());
		return TrainingConfig.of(json, "SSS Train");
	}

	private Path modelFile() throws IOException {
		if (output == null || output.getPath().isEmpty()) throw new InvalidInputException("key 'output': give the model file to write, e.g. model.sss");
		final Path model = output.toPath().toAbsolutePath().normalize();
		if (Files.isDirectory(model)) throw new InvalidInputException("key 'output': " + model + " is a folder; give a model file name such as model.sss");
		Files.createDirectories(model.getParent());
		return model;
	}

	private TrainingData trainingData(final TrainingConfig config, final PrintStream lines) throws IOException {
		if (data != null && !data.getPath().isEmpty())
			return TrainingData.load(Datasets.open(data.toPath(), split == null ? "" : split.trim(), ImageFiles.imageReader()), config.semiSupervised(), lines);
		if (image == null) throw new InvalidInputException("give a dataset folder (key 'data') or an open image (key 'image') with its label image (key 'labels')");
		if (labels == null || labels == image)
			throw new InvalidInputException("key 'labels': give the label image (its title) of image '" + image.getTitle() + "', or a dataset folder (key 'data')");
		final MedicalImage pixels = MedicalImagePlus.fromImagePlus(image, "imagej");
		final MedicalImage labelPixels = MedicalImagePlus.fromImagePlus(labels, "imagej");
		final int[] values;
		try {
			values = labelPixels.toLabelArray();
		}
		catch (final IllegalArgumentException e) {
			throw new InvalidInputException("key 'labels': image '" + labels.getTitle() + "' is not a label image: " + e.getMessage(), e);
		}
		int max = 0;
		for (final int v : values)
			max = Math.max(max, v);
		if (max < 1) throw new InvalidInputException("key 'labels': image '" + labels.getTitle() + "' has no labels (all pixels are 0)");
		final List<String> names = ClassNames.numbered(max);
		final TrainingData result = TrainingData.fromImage(pixels, labelPixels, names, config.semiSupervised());
		if (lines != null) lines.printf(Locale.ROOT, "data: image '%s', %d labelled and %d unlabelled slices, classes %s%n", image.getTitle(),
			result.labelled().size(), result.unlabelled().size(), names);
		return result;
	}

	/** Status bar progress per iteration (iterations or elapsed budget, whichever is further) and the stop hook. */
	private TrainingListener progress(final TrainingConfig config, final StopSignal stop) {
		final long start = System.nanoTime();
		return new TrainingListener() {

			@Override
			public void iteration(final StepResult result) {
				if (status == null) return;
				final long completed = result.iteration() + 1;
				double fraction = (double) completed / config.run().iterations();
				if (config.run().budgetMinutes() > 0) fraction = Math.max(fraction, (System.nanoTime() - start) / (config.run().budgetMinutes() * 60e9));
				status.showStatus((int) Math.round(1000 * Math.min(1, fraction)), 1000, String.format(Locale.ROOT,
					"SSS Train: iteration %d/%d, loss %.4f", completed, config.run().iterations(), result.loss()));
			}

			@Override
			public boolean stopRequested() {
				return stop.requested();
			}
		};
	}
}
