package io.github.sssfiji.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.cli.CliArguments;
import io.github.sssfiji.cli.CliException;
import io.github.sssfiji.eval.EvaluationCases;
import io.github.sssfiji.eval.EvaluationReport;
import io.github.sssfiji.eval.EvaluationResult;
import io.github.sssfiji.eval.Evaluator;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.service.SssService.DeviceChoice;
import io.github.sssfiji.spark.VolumeResult.Status;
import io.github.sssfiji.sss.modelfile.ModelInfo;
import io.github.sssfiji.sss.predict.OutputFormat;
import io.github.sssfiji.sss.predict.PredictFiles;
import io.github.sssfiji.util.SssVersion;

/**
 * {@code segment --model M.sss (--input DIR_OR_FILE_OR_LIST | --list LIST) --out DIR [--pcsw true] [--gt DIR]
 * [--master URL]}: a cohort segmented by a Spark job, in tasks of at most {@value #VOLUMES_PER_TASK} volumes,
 * largest files first and the tasks shrinking towards the end ({@link #tasks}). Each executor loads the model once ({@link ExecutorContext}) and runs
 * {@link Segmenter} on its volumes. The driver writes into {@code DIR}:
 * <ul>
 * <li>{@code failures.csv}: {@code input,reason}, one row per volume that failed (header only when none);</li>
 * <li>{@code volumes.csv}: {@code input,status,started_ms,seconds,executor} per volume (done, skipped or failed);</li>
 * <li>with {@code --gt}: {@code metrics.csv} and {@code metrics.json}, the tables of {@code evaluate} (per case
 * and class; per class and overall means) over the volumes with a reference of the same base name;</li>
 * <li>{@code job.json}: counts (done, skipped, failed), wall time, volumes per minute, executors.</li>
 * </ul>
 * Without {@code --master} the job runs on the master spark-submit gave, else embedded on {@code local[*]}.
 * Exit code 0 when every volume was segmented or skipped (and scored, with {@code --gt}), 1 when any failed,
 * 2 for bad options or input.
 */
public final class SegmentJob {

	public static final String FAILURES = "failures.csv";
	public static final String METRICS_CSV = "metrics.csv";
	public static final String METRICS_JSON = "metrics.json";
	public static final String JOB = "job.json";
	public static final String VOLUMES = "volumes.csv";

	/**
	 * The most volumes in one task by default. Spark costs about 10 ms per task (scheduling, results
	 * to the driver), 4 % of an ACDC volume's 0.27 s on one thread; ten volumes per task cut it to 1 %
	 * (bench/spark, local[2]: 1.70x over one process with a task per volume, 1.80x with ten). A
	 * retried task loses nothing it finished: its written volumes are skipped.
	 */
	static final int VOLUMES_PER_TASK = 10;

	private SegmentJob() {}

	static String usage() {
		return "segment --model M.sss (--input DIR_OR_FILE_OR_LIST.txt | --list LIST.txt) --out DIR [--pcsw false] [--gt DIR] [--classes 1,2,3]\n" +
			"        [--master URL] [--partitions N] [--batch 8] [--threads T] [--device auto|cpu]\n" +
			"    label maps <base>.nii.gz (and with --pcsw true PCSW prompts <base>.prompts.json) for every volume, in Spark tasks of\n" +
			"    at most " + VOLUMES_PER_TASK + " volumes, largest files first; existing label maps are skipped; failed volumes are rows of DIR/failures.csv (exit code 1); with --gt the\n" +
			"    evaluate metrics per case and class in DIR/metrics.csv and DIR/metrics.json; counts and times in DIR/job.json.\n" +
			"    --master defaults to spark-submit's, else local[*]; --partitions N sets the number of tasks, cut from the\n" +
			"    list in order (default: tasks of up to " + VOLUMES_PER_TASK + " volumes that shrink towards the end; the number of volumes for one each);\n" +
			"    --threads sets libtorch's threads per executor";
	}

	/** Runs the job; never calls {@code System.exit}. */
	public static int run(final CliArguments args, final PrintStream out) throws IOException {
		final Path model = args.existingPath("model").toAbsolutePath().normalize();
		if (args.has("input") == args.has("list")) throw new CliException("give exactly one of --input and --list");
		Path input = args.has("input") ? args.existingPath("input") : null;
		Path list = args.has("list") ? args.existingPath("list") : null;
		// a text file given as --input is a list of volumes, one per line
		if (input != null && Files.isRegularFile(input) && isListFile(input)) {
			list = input;
			input = null;
		}
		final Path output = Path.of(args.require("out")).toAbsolutePath().normalize();
		if (Files.exists(output) && !Files.isDirectory(output)) throw new CliException("option --out " + output + ": is a file, not a folder");
		final boolean pcsw = args.getBoolean("pcsw", false);
		final Path gt = args.has("gt") ? args.existingPath("gt").toAbsolutePath().normalize() : null;
		if (gt != null && !Files.isDirectory(gt)) throw new CliException("option --gt " + gt + ": give the folder of reference label files");
		final int[] chosenClasses = args.getIntList("classes");
		final String master = args.get("master", null);
		final int batch = args.getInt("batch", 8);
		if (batch < 1) throw new CliException("--batch must be at least 1, got " + batch);
		final int threads = args.getInt("threads", 0);
		if (threads < 0) throw new CliException("--threads must be at least 1 (or 0 for the engine's choice), got " + threads);
		final String device = args.get("device", null);
		if (device != null) DeviceChoice.parse(device, "option --device");
		final int partitionsAsked = args.getInt("partitions", 0);
		if (partitionsAsked < 0) throw new CliException("--partitions must be at least 1 (or 0 for the default), got " + partitionsAsked);
		args.rejectUnknown();

		final ImageFiles.Listing listing = PredictFiles.inputs(input, list);
		for (final ImageFiles.Skipped skipped : listing.skipped())
			out.println("skipped " + skipped);
		final List<Path> inputs = listing.images();
		// names are checked before anything runs: two volumes must not write one label map
		final Map<Path, Path> targets = PredictFiles.targets(inputs, output, OutputFormat.NIFTI, false, "option --out");
		final int[] classes = chosenClasses != null ? chosenClasses : foregroundClasses(model);
		final Map<String, Path> references = gt == null ? Map.of() : EvaluationCases.byBaseName(gt);
		final List<VolumeTask> tasks = new ArrayList<>(inputs.size());
		int withoutReference = 0;
		for (int i = 0; i < inputs.size(); i++) {
			final Path file = inputs.get(i);
			final Path reference = references.get(ImageFiles.baseName(file));
			if (gt != null && reference == null) withoutReference++;
			tasks.add(new VolumeTask(i, file.toAbsolutePath().normalize().toString(), targets.get(file).toString(),
				reference == null ? null : reference.toAbsolutePath().normalize().toString()));
		}
		Files.createDirectories(output);
		final Segmenter segmenter = new Segmenter(model.toString(), output.toString(), batch, pcsw, device, threads, classes);

		final SparkConf conf = new SparkConf().setAppName("SSS segment " + output.getFileName());
		if (master != null) conf.setMaster(master);
		// spark-submit sets spark.master; a plain java -jar runs embedded on every core
		else conf.setIfMissing("spark.master", "local[*]");
		final long startedMillis = System.currentTimeMillis(), start = System.nanoTime();
		final List<VolumeResult> results;
		final String sparkMaster, sparkVersion;
		final int parallelism, partitions;
		try (JavaSparkContext sc = new JavaSparkContext(conf)) {
			sparkMaster = sc.master();
			sparkVersion = sc.version();
			parallelism = sc.defaultParallelism();
			final List<List<VolumeTask>> plan = tasks(tasks, SegmentJob::fileSize, partitionsAsked, parallelism);
			partitions = plan.size();
			out.println("SSS segment: " + tasks.size() + " volumes in " + partitions + " tasks on " + sparkMaster + " (Spark " + sparkVersion + ")");
			// one task per partition: Spark launches them in this order as task slots free up
			results = new ArrayList<>(sc.parallelize(plan, partitions).flatMap(volumes -> volumes.stream().map(segmenter::segment).iterator()).collect());
		}
		final double seconds = (System.nanoTime() - start) / 1e9;
		results.sort(Comparator.comparingInt(VolumeResult::index));
		// an executor killed while writing (a lost node) leaves a temporary file; Spark ran the task again elsewhere
		final List<Path> written = new ArrayList<>();
		for (final VolumeTask task : tasks) {
			final Path target = Path.of(task.target());
			written.add(target);
			written.add(Segmenter.promptsTarget(target));
		}
		final List<Path> leftovers = AtomicFiles.removeTemporaries(written);
		if (!leftovers.isEmpty()) out.println("removed " + leftovers.size() + " temporary files of killed tasks: " + leftovers);

		int done = 0, skipped = 0, failed = 0, metricsFailed = 0;
		final StringBuilder failures = new StringBuilder("input,reason\n");
		for (final VolumeResult r : results) {
			if (r.status() == Status.DONE) done++;
			else if (r.status() == Status.SKIPPED) skipped++;
			else {
				failed++;
				failures.append(csv(r.input())).append(',').append(csv(r.reason())).append('\n');
				out.println("failed " + r.input() + ": " + r.reason());
			}
			if (r.metricsFailure() != null) {
				metricsFailed++;
				failures.append(csv(r.input())).append(',').append(csv("metrics: " + r.metricsFailure())).append('\n');
				out.println("metrics failed " + r.input() + ": " + r.metricsFailure());
			}
		}
		AtomicFiles.writeString(output.resolve(FAILURES), failures.toString());
		// per volume where and how long: a first task per executor that is longer than the others is the model's load
		final StringBuilder volumes = new StringBuilder("input,status,started_ms,seconds,executor\n");
		for (final VolumeResult r : results)
			volumes.append(csv(r.input())).append(',').append(r.status().name().toLowerCase(Locale.ROOT)).append(',').append(r.startedMillis()).append(',')
				.append(String.format(Locale.ROOT, "%.3f", r.seconds())).append(',').append(csv(r.executor())).append('\n');
		AtomicFiles.writeString(output.resolve(VOLUMES), volumes.toString());

		EvaluationResult metrics = null;
		if (gt != null) {
			final List<io.github.sssfiji.eval.MetricsRow> rows = Segmenter.rows(results);
			if (!rows.isEmpty()) {
				metrics = Evaluator.summarise(rows, classes);
				EvaluationReport.writeCsv(metrics, output.resolve(METRICS_CSV));
				EvaluationReport.writeJson(metrics, output.resolve(METRICS_JSON));
			}
		}

		final JsonObject job = new JsonObject();
		job.addProperty("command", "segment");
		job.addProperty("sss_version", SssVersion.get());
		job.addProperty("model", model.toString());
		job.addProperty("output", output.toString());
		job.addProperty("pcsw", pcsw);
		job.addProperty("volumes", tasks.size());
		job.addProperty("done", done);
		job.addProperty("skipped", skipped);
		job.addProperty("failed", failed);
		job.addProperty("started_ms", startedMillis);
		job.addProperty("wall_seconds", round(seconds));
		job.addProperty("volumes_per_minute", round(done / (seconds / 60)));
		job.addProperty("temporaries_removed", leftovers.size());
		job.addProperty("segment_seconds_total", round(results.stream().mapToDouble(VolumeResult::seconds).sum()));
		final TreeSet<String> executors = new TreeSet<>();
		results.forEach(r -> executors.add(r.executor()));
		job.addProperty("executors", executors.size());
		final JsonArray ids = new JsonArray();
		executors.forEach(ids::add);
		job.add("executor_ids", ids);
		job.addProperty("master", sparkMaster);
		job.addProperty("spark_version", sparkVersion);
		job.addProperty("default_parallelism", parallelism);
		job.addProperty("partitions", partitions);
		if (gt != null) {
			final JsonObject m = new JsonObject();
			m.addProperty("gt", gt.toString());
			m.addProperty("cases", metrics == null ? 0 : (int) results.stream().filter(r -> !r.scores().isEmpty()).count());
			m.addProperty("without_reference", withoutReference);
			m.addProperty("failed", metricsFailed);
			m.add("classes", new GsonBuilder().create().toJsonTree(classes));
			if (metrics != null) m.add("mean", meanOf(metrics));
			job.add("metrics", m);
		}
		AtomicFiles.writeString(output.resolve(JOB), new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(job) + "\n");

		out.printf(Locale.ROOT, "%d done, %d skipped (label map exists), %d failed in %.1f s (%.1f volumes per minute, %d executors); %s%n", done, skipped,
			failed, seconds, done / (seconds / 60), executors.size(), output.resolve(JOB));
		if (gt != null && withoutReference > 0) out.println(withoutReference + " volumes have no reference in " + gt + " and are not scored");
		return failed + metricsFailed == 0 ? 0 : 1;
	}

	/** The overall means of {@code evaluate}'s JSON summary. */
	private static JsonElement meanOf(final EvaluationResult metrics) {
		final JsonObject json = com.google.gson.JsonParser.parseString(EvaluationReport.toJson(metrics)).getAsJsonObject();
		return json.getAsJsonObject("summary").get("mean");
	}

	/** The model's classes but background (0): what the job scores unless {@code --classes} chooses. */
	private static int[] foregroundClasses(final Path model) throws IOException {
		final JsonObject info = ModelInfo.describe(model);
		if (!info.has("classNames") || !info.get("classNames").isJsonArray())
			throw new InvalidInputException(model + ": the model file names no classes; give --classes");
		final int count = info.getAsJsonArray("classNames").size();
		if (count < 2) throw new InvalidInputException(model + ": the model has no foreground class to score");
		final int[] classes = new int[count - 1];
		for (int c = 1; c < count; c++)
			classes[c - 1] = c;
		return classes;
	}

	private static boolean isListFile(final Path file) {
		final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		return name.endsWith(".txt") || name.endsWith(".list") || name.endsWith(".lst");
	}

	/**
	 * The volumes of each task, in the order Spark launches them. As asked ({@code asked} tasks, at
	 * most one per volume): the list cut into that many runs of near-equal length, in list order.
	 * By default the volumes go largest first ({@code cost}, the file size), in tasks of at most
	 * {@link #VOLUMES_PER_TASK} that shrink towards the end (a task takes a (2 x
	 * {@code parallelism})-th of the volumes left), so that the last tasks are short and the task
	 * slots finish close together whatever the volumes' sizes. On ACDC, whose volumes are alike, one
	 * slot stood idle at the end for 0.6-1.1 s of a 31 s job either way (bench/spark).
	 */
	static <T> List<List<T>> tasks(final List<T> volumes, final java.util.function.ToLongFunction<T> cost, final int asked, final int parallelism) {
		final List<List<T>> plan = new ArrayList<>();
		final int n = volumes.size();
		if (n == 0) {
			plan.add(new ArrayList<>());
			return plan;
		}
		if (asked > 0) {
			final int count = Math.min(asked, n);
			for (int i = 0; i < count; i++)
				plan.add(new ArrayList<>(volumes.subList((int) ((long) i * n / count), (int) ((long) (i + 1) * n / count))));
			return plan;
		}
		final List<T> ordered = new ArrayList<>(volumes);
		// stable: equal sizes keep the list's order
		ordered.sort(Comparator.comparingLong(cost).reversed());
		final int share = 2 * Math.max(1, parallelism);
		for (int from = 0; from < n;) {
			final int left = n - from;
			final int size = Math.max(1, Math.min(VOLUMES_PER_TASK, (left + share - 1) / share));
			plan.add(new ArrayList<>(ordered.subList(from, from + size)));
			from += size;
		}
		return plan;
	}

	/** A volume's cost for {@link #tasks}: its file's size; 0 for a file that cannot be read (its task reports why). */
	private static long fileSize(final VolumeTask task) {
		try {
			return Files.size(Path.of(task.input()));
		}
		catch (final IOException | RuntimeException e) {
			return 0;
		}
	}

	private static double round(final double v) {
		return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : 0;
	}

	/** A CSV field, quoted per RFC 4180 when it needs it. */
	static String csv(final String s) {
		if (s == null) return "";
		final String one = s.replace('\n', ' ').replace('\r', ' ');
		if (one.indexOf(',') < 0 && one.indexOf('"') < 0) return one;
		return '"' + one.replace("\"", "\"\"") + '"';
	}
}
