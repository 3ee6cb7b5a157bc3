package io.github.sssfiji.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.eval.EvaluationCases;
import io.github.sssfiji.eval.EvaluationReport;
import io.github.sssfiji.eval.Evaluator;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.PromptsJson;
import io.github.sssfiji.sss.predict.OutputFormat;
import io.github.sssfiji.sss.predict.PredictFiles;

/**
 * The cohort job on a real Spark, embedded on {@code local[2]}, over the four sample test volumes
 * with an untrained U-Net: the same label maps as the single-process prediction, a rerun that skips
 * everything, a corrupt volume reported while the others complete, and the metrics of
 * {@code evaluate} with {@code --gt}.
 */
class SegmentJobTest {

	private static final Path IMAGES = Path.of("sample-data", "test", "images");
	private static final Path LABELS = Path.of("sample-data", "test", "labels");
	/** A small, quiet Spark: no web UI, on the loopback interface. */

	@TempDir
	Path dir;

	@BeforeAll
	static void quietSpark() {
		SparkRun.quiet();
	}

	@AfterAll
	static void forgetSparkProperties() {
		SparkRun.forgetQuiet();
	}

	/** An untrained 4-class U-Net for 32 x 32 slices: predictions are deterministic, which is all this needs. */
	private Path model() throws IOException {
		return untrainedModel(dir);
	}

	/** {@code folder/m.sss}: an untrained 4-class U-Net for 32 x 32 slices, as the Spark tests use. */
	static Path untrainedModel(final Path folder) throws IOException {
		final Path file = folder.resolve("m.sss");
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(UNetConfig.acdc(), root, 3)) {
			SssModel.write(file, net, List.of("background", "RV", "Myo", "LV"), 32, null);
		}
		return file;
	}

	private static SparkRun segment(final Path model, final Path input, final Path out, final String... more) {
		return SparkRun.of(Stream.concat(Stream.of("segment", "--model", model.toString(), "--input", input.toString(), "--out", out.toString(),
			"--master", "local[2]"), Stream.of(more)).toArray(String[]::new));
	}

	static JsonObject json(final Path file) throws IOException {
		return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
	}

	static List<String> labelMaps(final Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".nii.gz")).sorted().toList();
		}
	}

	@Test
	void theDefaultTasksTakeTheLargestVolumesFirstInTasksOfAtMostTenThatShrinkTowardsTheEnd() {
		final List<Integer> volumes = new java.util.ArrayList<>();
		for (int i = 0; i < 200; i++)
			volumes.add((i * 37) % 200);
		final List<List<Integer>> plan = SegmentJob.tasks(volumes, Integer::longValue, 0, 2);
		final List<Integer> order = plan.stream().flatMap(List::stream).toList();
		assertEquals(new java.util.TreeSet<>(volumes), new java.util.TreeSet<>(order), "every volume once");
		assertEquals(200, order.size(), "every volume once");
		for (int i = 1; i < order.size(); i++)
			assertTrue(order.get(i) <= order.get(i - 1), "largest first: " + order);
		for (int t = 1; t < plan.size(); t++)
			assertTrue(plan.get(t).size() <= plan.get(t - 1).size(), "tasks shrink: " + plan);
		assertEquals(10, plan.get(0).size(), "at most ten: the per-task cost stays at 1 %");
		assertEquals(1, plan.get(plan.size() - 1).size(), "the last tasks hold one volume each");
		assertEquals(1, plan.get(plan.size() - 4).size(), "one per slot twice over at the end");
		assertTrue(plan.size() <= 30, "a few more tasks than the 20 of ten each: " + plan.size());
		assertEquals(List.of(List.of(5), List.of(3), List.of(1)), SegmentJob.tasks(List.of(1, 5, 3), Integer::longValue, 0, 8), "never more tasks than volumes");
		assertEquals(List.of(List.of()), SegmentJob.tasks(List.<Integer>of(), Integer::longValue, 0, 8), "an empty list is one empty task");
		final List<List<Integer>> asked = SegmentJob.tasks(volumes, Integer::longValue, 7, 2);
		assertEquals(7, asked.size(), "as asked");
		assertEquals(volumes, asked.stream().flatMap(List::stream).toList(), "asked: the list's order, cut in runs");
		assertTrue(asked.stream().allMatch(t -> t.size() == 28 || t.size() == 29), "near-equal runs");
		assertEquals(200, SegmentJob.tasks(volumes, Integer::longValue, 500, 2).size(), "at most one per volume");
	}

	@Test
	void theLabelMapsOfLocalTwoEqualThoseOfTheSingleProcessPredictionVoxelForVoxelAndASecondRunSkipsEverything() throws IOException {
		final Path model = model(), spark = dir.resolve("spark"), single = dir.resolve("single");
		final SparkRun run = segment(model, IMAGES, spark);
		assertEquals(0, run.code(), run.toString());
		final JsonObject job = json(spark.resolve(SegmentJob.JOB));
		assertEquals(4, job.get("volumes").getAsInt(), job.toString());
		assertEquals(4, job.get("done").getAsInt(), job.toString());
		assertEquals(0, job.get("skipped").getAsInt(), job.toString());
		assertEquals(0, job.get("failed").getAsInt(), job.toString());
		assertEquals("local[2]", job.get("master").getAsString());
		assertEquals(1, job.get("executors").getAsInt(), "local mode runs every task in the driver's executor: " + job);
		assertTrue(job.get("volumes_per_minute").getAsDouble() > 0, job.toString());
		assertEquals(List.of("input,reason"), Files.readAllLines(spark.resolve(SegmentJob.FAILURES)));
		final List<String> volumes = Files.readAllLines(spark.resolve(SegmentJob.VOLUMES));
		assertEquals(5, volumes.size(), volumes.toString());
		assertTrue(volumes.get(1).matches(".*synthetic_014\\.nii\\.gz,done,[0-9]+,[0-9.]+,driver"), volumes.toString());
		// every task starts and ends within the job (one clock in local mode): the gaps between them are Spark's
		final long jobStart = job.get("started_ms").getAsLong();
		final double jobEnd = jobStart + 1000 * job.get("wall_seconds").getAsDouble();
		for (final String row : volumes.subList(1, volumes.size())) {
			final String[] cells = row.split(",");
			final long started = Long.parseLong(cells[cells.length - 3]);
			final double ended = started + 1000 * Double.parseDouble(cells[cells.length - 2]);
			assertTrue(started >= jobStart && ended <= jobEnd + 50, row + " outside the job " + job);
		}

		try (SssModel loaded = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			final PredictFiles.Outcome outcome = PredictFiles.run(loaded, PredictFiles.inputs(IMAGES, null).images(), single, OutputFormat.NIFTI, 8, false, false, false, root, null);
			assertEquals(4, outcome.written().size(), outcome.counts());
		}
		assertEquals(labelMaps(single), labelMaps(spark));
		for (final String name : labelMaps(single))
			assertArrayEquals(ImageFiles.readLabels(single.resolve(name)).toLabelArray(), ImageFiles.readLabels(spark.resolve(name)).toLabelArray(),
				name);

		final long before = Files.getLastModifiedTime(spark.resolve("synthetic_014.nii.gz")).toMillis();
		final SparkRun again = segment(model, IMAGES, spark);
		assertEquals(0, again.code(), again.toString());
		final JsonObject second = json(spark.resolve(SegmentJob.JOB));
		assertEquals(0, second.get("done").getAsInt(), second.toString());
		assertEquals(4, second.get("skipped").getAsInt(), second.toString());
		assertEquals(before, Files.getLastModifiedTime(spark.resolve("synthetic_014.nii.gz")).toMillis());
	}

	@Test
	void aCorruptVolumeIsARowOfFailuresCsvWhileTheOthersCompleteAndTheExitCodeIsOne() throws IOException {
		final Path model = model(), input = Files.createDirectories(dir.resolve("input")), out = dir.resolve("out");
		try (Stream<Path> files = Files.list(IMAGES)) {
			for (final Path file : files.toList())
				Files.copy(file, input.resolve(file.getFileName()));
		}
		// the first kilobyte of a real volume: a gzip stream cut short
		final byte[] whole = Files.readAllBytes(IMAGES.resolve("synthetic_014.nii.gz"));
		Files.write(input.resolve("corrupt.nii.gz"), Arrays.copyOf(whole, 1024));

		final SparkRun run = segment(model, input, out);
		assertEquals(1, run.code(), run.toString());
		final List<String> failures = Files.readAllLines(out.resolve(SegmentJob.FAILURES));
		assertEquals(2, failures.size(), failures.toString());
		assertTrue(failures.get(1).startsWith(input.resolve("corrupt.nii.gz").toAbsolutePath() + ","), failures.toString());
		assertEquals(List.of("synthetic_014.nii.gz", "synthetic_015.nii.gz", "synthetic_016.nii.gz", "synthetic_017.nii.gz"), labelMaps(out));
		final JsonObject job = json(out.resolve(SegmentJob.JOB));
		assertEquals(4, job.get("done").getAsInt(), job.toString());
		assertEquals(1, job.get("failed").getAsInt(), job.toString());
		// no partial or temporary file of the corrupt volume is left
		try (Stream<Path> files = Files.list(out)) {
			assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") || n.startsWith("corrupt")).toList());
		}
	}

	@Test
	void withGtTheMetricsAreThoseOfEvaluatePerCaseAndClassAndWithPcswEachVolumeHasItsPrompts() throws IOException {
		final Path model = model(), out = dir.resolve("out");
		final SparkRun run = segment(model, IMAGES, out, "--gt", LABELS.toString(), "--pcsw", "true");
		assertEquals(0, run.code(), run.toString());
		final List<String> rows = Files.readAllLines(out.resolve(SegmentJob.METRICS_CSV));
		assertEquals("case,class,dice,jaccard,hd95,asd,assd", rows.get(0));
		// 4 cases x the model's 3 foreground classes
		assertEquals(1 + 4 * 3, rows.size(), rows.toString());
		// the same tables as evaluate over the label maps written
		final String evaluate = EvaluationReport.toCsv(Evaluator.evaluate(EvaluationCases.pairs(out, LABELS), new int[] { 1, 2, 3 }));
		assertEquals(evaluate, Files.readString(out.resolve(SegmentJob.METRICS_CSV)));
		assertEquals(EvaluationReport.toJson(Evaluator.evaluate(EvaluationCases.pairs(out, LABELS), new int[] { 1, 2, 3 })),
			Files.readString(out.resolve(SegmentJob.METRICS_JSON)));
		final JsonObject metrics = json(out.resolve(SegmentJob.JOB)).getAsJsonObject("metrics");
		assertEquals(4, metrics.get("cases").getAsInt(), metrics.toString());
		assertTrue(metrics.getAsJsonObject("mean").has("dice"), metrics.toString());
		for (final String name : labelMaps(out)) {
			final Path prompts = out.resolve(name.replace(".nii.gz", ".prompts.json"));
			assertTrue(Files.exists(prompts), prompts.toString());
			PromptsJson.read(prompts);
		}
	}
}
