package io.github.sssfiji.spark;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.sssfiji.cli.CliArguments;
import io.github.sssfiji.cli.Main;
import io.github.sssfiji.cli.TrainCliCommand;
import io.github.sssfiji.sss.train.Trainer;

/**
 * The executor side of the sweep: one training run of {@code train} ({@link TrainCliCommand#train})
 * for one (configuration, seed) task, on the executor's SSS service; its progress lines go to
 * {@code train.log} in the run's folder. A run that fails is a result with its reason, not an
 * exception, so that the other runs finish. Sent to the executors with the job.
 *
 * @param data the dataset folder, an absolute path
 * @param split {@code --split} of {@code train} ({@code ""} for the dataset's own split)
 * @param device {@code auto}, {@code cpu}, or null for the service's choice
 * @param threads the engine's intra-op threads per executor, 0 for the engine's choice
 */
record SweepRun(String data, String split, String device, int threads) implements Serializable {

	/** One run of the sweep: a configuration file, its name in the tables, a seed, the run's folder. */
	record Task(int index, String config, String name, long seed, String folder) implements Serializable {}

	/**
	 * What a run gave: its iterations, the best validation mean Dice (and its iteration), the last
	 * one, its seconds and executor; or the reason it failed ({@code failure} not null).
	 */
	record Result(int index, String name, long seed, String folder, long iterations, double bestDice, long bestIteration, double lastDice,
		double seconds, String executor, String failure) implements Serializable {}

	/** The log of each run, beside its models. */
	static final String LOG = "train.log";

	Result train(final Task task) {
		final long start = System.nanoTime();
		final List<String> args = new ArrayList<>(List.of("--data", data, "--split", split, "--config", task.config(), "--seed",
			Long.toString(task.seed()), "--out", task.folder()));
		if (threads > 0) args.addAll(List.of("--threads", Integer.toString(threads)));
		try {
			Files.createDirectories(Path.of(task.folder()));
			try (OutputStream file = Files.newOutputStream(Path.of(task.folder(), LOG));
				PrintStream log = new PrintStream(file, true, StandardCharsets.UTF_8))
			{
				// one training at a time per JVM (DJL's gradient collector): the tasks of one executor take turns
				final Trainer.Summary summary = TrainCliCommand.train(CliArguments.parse(args.toArray(String[]::new)),
					ExecutorContext.service(device, threads), log, Long.MAX_VALUE);
				final double[] last = summary.lastClassDice();
				// without validation cases there is no Dice (the trainer's best stays -1)
				final boolean validated = summary.bestMeanDice() >= 0;
				return new Result(task.index(), task.name(), task.seed(), task.folder(), summary.completedIterations(),
					validated ? summary.bestMeanDice() : Double.NaN, validated ? summary.bestIteration() : -1,
					last == null ? Double.NaN : last[last.length - 1], seconds(start), ExecutorContext.executorId(), null);
			}
		}
		catch (final Exception e) {
			return new Result(task.index(), task.name(), task.seed(), task.folder(), 0, Double.NaN, -1, Double.NaN, seconds(start),
				ExecutorContext.executorId(), e.getMessage() == null ? e.toString() : Main.oneLine(e.getMessage()));
		}
	}

	private static double seconds(final long start) {
		return (System.nanoTime() - start) / 1e9;
	}
}
