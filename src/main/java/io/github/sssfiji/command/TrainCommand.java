package io.github.sssfiji.command;

import java.awt.GraphicsEnvironment;
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
import ij.macro.Interpreter;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.ClassNames;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.sss.train.TrainingMetrics;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.io.OutputPaths;
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
 * ({@link Trainer}) and writes it to the {@code output} model file: the CLI's {@code train} in Fiji.
 * <p>
 * The training data is either a dataset folder ({@code data}, any layout {@link Datasets} knows, with
 * {@code split}) or, when {@code data} is empty, the open {@code image} with its {@code labels} image
 * (label values 0 = background, 1, 2, ...; in the modes {@code sss} and {@code consistency} the slices
 * whose labels are all 0 are the unlabelled slices, each run of them a volume of its own, see
 * {@link TrainingData#fromImage}).
 * </p>
 * <p>
 * The settings ({@link #trainingConfig}): an optional JSON configuration file ({@code config}, the
 * keys of {@link TrainingConfig}, as the CLI's {@code --config}), overridden by the fields the user
 * set. Every setting field has a "default" value ({@value #DEFAULT} for choices, empty for files, 0
 * for counts and sizes, -1 for the budget and the seed) that leaves the key to the file, or, without
 * one, to SSS's default ({@link TrainingConfig#defaults()}, except the budget, 60 minutes here).
 * </p>
 * <p>
 * The run's checkpoints go to a folder next to the model file, {@code <name>.training/}
 * ({@code best.sss}, {@code last.sss}, {@code last.state}); at the end the best model is copied to
 * {@code output} atomically. With {@code resume} the run in that folder continues from its last
 * checkpoint with its saved settings, which the file and the fields may repeat but not change, except
 * the budget and the threads (as the CLI's {@code train --resume}); the data must be the run's.
 * Training runs one at a time ({@link SssService#train}). Progress shows per iteration in the status
 * bar; cancelling the command (or Esc in ImageJ) stops it between iterations like the time budget
 * does: the checkpoint stays valid (the run can be resumed) and the model trained so far is still
 * written to {@code output}.
 * </p>
 * <p>
 * The run folder also gets {@code metrics.csv} and {@code training.png} ({@link TrainingMetrics}, as the
 * CLI's); with a display (not headless, not in a macro's batch mode) the plot is shown in a window and
 * redrawn at each validation.
 * With {@code test} (a dataset folder with a test role) the best and the last model are scored on the
 * held-out test once, after training, into the model files' provenance.
 * </p>
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Train", headless = true)
public class TrainCommand extends ContextCommand {

	/** Suffix of the run folder next to the model file. */
	public static final String RUN_FOLDER_SUFFIX = ".training";

	/** The choice that leaves a setting to the configuration file (or to SSS's default without one). */
	public static final String DEFAULT = "default";

	/** The command's own default that differs from {@link TrainingConfig#defaults()}: a one-hour budget. */
	static final double DEFAULT_BUDGET_MINUTES = 60;

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

	@Parameter(label = "Training configuration (JSON file; empty = none)", style = "open", required = false, persist = false)
	File config;

	@Parameter(label = "Resume the run in <model name>.training from its last checkpoint", persist = false)
	boolean resume = false;

	@Parameter(label = "Held-out test: score the best and the last model on the dataset's test role after training", persist = false)
	boolean test = false;

	@Parameter(label = "Start from model (.sss: go on training it, e.g. with more labels; empty = the configuration's, else fresh weights)",
		style = "open", required = false, persist = false)
	File init;

	@Parameter(label = "Network (default: the configuration's, else unet)", choices = { DEFAULT, "unet", "sam2-micro", "sam2-tiny", "sam2-small" })
	String backbone = DEFAULT;

	@Parameter(label = "Pretrained SAM-2 model (SAM-2 backbones; empty = the configuration's, else random weights)", required = false, persist = false)
	File pretrained;

	@Parameter(label = "Mode (default: the configuration's, else sss)", choices = { DEFAULT, "sss", "consistency", "supervised" })
	String mode = DEFAULT;

	@Parameter(label = "DFE (default: the configuration's, else on in mode sss)", choices = { DEFAULT, "true", "false" })
	String dfe = DEFAULT;

	@Parameter(label = "PCSW (default: the configuration's, else on in mode sss)", choices = { DEFAULT, "true", "false" })
	String pcsw = DEFAULT;

	@Parameter(label = "Pseudo-labels (prompted and propagated need PCSW; default: the configuration's, else teacher)", choices = { DEFAULT, "teacher",
		"prompted", "propagated" })
	String pseudo_labels = DEFAULT;

	@Parameter(label = "Sequence length (SAM-2 backbones; 0 = the configuration's, else 1)", min = "0")
	int sequence_length = 0;

	@Parameter(label = "Time budget (minutes, 0 = no limit; -1 = the configuration's, else 60)", min = "-1")
	double budget_minutes = -1;

	@Parameter(label = "Model file to write (.sss)", style = "save", persist = false)
	File output;

	@Parameter(label = "Maximum iterations (0 = the configuration's, else 10000)", min = "0")
	int iterations = 0;

	@Parameter(label = "Crop size (pixels, a multiple of 16; 0 = the configuration's, else 128)", min = "0", stepSize = "16")
	int crop = 0;

	@Parameter(label = "Batch size (0 = the configuration's, else 8)", min = "0")
	int batch = 0;

	@Parameter(label = "Validation every n iterations (0 = the configuration's, else 100)", min = "0")
	int validation_interval = 0;

	@Parameter(label = "Random seed (-1 = the configuration's, else 0)", min = "-1")
	int seed = -1;

	@Parameter(label = "Threads (0 = the configuration's, else keep the current setting)", min = "0")
	int threads = 0;

	@Parameter(type = ItemIO.OUTPUT)
	String summary;

	@Override
	public void run() {
		final StopSignal stop = new StopSignal(this);
		try (PrintStream lines = LogLines.to(log, "SSS Train: ")) {
			final Path model = modelFile();
			final Path folder = runFolder(model);
			final TrainingConfig config = trainingConfig(folder);
			Files.createDirectories(model.getParent());
			// a run's thread count holds until the JVM ends; SSS Options saves the lasting one
			if (config.run().threads() > 0 && !sss.setThreads(config.run().threads(), false) && log != null)
				log.warn("SSS Train: the engine already runs with " + sss.threads() + " threads; threads=" + config.run().threads() + " takes effect after a restart");
			final Trainer.Summary result = sss.train("SSS Train " + model, 0, () -> {
				final TrainingData trainingData = trainingData(config, lines);
				// no window headless, nor in a macro's batch mode, where it would become the macro's active image
				final TrainingMetrics metrics = new TrainingMetrics(folder, trainingData.classNames(), config.run().logInterval(),
					!GraphicsEnvironment.isHeadless() && !Interpreter.isBatchMode());
				final Trainer.Summary s = Trainer.run(config, trainingData, folder, resume, TrainingListener.all(progress(config, stop), metrics), lines,
					sss.device());
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

	/**
	 * The run folder of a model file: {@code <name without .sss>.training} beside it, absolute.
	 *
	 * @throws InvalidInputException (key 'output') if it is a symbolic link out of the model file's folder ({@link OutputPaths})
	 */
	public static Path runFolder(final Path modelFile) {
		final Path absolute = modelFile.toAbsolutePath().normalize();
		final String name = absolute.getFileName().toString();
		final String base = name.toLowerCase(Locale.ROOT).endsWith(".sss") ? name.substring(0, name.length() - 4) : name;
		return OutputPaths.child(absolute.getParent(), base + RUN_FOLDER_SUFFIX, "key 'output'");
	}

	/**
	 * The configuration the trainer gets. Its keys come, each later source overriding the earlier:
	 * <ol>
	 * <li>a new run: {@link TrainingConfig#defaults()} with the command's own default budget of
	 * {@value #DEFAULT_BUDGET_MINUTES} minutes; a resumed run ({@code resume}): the run's saved settings
	 * ({@link Trainer#savedConfig});</li>
	 * <li>the keys of the {@code config} file, if one is given;</li>
	 * <li>the command's fields that the user set, i.e. that are not at their "default" value
	 * ({@link #overrides()}).</li>
	 * </ol>
	 * A resumed run may change only {@code budget_minutes} and {@code threads}: any other key given
	 * with another value than the run's makes the trainer refuse to resume, naming the key.
	 */
	TrainingConfig trainingConfig(final Path folder) throws IOException {
		final JsonObject json;
		final String source;
		final Path file = config == null || config.getPath().isEmpty() ? null : config.toPath();
		if (resume) {
			if (!Files.isRegularFile(folder.resolve(Trainer.STATE)))
				throw new InvalidInputException("key 'resume': there is no run to resume, " + folder.resolve(Trainer.STATE) +
					" does not exist; untick resume to start a new run");
			json = Trainer.savedConfig(folder).toJson();
			source = "resuming " + folder + (file != null ? " with " + file + " and" : " with") + " the settings of SSS Train";
		}
		else {
			json = new JsonObject();
			json.addProperty("budgetMinutes", DEFAULT_BUDGET_MINUTES);
			source = file != null ? file + " with the settings of SSS Train" : "SSS Train";
		}
		final JsonObject given = new JsonObject();
		if (file != null) {
			final JsonObject read;
			try {
				read = TrainingConfig.read(file);
			}
			catch (final InvalidInputException e) {
				throw new InvalidInputException("key 'config': " + e.getMessage(), e);
			}
			read.entrySet().forEach(e -> given.add(e.getKey(), e.getValue()));
		}
		overrides().entrySet().forEach(e -> given.add(e.getKey(), e.getValue()));
		given.entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
		try {
			return TrainingConfig.of(json, source);
		}
		catch (final InvalidInputException e) {
			if (!resume || given.keySet().stream().allMatch(TrainingConfig.RESUMABLE::contains)) throw e;
			// the run's saved settings are complete, so a changed key can clash with one that followed the old value
			throw new InvalidInputException(e.getMessage() + "; a resumed run keeps its settings: leave them at default (only budget_minutes and " +
				"threads may change) and give no other configuration than the run's", e);
		}
	}

	/**
	 * The configuration keys the user set with the command's fields: each field that is not at its
	 * "default" value ({@value #DEFAULT} for choices, empty for files, 0 for counts and sizes, a
	 * negative number for the budget and the seed, whose 0 is a value).
	 */
	JsonObject overrides() {
		final JsonObject json = new JsonObject();
		choice(json, "backbone", backbone);
		choice(json, "mode", mode);
		choice(json, "dfe", dfe);
		choice(json, "pcsw", pcsw);
		choice(json, "pseudoLabels", pseudo_labels);
		if (pretrained != null && !pretrained.getPath().isEmpty()) json.addProperty("pretrained", pretrained.getPath());
		if (init != null && !init.getPath().isEmpty()) json.addProperty("init", init.getPath());
		if (sequence_length > 0) json.addProperty("sequenceLength", sequence_length);
		if (budget_minutes >= 0) json.addProperty("budgetMinutes", budget_minutes);
		if (iterations > 0) json.addProperty("iterations", iterations);
		if (crop > 0) json.addProperty("crop", crop);
		if (batch > 0) json.addProperty("batch", batch);
		if (validation_interval > 0) json.addProperty("validationInterval", validation_interval);
		if (seed >= 0) json.addProperty("seed", seed);
		if (threads > 0) json.addProperty("threads", threads);
		return json;
	}

	private static void choice(final JsonObject json, final String key, final String value) {
		if (value != null && !value.isBlank() && !value.trim().equals(DEFAULT)) json.addProperty(key, value.trim());
	}

	private Path modelFile() {
		if (output == null || output.getPath().isEmpty()) throw new InvalidInputException("key 'output': give the model file to write, e.g. model.sss");
		final Path model = output.toPath().toAbsolutePath().normalize();
		if (Files.isDirectory(model)) throw new InvalidInputException("key 'output': " + model + " is a folder; give a model file name such as model.sss");
		return model;
	}

	private TrainingData trainingData(final TrainingConfig config, final PrintStream lines) throws IOException {
		if (data != null && !data.getPath().isEmpty())
			return TrainingData.load(Datasets.open(data.toPath(), split == null ? "" : split.trim(), ImageFiles.imageReader()), config.semiSupervised(), test,
				lines);
		if (test) throw new InvalidInputException("key 'test': a held-out test needs a dataset folder (key 'data') with a test role, not an open image");
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
		if (lines != null) lines.printf(Locale.ROOT, "data: image '%s', %d labelled slices, %d unlabelled slices in %d runs, classes %s%n",
			image.getTitle(), result.labelled().size(), result.unlabelled().size(), result.unlabelledVolumes().size(), names);
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
