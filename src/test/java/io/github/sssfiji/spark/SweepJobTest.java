package io.github.sssfiji.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import io.github.sssfiji.cli.Main;
import io.github.sssfiji.sss.modelfile.TensorArchive;
import io.github.sssfiji.sss.train.Trainer;

/**
 * The training sweep on a real Spark embedded on {@code local[2]}: two configurations of two
 * iterations on the sample data (as the CLI's training tests) times two seeds, each run the
 * {@code train} command's, and the tables of the best and last validation Dice.
 */
class SweepJobTest {

	/** The smallest training of the CLI tests: supervised, 2 iterations of 2 crops of 32 x 32, validated at the end. */
	private static final String TINY = "\"mode\": \"supervised\", \"iterations\": 2, \"crop\": 32, \"batch\": 2, \"validationInterval\": 2";

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

	private Path config(final String name, final String json) throws IOException {
		return Files.writeString(dir.resolve(name), "{" + json + "}");
	}

	/** The rows of a CSV without its header, split at commas (no field of these tables is quoted). */
	private static List<String[]> rows(final Path csv) throws IOException {
		final List<String[]> rows = new ArrayList<>();
		for (final String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size()))
			rows.add(line.split(",", -1));
		return rows;
	}

	@Test
	void everyConfigurationAndSeedIsOneTrainRunAndTheSummaryGivesTheMeanAndSpreadOfTheirBestAndLastDice() throws IOException {
		final Path a = config("a.json", TINY), b = config("b.json", TINY + ", \"lr\": 0.003"), out = dir.resolve("sweep");
		final SparkRun run = SparkRun.of("sweep", "--data", "sample-data", "--configs", a + "," + b, "--seeds", "0,1", "--out", out.toString(), "--master",
			"local[2]", "--threads", "1");
		assertEquals(0, run.code(), run.toString());

		final List<String[]> runs = rows(out.resolve(SweepJob.RUNS));
		assertEquals(4, runs.size(), runs.toString());
		final List<String> order = new ArrayList<>();
		for (final String[] r : runs) {
			order.add(r[0] + "/" + r[1]);
			assertEquals("2", r[2], "iterations");
			final double best = Double.parseDouble(r[3]), last = Double.parseDouble(r[5]);
			assertTrue(best >= 0 && best <= 1 && last >= 0 && last <= 1, String.join(",", r));
			// validated once, at the end: the best is the last
			assertEquals(best, last, String.join(",", r));
			assertEquals("2", r[4], "best iteration");
			final Path folder = out.resolve(r[0]).resolve("seed-" + r[1]);
			assertTrue(Files.isRegularFile(folder.resolve(Trainer.BEST)) && Files.isRegularFile(folder.resolve(Trainer.LAST)), folder.toString());
			assertTrue(Files.readString(folder.resolve(SweepRun.LOG)).contains("validation at 2: Dice"), folder.toString());
		}
		assertEquals(List.of("a/0", "a/1", "b/0", "b/1"), order);

		// per configuration: the mean and sample standard deviation of its runs
		final List<String[]> summary = rows(out.resolve(SweepJob.SUMMARY));
		assertEquals(2, summary.size());
		for (int c = 0; c < 2; c++) {
			final double x = Double.parseDouble(runs.get(2 * c)[3]), y = Double.parseDouble(runs.get(2 * c + 1)[3]);
			final String[] s = summary.get(c);
			assertEquals(c == 0 ? "a" : "b", s[0]);
			assertEquals("2", s[1]);
			// from the tables' 4 decimals
			assertEquals((x + y) / 2, Double.parseDouble(s[2]), 1.01e-4, "best mean");
			assertEquals(Math.abs(x - y) / Math.sqrt(2), Double.parseDouble(s[3]), 1.01e-4, "best sd");
			assertEquals(String.format(Locale.ROOT, "%.4f", Math.min(x, y)), s[4]);
			assertEquals(String.format(Locale.ROOT, "%.4f", Math.max(x, y)), s[5]);
			assertEquals(s[2], s[6], "the last Dice is the best here");
		}
		assertEquals(List.of("config,seed,reason"), Files.readAllLines(out.resolve(SweepJob.FAILURES)));
		final JsonObject job = SegmentJobTest.json(out.resolve(SweepJob.JOB));
		assertEquals(4, job.get("trained").getAsInt(), job.toString());
		assertEquals("local[2]", job.get("master").getAsString());

		// a run is the train command's: the same configuration and seed give the same validation Dice
		final ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
		final int code = Main.run(new String[] { "train", "--data", "sample-data", "--config", b.toString(), "--seed", "1", "--threads", "1", "--out",
			dir.resolve("cli").toString() }, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
		assertEquals(0, code, o.toString(StandardCharsets.UTF_8) + e.toString(StandardCharsets.UTF_8));
		final Matcher best = Pattern.compile("best mean Dice ([0-9.]+)").matcher(o.toString(StandardCharsets.UTF_8));
		assertTrue(best.find(), o.toString(StandardCharsets.UTF_8));
		assertEquals(best.group(1), runs.get(3)[3], "b, seed 1");
	}

	/** The {@code train} command on the sample data with one thread; fails the test unless it exits with 0. */
	private static void train(final String... options) {
		final List<String> args = new ArrayList<>(List.of("train", "--data", "sample-data", "--threads", "1"));
		args.addAll(List.of(options));
		final ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
		final int code = Main.run(args.toArray(String[]::new), new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
		assertEquals(0, code, o.toString(StandardCharsets.UTF_8) + e.toString(StandardCharsets.UTF_8));
	}

	/** The last validation's mean Dice that a run's {@code last.sss} records, as the tables print it. */
	private static String lastDice(final Path run) throws IOException {
		final JsonObject last = TensorArchive.readMeta(run.resolve(Trainer.LAST)).getAsJsonObject("provenance").getAsJsonObject("validation")
			.getAsJsonObject("last");
		return String.format(Locale.ROOT, "%.4f", last.getAsJsonObject("dice").get("mean").getAsDouble());
	}

	private static Map<String, String[]> byRun(final List<String[]> rows) {
		final Map<String, String[]> runs = new LinkedHashMap<>();
		rows.forEach(r -> runs.put(r[0] + "/" + r[1], r));
		return runs;
	}

	@Test
	void aSweepRunAgainReadsFinishedRunsBackResumesAnInterruptedOneAndLeavesAFolderOfOtherSettingsAlone() throws IOException {
		final Path a = config("a.json", TINY), b = config("b.json", TINY + ", \"lr\": 0.003"), out = dir.resolve("sweep");
		// what a lost job leaves: a run of a, seed 1, that its budget ended after the first of its two iterations ...
		train("--config", a.toString(), "--seed", "1", "--budget-minutes", "0.000001", "--out", out.resolve("a").resolve("seed-1").toString());
		assertEquals(1, Trainer.saved(out.resolve("a").resolve("seed-1")).completed());
		// ... and, where b's seed 0 goes, a finished run of a's settings (b was edited since)
		final Path other = out.resolve("b").resolve("seed-0");
		train("--config", a.toString(), "--seed", "0", "--out", other.toString());
		final byte[] otherModel = Files.readAllBytes(other.resolve(Trainer.LAST));

		final SparkRun first = SparkRun.of("sweep", "--data", "sample-data", "--configs", a + "," + b, "--seeds", "0,1", "--out", out.toString(), "--master",
			"local[2]", "--threads", "1");
		assertEquals(1, first.code(), "b, seed 0 failed: " + first);
		final Map<String, String[]> runs = byRun(rows(out.resolve(SweepJob.RUNS)));
		assertEquals(List.of("a/0", "a/1", "b/1"), List.copyOf(runs.keySet()));
		assertEquals("trained", runs.get("a/0")[8]);
		assertEquals("resumed", runs.get("a/1")[8]);
		assertEquals("trained", runs.get("b/1")[8]);
		assertEquals("2", runs.get("a/1")[2], "the resumed run trained its second iteration");
		assertTrue(Files.readString(out.resolve("a").resolve("seed-1").resolve(SweepRun.LOG)).contains("at iteration 1"), "resumed from the checkpoint");
		final List<String> failures = Files.readAllLines(out.resolve(SweepJob.FAILURES));
		assertEquals(2, failures.size(), failures.toString());
		assertTrue(failures.get(1).startsWith("b,0,") && failures.get(1).contains("'lr'") && failures.get(1).contains(other.toString()), failures.toString());
		assertArrayEquals(otherModel, Files.readAllBytes(other.resolve(Trainer.LAST)), "the folder of other settings is left as it was");
		final JsonObject job = SegmentJobTest.json(out.resolve(SweepJob.JOB));
		assertEquals(List.of(2, 1, 0, 1), List.of(job.get("trained").getAsInt(), job.get("resumed").getAsInt(), job.get("finished").getAsInt(),
			job.get("failed").getAsInt()), job.toString());

		// the resumed run ends where an uninterrupted one does (its best may differ: it was also validated at iteration 1)
		train("--config", a.toString(), "--seed", "1", "--out", dir.resolve("straight").toString());
		assertEquals(lastDice(dir.resolve("straight")), runs.get("a/1")[5]);

		final FileTime trained = Files.getLastModifiedTime(out.resolve("a").resolve("seed-0").resolve(Trainer.LAST));
		final SparkRun second = SparkRun.of("sweep", "--data", "sample-data", "--configs", a.toString(), "--seeds", "0,1", "--out", out.toString(), "--master",
			"local[2]", "--threads", "1");
		assertEquals(0, second.code(), second.toString());
		final Map<String, String[]> again = byRun(rows(out.resolve(SweepJob.RUNS)));
		for (final String run : List.of("a/0", "a/1")) {
			assertEquals("finished", again.get(run)[8], run);
			// iterations, best Dice and its iteration, last Dice: read back as the first sweep reported them
			assertArrayEquals(Arrays.copyOfRange(runs.get(run), 0, 6), Arrays.copyOfRange(again.get(run), 0, 6), run);
		}
		assertEquals(trained, Files.getLastModifiedTime(out.resolve("a").resolve("seed-0").resolve(Trainer.LAST)), "not trained again");
		assertEquals(2, SegmentJobTest.json(out.resolve(SweepJob.JOB)).get("finished").getAsInt());
	}

	@Test
	void aConfigurationWithAnUnknownKeyStopsTheSweepBeforeAnyTrainingWithExitCodeTwo() throws IOException {
		final Path good = config("good.json", TINY), bad = config("bad.json", TINY + ", \"iteratons\": 5"), out = dir.resolve("sweep");
		final SparkRun run = SparkRun.of("sweep", "--data", "sample-data", "--configs", good + "," + bad, "--seeds", "0", "--out", out.toString(), "--master",
			"local[2]");
		assertEquals(2, run.code(), run.toString());
		final String[] lines = run.err().strip().split("\n");
		assertEquals(1, lines.length, run.err());
		assertTrue(lines[0].startsWith("error: sweep: ") && lines[0].contains(bad.toString()) && lines[0].contains("iteratons"), run.err());
		assertFalse(Files.exists(out.resolve("good")), "nothing trained");
	}
}
