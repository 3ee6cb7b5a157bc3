package io.github.sssfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

import ai.djl.Device;
import com.google.gson.JsonObject;
import org.scijava.Context;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.data.Dataset;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.sss.train.TrainingMetrics;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.train.Trainer;
import io.github.sssfiji.sss.train.TrainingConfig;
import io.github.sssfiji.sss.train.TrainingData;

/**
 * {@code train --data DIR --split S --mode M --out RUN_DIR [...]}: trains a segmentation model with the
 * SSS method ({@link Trainer}); options override the JSON configuration given with
 * {@code --config}. {@code --resume} continues the run in RUN_DIR from its last checkpoint with
 * its saved settings (only the budget and threads may change). {@code --test true} scores the best and
 * the last model on the dataset's held-out test role once, after training. Every run writes
 * {@code metrics.csv} and {@code training.png} in RUN_DIR ({@link TrainingMetrics}).
 */
@Plugin(type = CliCommand.class, name = "train")
public class TrainCliCommand implements CliCommand {


	/** The option of a configuration key: {@code validationInterval} is {@code --validation-interval}. */
	static String option(final String key) {
		final StringBuilder option = new StringBuilder();
		for (final char c : key.toCharArray())
			if (Character.isUpperCase(c)) option.append('-').append(Character.toLowerCase(c));
			else option.append(c);
		return option.toString();
	}

	@Override
	public String usage() {
		return "--data DIR --split {1|3|7|PATH/labeled.txt|''} --out RUN_DIR [--backbone unet|sam2-micro|sam2-tiny|sam2-small] [--mode supervised|consistency|sss]\n" +
			"       [--budget-minutes M] [--iterations N] [--crop S] [--batch B] [--seed K] [--threads T] [--optimizer adamw|sgd] [--lr X]\n" +
			"       [--dfe true|false] [--pcsw true|false] [--validation-interval N] [--pcsw-interval K] [--config FILE] [--resume] [--test true|false] [--device auto|cpu]\n" +
			"       [--init MODEL.sss]   start from a trained model's weights (go on training it with more labels)\n" +
			"       SAM-2 backbones: [--pretrained SAM2_MODEL_FILE] [--encoder-lr X] [--prompt-probability P] [--sequence-length L] [--memory-bank recent|selective]\n" +
			"       [--prompt-frequency F]\n" +
			"       every configuration key is an option too, in kebab case (emaMax: --ema-max)\n" +
			"       --test true scores best.sss and last.sss on the dataset's test role (test/, imagesTs+labelsTs, test.txt) once, after training\n" +
			"       SSS training; writes best.sss, last.sss, last.state, metrics.csv and training.png in RUN_DIR (set MALLOC_ARENA_MAX=1 for speed)";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws Exception {
		final Trainer.Summary summary = train(args, context.service(SssService.class), out, 0);
		final Path folder = Path.of(args.require("out"));
		out.printf(Locale.ROOT, "done: %d iterations in %.1f s, best mean Dice %.4f at iteration %d, %d skipped steps; models, %s and %s in %s%n",
			summary.completedIterations(), summary.seconds(), summary.bestMeanDice(), summary.bestIteration(), summary.skippedSteps(), TrainingMetrics.CSV,
			TrainingMetrics.PNG, folder.toAbsolutePath());
		return 0;
	}

	/**
	 * The training of {@code train} with these options (all of the command's, checked the same way),
	 * on {@code service}'s engine; waits up to {@code waitSeconds} for another training of this JVM to
	 * end (the command waits 0 s, a Spark sweep's tasks wait their turn). Progress lines go to
	 * {@code out}.
	 */
	public static Trainer.Summary train(final CliArguments args, final SssService service, final PrintStream out, final long waitSeconds)
		throws Exception
	{
		final Path data = args.existingPath("data");
		final String split = args.get("split", "");
		final Path folder = Path.of(args.require("out"));
		final boolean resume = Boolean.parseBoolean(args.get("resume", "false"));
		final boolean test = args.getBoolean("test", false);
		final JsonObject json = args.has("config") ? TrainingConfig.read(args.existingPath("config")) : new JsonObject();
		TrainingConfig config;
		if (resume) {
			if (args.has("config")) throw new CliException("--resume keeps the run's saved settings; --config cannot be given with it");
			config = Trainer.savedConfig(folder);
			for (final String key : TrainingConfig.KEYS)
				if (args.has(option(key))) {
					if (!TrainingConfig.RESUMABLE.contains(key))
						throw new CliException("--resume keeps the run's settings; only --budget-minutes, --threads and --log-interval may be given, not --" +
							option(key));
					config = config.with(key, args.get(option(key), null));
				}
		}
		else {
			for (final String key : TrainingConfig.KEYS)
				if (args.has(option(key))) json.addProperty(key, args.get(option(key), null));
			config = TrainingConfig.of(json, args.has("config") ? args.get("config", null) + " with options" : "options");
		}
		CliOptions.device(args, service);
		args.rejectUnknown();
		CliOptions.folder("out", folder);
		if (config.run().threads() > 0 && !service.setThreads(config.run().threads(), false))
			out.println("note: the engine already runs with " + service.threads() + " threads; --threads " + config.run().threads() + " not applied");
		final Device device = service.device();
		out.println("device: " + device);
		final Dataset dataset = Datasets.open(data, split, ImageFiles.imageReader());
		final TrainingConfig settings = config;
		return service.train("train " + folder, waitSeconds, () -> {
			final TrainingData trainingData = TrainingData.load(dataset, settings.semiSupervised(), test, out);
			final TrainingMetrics metrics = new TrainingMetrics(folder, trainingData.classNames(), settings.run().logInterval(), false);
			return Trainer.run(settings, trainingData, folder, resume, metrics, out, device);
		});
	}
}
