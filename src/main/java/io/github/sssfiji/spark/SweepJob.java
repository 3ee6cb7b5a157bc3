package io.github.sssfiji.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.github.sssfiji.cli.CliArguments;
import io.github.sssfiji.cli.CliException;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.service.SssService.DeviceChoice;
import io.github.sssfiji.sss.train.TrainingConfig;
import io.github.sssfiji.util.SssVersion;

/**
 * {@code sweep --data DIR --configs a.json,b.json --seeds 0,1,2 --out DIR [--split S]}: one training
 * run of {@code train} per (configuration, seed), each a Spark task ({@link SweepRun}), into
 * {@code DIR/<config>/seed-<k>}. The driver writes into {@code DIR}:
 * <ul>
 * <li>{@code runs.csv}: per run its iterations, best validation mean Dice (and its iteration), last
 * validation mean Dice, seconds and executor, and what this sweep did with it ({@code trained},
 * {@code resumed} from an earlier sweep's checkpoint, or {@code finished} before: see
 * {@link SweepRun});</li>
 * <li>{@code summary.csv}: per configuration the runs, mean and standard deviation (over seeds) of
 * the best and of the last validation mean Dice, and their range;</li>
 * <li>{@code failures.csv}: {@code config,seed,reason} per run that failed; {@code sweep.json}: counts,
 * wall time, executors.</li>
 * </ul>
 * Exit code 0 when every run trained, 1 when any failed, 2 for bad options or input.
 */
public final class SweepJob {

	public static final String RUNS = "runs.csv";
	public static final String SUMMARY = "summary.csv";
	public static final String FAILURES = "failures.csv";
	public static final String JOB = "sweep.json";

	private SweepJob() {}

	static String usage() {
		return "sweep --data DIR --configs a.json,b.json [--seeds 0,1,2] --out DIR [--split S] [--master URL] [--threads T] [--device auto|cpu]\n" +
			"    one train run per (configuration, seed), one Spark task each, into DIR/<config>/seed-<k> (models and train.log);\n" +
			"    DIR/runs.csv (best and last validation mean Dice per run), DIR/summary.csv (mean and standard deviation per\n" +
			"    configuration), DIR/failures.csv and DIR/sweep.json. A configuration is a train --config file; --seeds sets its seed.\n" +
			"    Run again into the same DIR, it trains only what is left: finished runs are read back, interrupted ones resume";
	}

	/** Runs the sweep; never calls {@code System.exit}. */
	public static int run(final CliArguments args, final PrintStream out) throws IOException {
		final Path data = args.existingPath("data").toAbsolutePath().normalize();
		final String split = args.get("split", "");
		final String[] configNames = args.require("configs").split(",");
		final int[] seeds = args.has("seeds") ? args.getIntList("seeds") : new int[] { 0 };
		final Path output = Path.of(args.require("out")).toAbsolutePath().normalize();
		if (Files.exists(output) && !Files.isDirectory(output)) throw new CliException("option --out " + output + ": is a file, not a folder");
		final String master = args.get("master", null);
		final int threads = args.getInt("threads", 0);
		if (threads < 0) throw new CliException("--threads must be at least 1 (or 0 for the engine's choice), got " + threads);
		final String device = args.get("device", null);
		if (device != null) DeviceChoice.parse(device, "option --device");
		args.rejectUnknown();

		// the configurations are read here, so that a bad one stops the sweep before any training
		final Map<String, Path> configs = new LinkedHashMap<>();
		for (final String given : configNames) {
			if (given.isBlank()) throw new CliException("option --configs: an empty name in '" + args.get("configs", "") + "'");
			final Path file = Path.of(given.strip()).toAbsolutePath().normalize();
			final String source = "option --configs " + file;
			TrainingConfig.of(TrainingConfig.read(file), source);
			final String name = file.getFileName().toString().replaceFirst("(?i)\\.json$", "");
			if (configs.put(name, file) != null) throw new CliException("option --configs: two configurations named " + name + "; rename one");
		}
		if (seeds.length == 0) throw new CliException("option --seeds: give at least one seed");
		if (new TreeSet<>(Arrays.stream(seeds).boxed().toList()).size() != seeds.length)
			throw new CliException("option --seeds: a seed is given twice");

		final List<SweepRun.Task> tasks = new ArrayList<>();
		for (final Map.Entry<String, Path> config : configs.entrySet())
			for (final int seed : seeds)
				tasks.add(new SweepRun.Task(tasks.size(), config.getValue().toString(), config.getKey(), seed,
					output.resolve(config.getKey()).resolve("seed-" + seed).toString()));
		Files.createDirectories(output);
		final SweepRun runner = new SweepRun(data.toString(), split, device, threads);

		final SparkConf conf = new SparkConf().setAppName("SSS sweep " + output.getFileName());
		if (master != null) conf.setMaster(master);
		else conf.setIfMissing("spark.master", "local[*]");
		final long start = System.nanoTime();
		final List<SweepRun.Result> results;
		final String sparkMaster, sparkVersion;
		try (JavaSparkContext sc = new JavaSparkContext(conf)) {
			sparkMaster = sc.master();
			sparkVersion = sc.version();
			out.println("SSS sweep: " + configs.size() + " configurations x " + seeds.length + " seeds = " + tasks.size() + " runs on " + sparkMaster +
				" (Spark " + sparkVersion + ")");
			results = new ArrayList<>(sc.parallelize(tasks, tasks.size()).map(runner::train).collect());
		}
		final double seconds = (System.nanoTime() - start) / 1e9;
		results.sort(Comparator.comparingInt(SweepRun.Result::index));

		final StringBuilder runs = new StringBuilder("config,seed,iterations,best_dice,best_iteration,last_dice,seconds,executor,status\n");
		final StringBuilder failures = new StringBuilder("config,seed,reason\n");
		final Map<String, List<SweepRun.Result>> byConfig = new LinkedHashMap<>();
		configs.keySet().forEach(name -> byConfig.put(name, new ArrayList<>()));
		final Map<SweepRun.Status, Integer> counts = new java.util.EnumMap<>(SweepRun.Status.class);
		for (final SweepRun.Status status : SweepRun.Status.values())
			counts.put(status, 0);
		results.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
		final int failed = counts.get(SweepRun.Status.FAILED);
		for (final SweepRun.Result r : results) {
			if (r.failure() != null) {
				failures.append(SegmentJob.csv(r.name())).append(',').append(r.seed()).append(',').append(SegmentJob.csv(r.failure())).append('\n');
				out.println("failed " + r.name() + " seed " + r.seed() + ": " + r.failure());
				continue;
			}
			runs.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%s,%.1f,%s,%s%n", SegmentJob.csv(r.name()), r.seed(), r.iterations(), dice(r.bestDice()),
				r.bestIteration(), dice(r.lastDice()), r.seconds(), SegmentJob.csv(r.executor()), r.status().name().toLowerCase(Locale.ROOT)));
			byConfig.get(r.name()).add(r);
		}
		final StringBuilder summary = new StringBuilder(
			"config,runs,best_dice_mean,best_dice_sd,best_dice_min,best_dice_max,last_dice_mean,last_dice_sd,last_dice_min,last_dice_max\n");
		final JsonArray perConfig = new JsonArray();
		for (final Map.Entry<String, List<SweepRun.Result>> e : byConfig.entrySet()) {
			final Spread best = Spread.of(e.getValue(), SweepRun.Result::bestDice), last = Spread.of(e.getValue(), SweepRun.Result::lastDice);
			summary.append(SegmentJob.csv(e.getKey())).append(',').append(e.getValue().size()).append(',').append(best.csv()).append(',')
				.append(last.csv()).append('\n');
			final JsonObject row = new JsonObject();
			row.addProperty("config", e.getKey());
			row.addProperty("file", configs.get(e.getKey()).toString());
			row.addProperty("runs", e.getValue().size());
			row.add("best_dice", best.json());
			row.add("last_dice", last.json());
			perConfig.add(row);
		}
		AtomicFiles.writeString(output.resolve(RUNS), runs.toString());
		AtomicFiles.writeString(output.resolve(SUMMARY), summary.toString());
		AtomicFiles.writeString(output.resolve(FAILURES), failures.toString());

		final JsonObject job = new JsonObject();
		job.addProperty("command", "sweep");
		job.addProperty("sss_version", SssVersion.get());
		job.addProperty("data", data.toString());
		job.addProperty("split", split);
		job.addProperty("output", output.toString());
		job.addProperty("runs", tasks.size());
		for (final Map.Entry<SweepRun.Status, Integer> count : counts.entrySet())
			job.addProperty(count.getKey().name().toLowerCase(Locale.ROOT), count.getValue());
		job.addProperty("wall_seconds", Math.round(seconds * 1000) / 1000.0);
		job.addProperty("run_seconds_total", Math.round(results.stream().mapToDouble(SweepRun.Result::seconds).sum() * 1000) / 1000.0);
		final TreeSet<String> executors = new TreeSet<>();
		results.forEach(r -> executors.add(r.executor()));
		job.addProperty("executors", executors.size());
		final JsonArray ids = new JsonArray();
		executors.forEach(ids::add);
		job.add("executor_ids", ids);
		job.addProperty("master", sparkMaster);
		job.addProperty("spark_version", sparkVersion);
		job.add("configs", perConfig);
		AtomicFiles.writeString(output.resolve(JOB), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(job) + "\n");

		out.print(summary);
		out.printf(Locale.ROOT, "%d runs trained, %d resumed, %d finished before, %d failed in %.1f s on %d executors; %s%n",
			counts.get(SweepRun.Status.TRAINED), counts.get(SweepRun.Status.RESUMED), counts.get(SweepRun.Status.FINISHED), failed, seconds,
			executors.size(), output.resolve(SUMMARY));
		return failed == 0 ? 0 : 1;
	}

	/** A Dice for the tables: 4 decimals, empty when there is none (no validation cases). */
	private static String dice(final double d) {
		return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.4f", d);
	}

	/**
	 * Mean, sample standard deviation (n - 1; NaN for one run), min and max of one Dice over a
	 * configuration's runs that have it.
	 */
	record Spread(int n, double mean, double sd, double min, double max) {

		static Spread of(final List<SweepRun.Result> runs, final ToDoubleFunction<SweepRun.Result> value) {
			final double[] v = runs.stream().mapToDouble(value).filter(d -> !Double.isNaN(d)).toArray();
			if (v.length == 0) return new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
			double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
			for (final double d : v) {
				sum += d;
				min = Math.min(min, d);
				max = Math.max(max, d);
			}
			final double mean = sum / v.length;
			double squares = 0;
			for (final double d : v)
				squares += (d - mean) * (d - mean);
			return new Spread(v.length, mean, v.length > 1 ? Math.sqrt(squares / (v.length - 1)) : Double.NaN, min, max);
		}

		String csv() {
			return dice(mean) + "," + dice(sd) + "," + dice(min) + "," + dice(max);
		}

		JsonObject json() {
			final JsonObject o = new JsonObject();
			o.addProperty("n", n);
			o.addProperty("mean", mean);
			o.addProperty("sd", sd);
			o.addProperty("min", min);
			o.addProperty("max", max);
			return o;
		}
	}
}
