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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.modelfile.SssModel;

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
		final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 4).with("iterations", 6).with("validationInterval", 3)
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
