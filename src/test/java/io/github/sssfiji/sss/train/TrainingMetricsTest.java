package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import com.google.gson.JsonObject;

import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.modelfile.TensorArchive;

class TrainingMetricsTest {

	@TempDir
	Path temp;

	private static final class Killed extends RuntimeException {

		private static final long serialVersionUID = 1L;
	}

	/**
	 * A run killed after its checkpoint at iteration 2 has written log rows up to 4; resumed, it keeps
	 * the rows up to 2 and records the rest once: every log row 1 to 6 and every validation 2, 4, 6
	 * appear exactly once, the validation rows hold the model files' scores and both networks' means, and
	 * training.png (drawn in this headless JVM) holds both plots after each part.
	 */
	@Test
	void aKilledAndResumedRunRecordsEachEventOnceAndDrawsThePlot() throws IOException {
		assertTrue(GraphicsEnvironment.isHeadless(), "the tests run headless, as a server run does");
		final TrainingData data = TrainingData.load(Datasets.open(Path.of("sample-data"), "", ImageFiles.imageReader()), true, null);
		final TrainingConfig config = TrainingConfig.defaults().with("mode", "consistency").with("crop", 32).with("batch", 2).with("iterations", 6)
			.with("validationInterval", 2).with("logInterval", 1).with("unlabelledStart", 0).with("seed", 3);
		final Path run = temp.resolve("run");
		final TrainingListener killer = new TrainingListener() {

			@Override
			public void iteration(final StepResult result) {
				if (result.iteration() == 3) throw new Killed();
			}
		};
		final TrainingMetrics first = new TrainingMetrics(run, data.classNames(), 1, false);
		assertThrows(Killed.class, () -> Trainer.run(config, data, run, false, TrainingListener.all(first, killer), null, Device.cpu()));
		assertEquals(List.of("1 log", "2 log", "2 validation", "3 log", "4 log"), events(run));
		final BufferedImage killed = ImageIO.read(run.resolve(TrainingMetrics.PNG).toFile());
		assertTrue(killed.getWidth() >= 640 && killed.getHeight() >= 600, killed.getWidth() + " x " + killed.getHeight());

		final TrainingMetrics resumed = new TrainingMetrics(run, data.classNames(), 1, false);
		Trainer.run(Trainer.savedConfig(run), data, run, true, resumed, null, Device.cpu());
		assertEquals(List.of("1 log", "2 log", "2 validation", "3 log", "4 log", "4 validation", "5 log", "6 log", "6 validation"), events(run));

		final List<String> lines = Files.readAllLines(run.resolve(TrainingMetrics.CSV), StandardCharsets.UTF_8);
		assertEquals("iteration,event,loss,labelled_loss,unlabelled_loss,unlabelled_weight,lr,confident,dice_RV,dice_Myo,dice_LV,dice_mean,teacher_mean," +
			"student_mean", lines.get(0));
		final String[] log = lines.get(1).split(",", -1), validation = lines.get(lines.size() - 1).split(",", -1);
		for (int i = 2; i <= 7; i++)
			assertTrue(Double.parseDouble(log[i]) >= 0, "log column " + i + ": " + lines.get(1));
		assertTrue(log[8].isEmpty() && log[11].isEmpty(), lines.get(1));
		assertTrue(validation[2].isEmpty(), "a validation row has no losses: " + lines.get(lines.size() - 1));
		final JsonObject scores = TensorArchive.readMeta(run.resolve(Trainer.LAST)).getAsJsonObject("validationDice");
		assertEquals(scores.get("RV").getAsDouble(), Double.parseDouble(validation[8]), 1e-6);
		assertEquals(scores.get("mean").getAsDouble(), Double.parseDouble(validation[11]), 1e-6);
		// both networks are scored; the kept one is the better
		assertEquals(Math.max(Double.parseDouble(validation[12]), Double.parseDouble(validation[13])), Double.parseDouble(validation[11]), 1e-6);

		final BufferedImage plot = ImageIO.read(run.resolve(TrainingMetrics.PNG).toFile());
		assertEquals(killed.getWidth(), plot.getWidth());
		assertEquals(killed.getHeight(), plot.getHeight());
		// the losses (upper half) and the Dice curves (lower half) are drawn in colour
		assertTrue(coloured(plot, 0, plot.getHeight() / 2) > 50 && coloured(plot, plot.getHeight() / 2, plot.getHeight()) > 50);
		try (var listing = Files.list(run)) {
			assertEquals(List.of(), listing.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temporary file is left");
		}
	}

	/** A new run in a used folder starts the table anew. */
	@Test
	void aNewRunStartsANewTable() throws IOException {
		final Path run = Files.createDirectories(temp.resolve("again"));
		Files.writeString(run.resolve(TrainingMetrics.CSV), "old\n1,log\n");
		final TrainingMetrics metrics = new TrainingMetrics(run, List.of("background", "cell"), 2, false);
		metrics.started(0);
		metrics.iteration(new StepResult(0, 1.0, 1.0, Double.NaN, 0, 0.001, Double.NaN, null, 0.1));
		metrics.iteration(new StepResult(1, 0.5, 0.5, Double.NaN, 0, 0.001, Double.NaN, null, 0.1));
		assertEquals(List.of("iteration,event,loss,labelled_loss,unlabelled_loss,unlabelled_weight,lr,confident,dice_cell,dice_mean,teacher_mean,student_mean",
			"2,log,0.750000,0.750000,,0.000000,0.00100000,,,,,"), Files.readAllLines(run.resolve(TrainingMetrics.CSV)));
		assertTrue(Files.isRegularFile(run.resolve(TrainingMetrics.PNG)), "drawn before any validation");
	}

	private static List<String> events(final Path run) throws IOException {
		final List<String> events = new ArrayList<>();
		final List<String> lines = Files.readAllLines(run.resolve(TrainingMetrics.CSV), StandardCharsets.UTF_8);
		for (final String line : lines.subList(1, lines.size())) {
			final String[] cells = line.split(",", 3);
			events.add(cells[0] + " " + cells[1]);
		}
		return events;
	}

	/** Pixels in rows [from, to) whose red, green and blue differ: the coloured curves, not the black axes and text. */
	private static int coloured(final BufferedImage image, final int from, final int to) {
		int count = 0;
		for (int y = from; y < to; y++)
			for (int x = 0; x < image.getWidth(); x++) {
				final int rgb = image.getRGB(x, y), r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
				if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) count++;
			}
		return count;
	}
}
