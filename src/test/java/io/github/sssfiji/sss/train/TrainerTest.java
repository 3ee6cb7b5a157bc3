package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.data.Dataset;
import io.github.sssfiji.data.DatasetItem;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;
import io.github.sssfiji.sss.modelfile.ModelInfo;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.modelfile.TensorArchive;

class TrainerTest {

	@TempDir
	Path temp;

	@Test
	void aShortRunOnAcdcSlicesLowersTheLabelledLossAndWritesModels() throws IOException {
		final TrainingData data = TinyAcdc.load(temp, true);
		assertEquals(16, data.labelled().size());
		assertEquals(1, data.unlabelledVolumes().size());
		assertEquals(8, data.unlabelledVolumes().get(0).size());
		final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 4).with("iterations", 10)
			.with("validationInterval", 100).with("pcswInterval", 5).with("unlabelledStart", 0);
		final List<StepResult> steps = new ArrayList<>();
		final Trainer.Summary summary = Trainer.run(config, data, temp.resolve("run"), false, new TrainingListener() {

			@Override
			public void iteration(final StepResult result) {
				steps.add(result);
			}
		}, null, Device.cpu());
		assertEquals(10, summary.completedIterations());
		final double first = (steps.get(0).labelledLoss() + steps.get(1).labelledLoss() + steps.get(2).labelledLoss()) / 3;
		final double last = (steps.get(7).labelledLoss() + steps.get(8).labelledLoss() + steps.get(9).labelledLoss()) / 3;
		assertTrue(last < first, "labelled loss " + first + " -> " + last);
		for (final StepResult r : steps)
			assertTrue(Double.isFinite(r.unlabelledLoss()) && !r.skipped());
		assertTrue(Files.size(temp.resolve("run").resolve(Trainer.BEST)) > 1_000_000);
		assertTrue(summary.bestIteration() == 10);
		assertTrue(Files.isRegularFile(temp.resolve("run").resolve(Trainer.LAST)));
		assertTrue(Files.isRegularFile(temp.resolve("run").resolve(Trainer.STATE)));
		// background slot, RV, Myo, LV, mean
		assertEquals(5, summary.lastClassDice().length);
	}

	/** A run killed right after a checkpoint and resumed repeats the uninterrupted run's iterations. */
	@Test
	void resumingAfterAKillRepeatsTheUninterruptedIterations() throws IOException {
		final TrainingData data = TinyAcdc.load(temp, true);
		final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 2).with("iterations", 5)
			.with("validationInterval", 3).with("pcswInterval", 2).with("seed", 7)
			// a low threshold so that the unlabelled loss is not 0 in so short a run
			.with("confidenceThreshold", 0).with("emaWarmup", 2);
		final List<StepResult> uninterrupted = new ArrayList<>();
		Trainer.run(config, data, temp.resolve("a"), false, record(uninterrupted, -1), null, Device.cpu());

		final TrainingData fresh = TinyAcdc.load(temp, true);
		final List<StepResult> killed = new ArrayList<>();
		assertThrows(Killed.class, () -> Trainer.run(config, fresh, temp.resolve("b"), false, record(killed, 3), null, Device.cpu()));
		final List<StepResult> resumed = new ArrayList<>();
		final TrainingData again = TinyAcdc.load(temp, true);
		final Trainer.Summary summary = Trainer.run(Trainer.savedConfig(temp.resolve("b")), again, temp.resolve("b"), true, record(resumed, -1), null, Device.cpu());
		assertEquals(5, summary.completedIterations());
		assertEquals(2, resumed.size());
		assertTrue(uninterrupted.get(4).unlabelledLoss() > 0);
		for (int k = 0; k < 2; k++) {
			final StepResult a = uninterrupted.get(3 + k), b = resumed.get(k);
			assertEquals(a.iteration(), b.iteration());
			assertEquals(a.loss(), b.loss(), 1e-6, "iteration " + a.iteration());
			assertEquals(a.labelledLoss(), b.labelledLoss(), 1e-6);
			assertEquals(a.unlabelledLoss(), b.unlabelledLoss(), 1e-6);
			assertEquals(a.lr(), b.lr(), 0);
		}
	}

	@Test
	void resumeRefusesChangedSettings() throws IOException {
		final TrainingData data = TinyAcdc.load(temp, false);
		final TrainingConfig config = TrainingConfig.defaults().with("mode", "supervised").with("crop", 32).with("batch", 2).with("iterations", 1);
		Trainer.run(config, data, temp.resolve("c"), false, null, null, Device.cpu());
		final InvalidInputException e = assertThrows(InvalidInputException.class,
			() -> Trainer.run(config.with("iterations", 3).with("batch", 3), data, temp.resolve("c"), true, null, null, Device.cpu()));
		assertTrue(e.getMessage().contains("'iterations' = 1"), e.getMessage());
	}

	/**
	 * A stop request ends the run between iterations like the budget: the final checkpoint is written
	 * and a resumed run goes on from the next iteration.
	 */
	@Test
	void aStopRequestEndsTheRunWithAValidCheckpoint() throws IOException {
		final TrainingData data = TrainingData.load(Datasets.open(Path.of("sample-data"), "", ImageFiles.imageReader()), false, null);
		final TrainingConfig config = TrainingConfig.defaults().with("mode", "supervised").with("crop", 32).with("batch", 2).with("iterations", 10)
			.with("validationInterval", 100);
		final Path run = temp.resolve("stopped");
		final List<StepResult> steps = new ArrayList<>();
		final Trainer.Summary summary = Trainer.run(config, data, run, false, stopAfter(steps, 2), null, Device.cpu());
		assertTrue(summary.stopped());
		assertEquals(2, summary.completedIterations());
		assertEquals(List.of(0L, 1L), steps.stream().map(StepResult::iteration).toList());
		// the validation of the final checkpoint ran: background slot, RV, Myo, LV, mean
		assertEquals(5, summary.lastClassDice().length);
		assertEquals(2, summary.bestIteration());
		for (final String file : List.of(Trainer.BEST, Trainer.LAST, Trainer.STATE))
			assertTrue(Files.isRegularFile(run.resolve(file)), file);
		assertEquals(config.toJson(), Trainer.savedConfig(run).toJson());

		final List<StepResult> resumed = new ArrayList<>();
		final Trainer.Summary again = Trainer.run(Trainer.savedConfig(run), data, run, true, stopAfter(resumed, 1), null, Device.cpu());
		assertEquals(List.of(2L), resumed.stream().map(StepResult::iteration).toList());
		assertEquals(3, again.completedIterations());
		assertTrue(again.stopped());
	}

	/**
	 * With {@code validate} = both a validation scores the teacher and the student, keeps the higher,
	 * and the model files hold that network: validating the written file gives the kept score.
	 */
	@Test
	void validatingBothNetworksKeepsTheBetterOneInTheModelFiles() throws IOException {
		final TrainingData data = TinyAcdc.load(temp, true);
		// no teacher warm-up and a quick EMA, so that teacher and student differ after a few steps
		final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 4).with("unlabelledBatch", 4).with("iterations", 6).with("validationInterval", 3)
			.with("pcsw", false).with("unlabelledStart", 0).with("emaWarmup", 0).with("emaMax", 0.9).with("optimizer", "adamw").with("lr", 0.01);
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final Path run = temp.resolve("both");
		final Trainer.Summary summary = Trainer.run(config, data, run, false, null, new PrintStream(bytes, true, StandardCharsets.UTF_8), Device.cpu());
		final Matcher line = Pattern.compile("validation at 6: .*  mean ([0-9.]+)  \\(best .*  teacher ([0-9.]+)  student ([0-9.]+), kept (\\w+)")
			.matcher(bytes.toString(StandardCharsets.UTF_8));
		assertTrue(line.find(), bytes.toString(StandardCharsets.UTF_8));
		final double mean = Double.parseDouble(line.group(1)), teacher = Double.parseDouble(line.group(2)), student = Double.parseDouble(line.group(3));
		assertNotEquals(teacher, student);
		final String kept = teacher >= student ? "teacher" : "student";
		assertEquals(kept, line.group(4));
		assertEquals(Math.max(teacher, student), mean, 0);
		assertEquals(mean, summary.lastClassDice()[4], 5e-5);
		try (SssModel model = SssModel.load(run.resolve(Trainer.LAST), Device.cpu()); NDManager manager = Engines.pytorch().newBaseManager()) {
			assertEquals(kept, model.meta().get("network").getAsString());
			assertEquals(mean, Validation.run(model.network(), data.validation(), 32, 8, manager)[4], 5e-5);
		}

		final ByteArrayOutputStream teacherOnly = new ByteArrayOutputStream();
		Trainer.run(config.with("validate", "teacher").with("iterations", 3), data, temp.resolve("teacher"), false, null,
			new PrintStream(teacherOnly, true, StandardCharsets.UTF_8), Device.cpu());
		final String log = teacherOnly.toString(StandardCharsets.UTF_8);
		assertTrue(log.contains("validation at 3: ") && !log.contains("kept"), log);
	}

	/**
	 * best.sss and last.sss record where they came from: the SSS version, when they were written, the
	 * device, threads and seed, the split lists with the SHA-256 of every file read, and the best and
	 * the latest validation, also across a resumed run; {@code test} is left empty.
	 */
	@Test
	void theModelFilesRecordTheirProvenance() throws IOException {
		final Path root = Path.of("sample-data");
		final TrainingConfig config = TrainingConfig.defaults().with("mode", "consistency").with("crop", 32).with("batch", 2).with("iterations", 4)
			.with("validationInterval", 2).with("unlabelledStart", 0).with("seed", 11);
		final TrainingData data = TrainingData.load(Datasets.open(root, "", ImageFiles.imageReader()), true, null);
		final Path run = temp.resolve("provenance");
		final Instant start = Instant.now();
		assertEquals(2, Trainer.run(config, data, run, false, stopAfter(new ArrayList<>(), 2), null, Device.cpu()).completedIterations());
		final Trainer.Summary summary = Trainer.run(Trainer.savedConfig(run), data, run, true, null, null, Device.cpu());
		assertEquals(4, summary.completedIterations());
		final JsonObject last = TensorArchive.readMeta(run.resolve(Trainer.LAST)), best = TensorArchive.readMeta(run.resolve(Trainer.BEST));

		final List<String> labelled = List.of("synthetic_000", "synthetic_001", "synthetic_002", "synthetic_003");
		final List<String> unlabelled = List.of("synthetic_004", "synthetic_005", "synthetic_006", "synthetic_007", "synthetic_008", "synthetic_009",
			"synthetic_010", "synthetic_011");
		final List<String> validation = List.of("synthetic_012", "synthetic_013");
		final Map<String, String> labelledFiles = new LinkedHashMap<>(), unlabelledFiles = new LinkedHashMap<>(), validationFiles = new LinkedHashMap<>();
		for (final String name : labelled)
			for (final String folder : List.of("images/", "labels/"))
				labelledFiles.put(folder + name + ".nii.gz", sha256(root.resolve(folder + name + ".nii.gz")));
		for (final String name : unlabelled)
			unlabelledFiles.put("unlabeled/" + name + ".nii.gz", sha256(root.resolve("unlabeled/" + name + ".nii.gz")));
		for (final String name : validation)
			for (final String folder : List.of("val/images/", "val/labels/"))
				validationFiles.put(folder + name + ".nii.gz", sha256(root.resolve(folder + name + ".nii.gz")));

		for (final JsonObject meta : List.of(last, best)) {
			final JsonObject provenance = meta.getAsJsonObject("provenance");
			assertNotEquals("unknown", provenance.get("sssVersion").getAsString());
			final Instant created = Instant.parse(provenance.get("created").getAsString());
			assertTrue(!created.isBefore(start.truncatedTo(ChronoUnit.MILLIS)) && !created.isAfter(Instant.now()), created + " after " + start);
			assertEquals(Device.cpu().toString(), provenance.get("device").getAsString());
			assertEquals(Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads")), provenance.get("threads").getAsInt());
			assertEquals(11, provenance.get("seed").getAsLong());
			assertEquals(config.toJson(), meta.getAsJsonObject("training"));
			assertTrue(provenance.has("test") && provenance.get("test").isJsonNull(), provenance.toString());

			final JsonObject sources = provenance.getAsJsonObject("data");
			assertEquals("dataset", sources.get("kind").getAsString());
			assertEquals(root.toAbsolutePath().normalize().toString(), sources.get("root").getAsString());
			assertEquals(labelled, items(sources, "labelled"));
			assertEquals(unlabelled, items(sources, "unlabelled"));
			assertEquals(validation, items(sources, "validation"));
			assertEquals(labelledFiles, files(sources, "labelled"));
			assertEquals(unlabelledFiles, files(sources, "unlabelled"));
			assertEquals(validationFiles, files(sources, "validation"));

			final JsonObject scores = provenance.getAsJsonObject("validation");
			assertEquals(2, scores.get("volumes").getAsInt());
			final JsonObject bestSoFar = scores.getAsJsonObject("best"), latest = scores.getAsJsonObject("last");
			assertEquals(latest.getAsJsonObject("dice"), meta.getAsJsonObject("validationDice"));
			assertEquals(meta.get("iteration").getAsLong(), latest.get("iteration").getAsLong());
			assertEquals(meta.get("network").getAsString(), latest.get("network").getAsString());
			assertEquals(List.of("RV", "Myo", "LV", "mean"), List.copyOf(latest.getAsJsonObject("dice").keySet()));
			assertTrue(bestSoFar.getAsJsonObject("dice").get("mean").getAsDouble() >= latest.getAsJsonObject("dice").get("mean").getAsDouble(),
				scores.toString());
		}
		final JsonObject lastScores = last.getAsJsonObject("provenance").getAsJsonObject("validation");
		assertEquals(4, lastScores.getAsJsonObject("last").get("iteration").getAsLong());
		assertEquals(summary.lastClassDice()[4], lastScores.getAsJsonObject("last").getAsJsonObject("dice").get("mean").getAsDouble(), 0);
		// the best so far survives the resume (it may be iteration 2, scored before it)
		assertEquals(summary.bestIteration(), lastScores.getAsJsonObject("best").get("iteration").getAsLong());
		assertEquals(summary.bestMeanDice(), lastScores.getAsJsonObject("best").getAsJsonObject("dice").get("mean").getAsDouble(), 0);
		// best.sss was written at its best validation, which was then also the latest
		final JsonObject bestScores = best.getAsJsonObject("provenance").getAsJsonObject("validation");
		assertEquals(bestScores.get("best"), bestScores.get("last"));
		assertEquals(summary.bestIteration(), best.get("iteration").getAsLong());
	}

	/**
	 * With a test role asked for, the best and the last model are scored on the held-out test once,
	 * after training: no test file is read before the last iteration and validation (a reader that
	 * records every read proves it), each is read once afterwards, and both model files (and
	 * {@code info}) record the scores of both checkpoints, which a new prediction of the test
	 * volumes with the written files reproduces.
	 */
	@Test
	void aHeldOutTestScoresTheBestAndTheLastModelOnceAfterTraining() throws IOException {
		final MedicalImageReader files = ImageFiles.imageReader();
		final List<Path> read = new CopyOnWriteArrayList<>();
		final MedicalImageReader recording = new MedicalImageReader() {

			@Override
			public boolean canRead(final Path path) {
				return files.canRead(path);
			}

			@Override
			public MedicalImage read(final Path path) throws IOException {
				read.add(path.toAbsolutePath().normalize());
				return files.read(path);
			}
		};
		final Dataset dataset = Datasets.open(Path.of("sample-data"), "", recording);
		final Set<Path> testFiles = new java.util.HashSet<>();
		for (final DatasetItem item : dataset.test()) {
			testFiles.add(item.imagePath().toAbsolutePath().normalize());
			testFiles.add(item.labelPath().orElseThrow().toAbsolutePath().normalize());
		}
		assertEquals(8, testFiles.size());
		final TrainingData data = TrainingData.load(dataset, false, true, null);
		final List<String> early = new ArrayList<>();
		final TrainingListener watch = new TrainingListener() {

			@Override
			public void iteration(final StepResult result) {
				read.stream().filter(testFiles::contains).forEach(p -> early.add("iteration " + result.iteration() + ": " + p));
			}

			@Override
			public void validated(final long completedIterations, final double[] classDice, final Map<String, Double> networkMeans) {
				read.stream().filter(testFiles::contains).forEach(p -> early.add("validation " + completedIterations + ": " + p));
			}
		};
		final TrainingConfig config = TrainingConfig.defaults().with("mode", "supervised").with("crop", 32).with("batch", 2).with("iterations", 4)
			.with("validationInterval", 2).with("seed", 5);
		final Path run = temp.resolve("tested");
		final Trainer.Summary summary = Trainer.run(config, data, run, false, watch, null, Device.cpu());
		assertEquals(List.of(), early, "test files read during training");
		assertEquals(testFiles.size(), read.stream().filter(testFiles::contains).count(), "each test file read once, after training");

		final JsonObject test = summary.test();
		assertEquals(4, test.get("volumes").getAsInt());
		assertEquals(summary.bestIteration(), test.getAsJsonObject("best").get("iteration").getAsLong());
		assertEquals(4, test.getAsJsonObject("last").get("iteration").getAsLong());
		try (NDManager manager = Engines.pytorch().newBaseManager()) {
			final List<VolumeData> volumes = new ArrayList<>();
			for (final DatasetItem item : dataset.test())
				volumes.add(TrainingData.volume(item));
			for (final String checkpoint : List.of("best", "last")) {
				final JsonObject scores = test.getAsJsonObject(checkpoint).getAsJsonObject("dice");
				assertEquals(List.of("RV", "Myo", "LV", "mean"), List.copyOf(scores.keySet()));
				try (SssModel model = SssModel.load(run.resolve(checkpoint + ".sss"), Device.cpu())) {
					assertEquals(model.meta().get("iteration").getAsLong(), test.getAsJsonObject(checkpoint).get("iteration").getAsLong());
					final double[] again = Validation.run(model.network(), volumes, 32, 8, manager);
					for (int c = 1; c <= 3; c++)
						assertEquals(again[c], scores.get(data.classNames().get(c)).getAsDouble(), 1e-9, checkpoint + " class " + c);
					assertEquals(again[4], scores.get("mean").getAsDouble(), 1e-9, checkpoint);
				}
			}
		}
		for (final String file : List.of(Trainer.BEST, Trainer.LAST)) {
			final JsonObject provenance = ModelInfo.describe(run.resolve(file)).getAsJsonObject("provenance");
			assertEquals(test, provenance.getAsJsonObject("test"), file);
			assertEquals(List.of("synthetic_014", "synthetic_015", "synthetic_016", "synthetic_017"), items(provenance.getAsJsonObject("data"), "test"));
			assertEquals(sha256(Path.of("sample-data/test/labels/synthetic_016.nii.gz")),
				files(provenance.getAsJsonObject("data"), "test").get("test/labels/synthetic_016.nii.gz"));
			// the validation scores are still there, the test beside them
			assertTrue(provenance.getAsJsonObject("validation").get("last").isJsonObject(), provenance.toString());
		}
	}

	/** A held-out test on a dataset without a test role is refused before anything is read. */
	@Test
	void aTestWithoutATestRoleIsRefused() throws IOException {
		TinyAcdc.load(temp, false);
		final Dataset dataset = Datasets.open(TestData.acdc(), temp.resolve("labeled.txt").toString(), ImageFiles.imageReader());
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainingData.load(dataset, false, true, null));
		assertTrue(e.getMessage().startsWith(TestData.acdc() + ": test true needs a test role and the dataset has none"), e.getMessage());
	}

	private static List<String> items(final JsonObject sources, final String role) {
		final List<String> items = new ArrayList<>();
		sources.getAsJsonObject(role).getAsJsonArray("items").forEach(e -> items.add(e.getAsString()));
		return items;
	}

	private static Map<String, String> files(final JsonObject sources, final String role) {
		final Map<String, String> files = new LinkedHashMap<>();
		sources.getAsJsonObject(role).getAsJsonObject("files").entrySet().forEach(e -> files.put(e.getKey(), e.getValue().getAsString()));
		return files;
	}

	/** SHA-256 of a file, computed here independently of the code under test. */
	static String sha256(final Path file) throws IOException {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		}
		catch (final NoSuchAlgorithmException e) {
			throw new AssertionError(e);
		}
	}

	/** Records the iterations and asks to stop once {@code count} have run. */
	private static TrainingListener stopAfter(final List<StepResult> into, final int count) {
		return new TrainingListener() {

			@Override
			public void iteration(final StepResult result) {
				into.add(result);
			}

			@Override
			public boolean stopRequested() {
				return into.size() >= count;
			}
		};
	}

	private static final class Killed extends RuntimeException {

		private static final long serialVersionUID = 1L;
	}

	private static TrainingListener record(final List<StepResult> into, final long killAt) {
		return new TrainingListener() {

			@Override
			public void iteration(final StepResult result) {
				if (result.iteration() == killAt) throw new Killed();
				into.add(result);
			}
		};
	}
}
