package io.github.sssfiji.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.cli.CliArguments;
import io.github.sssfiji.cli.Main;
import io.github.sssfiji.cli.TrainCliCommand;
import io.github.sssfiji.sss.modelfile.TensorArchive;
import io.github.sssfiji.sss.train.Trainer;
import io.github.sssfiji.sss.train.TrainingConfig;

/**
 * The executor side of the sweep: one training run of {@code train} ({@link TrainCliCommand#train})
 * for one (configuration, seed) task, on the executor's SSS service; its progress lines go to
 * {@code train.log} in the run's folder. A sweep run again into the same folder (after a lost
 * cluster, or with seeds added) trains only what is left: a run whose checkpoint has its
 * iterations (or budget) is read back, not trained; one with a checkpoint short of them resumes
 * from it; a folder that holds a run of other settings is that run's failure, and stays as it is.
 * A run that fails is a result with its reason, not an exception, so that the other runs finish.
 * Sent to the executors with the job.
 *
 * @param data the dataset folder, an absolute path
 * @param split {@code --split} of {@code train} ({@code ""} for the dataset's own split)
 * @param device {@code auto}, {@code cpu}, or null for the service's choice
 * @param threads the engine's intra-op threads per executor, 0 for the engine's choice
 */
record SweepRun(String data, String split, String device, int threads) implements Serializable {

	/** One run of the sweep: a configuration file, its name in the tables, a seed, the run's folder. */
	record Task(int index, String config, String name, long seed, String folder) implements Serializable {}

	/** What this sweep did with a run. */
	enum Status {
		/** trained from the start */
		TRAINED,
		/** continued from the checkpoint an earlier sweep left */
		RESUMED,
		/** found complete: read back, not trained */
		FINISHED,
		FAILED
	}

	/**
	 * What a run gave: its iterations, the best validation mean Dice (and its iteration), the last
	 * one (from its {@code last.sss}), its seconds in this sweep and executor; or the reason it
	 * failed ({@code failure} not null).
	 */
	record Result(int index, String name, long seed, String folder, Status status, long iterations, double bestDice, long bestIteration,
		double lastDice, double seconds, String executor, String failure) implements Serializable {}

	/** The log of each run, beside its models. */
	static final String LOG = "train.log";

	Result train(final Task task) {
		final long start = System.nanoTime();
		final Path folder = Path.of(task.folder());
		try {
			final JsonObject json = TrainingConfig.read(Path.of(task.config()));
			json.addProperty("seed", task.seed());
			final TrainingConfig wanted = TrainingConfig.of(json, task.config() + " with seed " + task.seed());
			final List<String> args = new ArrayList<>(List.of("--data", data, "--split", split, "--out", task.folder()));
			final Status status;
			if (Files.isRegularFile(folder.resolve(Trainer.STATE))) {
				final Trainer.Checkpoint saved = Trainer.saved(folder);
				final String changed = saved.config().changedKey(wanted);
				if (changed != null)
					return failed(task, start, folder + " holds a run with '" + changed + "' = " + saved.config().toJson().get(changed) + ", " + task.config() +
						" says " + wanted.toJson().get(changed) + "; move that folder away or sweep into another --out");
				if (saved.finished(wanted.run().iterations(), wanted.run().budgetMinutes()) && Files.isRegularFile(folder.resolve(Trainer.LAST)))
					return result(task, Status.FINISHED, start);
				status = Status.RESUMED;
				// the budget is the configuration's now, as train --resume --budget-minutes would set it
				args.addAll(List.of("--resume", "true", "--budget-minutes", Double.toString(wanted.run().budgetMinutes())));
			}
			else {
				status = Status.TRAINED;
				args.addAll(List.of("--config", task.config(), "--seed", Long.toString(task.seed())));
			}
			if (threads > 0) args.addAll(List.of("--threads", Integer.toString(threads)));
			Files.createDirectories(folder);
			// a resumed run's log goes on after what the earlier one wrote
			try (OutputStream file = Files.newOutputStream(folder.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				status == Status.RESUMED ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
				PrintStream log = new PrintStream(file, true, StandardCharsets.UTF_8))
			{
				// one training at a time per JVM (DJL's gradient collector): the tasks of one executor take turns
				TrainCliCommand.train(CliArguments.parse(args.toArray(String[]::new)), ExecutorContext.service(device, threads), log, Long.MAX_VALUE);
			}
			return result(task, status, start);
		}
		catch (final Exception e) {
			return failed(task, start, e.getMessage() == null ? e.toString() : Main.oneLine(e.getMessage()));
		}
	}

	/**
	 * A run's numbers as its {@code last.sss} records them (iteration, best and last validation), so
	 * that a run trained now and one read back are reported alike.
	 */
	private static Result result(final Task task, final Status status, final long start) throws IOException {
		final JsonObject meta = TensorArchive.readMeta(Path.of(task.folder(), Trainer.LAST));
		final JsonObject validation = meta.getAsJsonObject("provenance").getAsJsonObject("validation");
		// without validation volumes there is no Dice: best and last are null
		final JsonElement best = validation.get("best"), last = validation.get("last");
		final boolean validated = best != null && best.isJsonObject();
		return new Result(task.index(), task.name(), task.seed(), task.folder(), status, meta.get("iteration").getAsLong(),
			validated ? meanDice(best) : Double.NaN, validated ? best.getAsJsonObject().get("iteration").getAsLong() : -1,
			last != null && last.isJsonObject() ? meanDice(last) : Double.NaN, seconds(start), ExecutorContext.executorId(), null);
	}

	private static double meanDice(final JsonElement validation) {
		return validation.getAsJsonObject().getAsJsonObject("dice").get("mean").getAsDouble();
	}

	private static Result failed(final Task task, final long start, final String reason) {
		return new Result(task.index(), task.name(), task.seed(), task.folder(), Status.FAILED, 0, Double.NaN, -1, Double.NaN, seconds(start),
			ExecutorContext.executorId(), reason);
	}

	private static double seconds(final long start) {
		return (System.nanoTime() - start) / 1e9;
	}
}
