package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.log.LogListener;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;

import ij.ImagePlus;
import ij.ImageStack;
import ai.djl.Device;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.ij1.CommandParameters;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.train.Trainer;

/** {@code SSS Train} run headless through the CommandService, as a macro would. */
class TrainCommandTest {

	private final Context context = new Context(CommandService.class, SssService.class, StatusService.class, LogService.class, EventService.class);

	@TempDir
	Path dir;

	@AfterEach
	void dispose() {
		context.dispose();
	}

	/** Keeps the status events the command publishes (SciJava delivers them on its event thread). */
	public static final class StatusEvents {

		final List<StatusEvent> events = new CopyOnWriteArrayList<>();

		/** Records one event. */
		@EventHandler
		public void onEvent(final StatusEvent event) {
			events.add(event);
		}

		/** Waits up to 10 s for an event whose message contains {@code text}. */
		StatusEvent await(final String text) throws InterruptedException {
			for (int i = 0; i < 200; i++) {
				for (final StatusEvent e : events)
					if (e.getStatusMessage() != null && e.getStatusMessage().contains(text)) return e;
				Thread.sleep(50);
			}
			throw new AssertionError("no status '" + text + "' in " + events.stream().map(StatusEvent::getStatusMessage).toList());
		}
	}

	@Test
	void trainsOnTheSampleFolderWithProgressAndWritesTheBestModel() throws Exception {
		final StatusEvents status = new StatusEvents();
		context.service(EventService.class).subscribe(status);
		final Path model = dir.resolve("models").resolve("heart.sss");
		final CommandModule module = context.service(CommandService.class).run(TrainCommand.class, false, "data", new File("sample-data"), "split", "",
			"mode", "supervised", "budget_minutes", 0.0, "iterations", 2, "crop", 32, "batch", 2, "validation_interval", 2, "output", model.toFile())
			.get();
		final Path run = dir.resolve("models").resolve("heart.training");
		assertEquals(run, TrainCommand.runFolder(model));
		for (final String file : List.of(Trainer.BEST, Trainer.LAST, Trainer.STATE))
			assertTrue(Files.isRegularFile(run.resolve(file)), file);
		assertArrayEquals(Files.readAllBytes(run.resolve(Trainer.BEST)), Files.readAllBytes(model), "the best model is the output");
		try (SssModel trained = SssModel.load(model, Device.cpu())) {
			assertEquals(List.of("background", "RV", "Myo", "LV"), trained.classNames());
			assertEquals(32, trained.inputSize());
		}
		final String summary = (String) module.getOutput("summary");
		assertTrue(summary.startsWith("trained after 2 iterations") && summary.contains("best validation mean Dice") && summary.contains(model.toString()),
			summary);
		final StatusEvent first = status.await("iteration 1/2"), second = status.await("iteration 2/2");
		assertEquals(500, first.getProgressValue());
		assertEquals(1000, second.getProgressValue());
		assertEquals(1000, second.getProgressMaximum());
	}

	/** Cancelling the command after the first iteration stops it there, with a valid checkpoint and model. */
	@Test
	void trainsTheSam2Backbone() throws Exception {
		final Path model = dir.resolve("sam2.sss");
		context.service(CommandService.class).run(TrainCommand.class, false, "data", new File("sample-data"), "split", "", "backbone", "sam2-micro",
			"mode", "supervised", "budget_minutes", 0.0, "iterations", 2, "crop", 32, "batch", 2, "validation_interval", 100, "output", model.toFile())
			.get();
		try (SssModel trained = SssModel.load(model, Device.cpu())) {
			assertEquals("sam2-micro", trained.network().kind());
			assertEquals(32, trained.inputSize());
		}
	}

	@Test
	void cancelStopsBetweenIterations() throws Exception {
		final ModuleService modules = context.service(ModuleService.class);
		final Module module = modules.createModule(context.service(CommandService.class).getCommand(TrainCommand.class));
		// the trainer logs its first progress line after iteration 0; the log service calls listeners at once
		final LogListener canceller = message -> {
			if (message.text().contains("iter 1/50")) ((Cancelable) module).cancel("test");
		};
		context.service(LogService.class).addLogListener(canceller);
		final Path model = dir.resolve("cancelled.sss");
		modules.run(module, false, Map.of("data", new File("sample-data"), "mode", "supervised", "budget_minutes", 0.0, "iterations", 50, "crop", 32,
			"batch", 2, "validation_interval", 100, "output", model.toFile())).get();
		final String summary = (String) module.getOutput("summary");
		assertTrue(summary.startsWith("stopped (cancelled (test)) after 1 iterations"), summary);
		final Path run = TrainCommand.runFolder(model);
		assertEquals(50, Trainer.savedConfig(run).run().iterations(), "the state file is complete and readable");
		try (SssModel trained = SssModel.load(model, Device.cpu())) {
			assertEquals(1, trained.meta().get("iteration").getAsInt());
		}
	}

	/** A stack annotated on some slices: the others are the unlabelled slices of mode sss. */
	@Test
	void trainsOnAnOpenImageAndItsLabelImage() throws Exception {
		final ImageStack pixels = new ImageStack(32, 32), annotation = new ImageStack(32, 32);
		for (int z = 0; z < 4; z++) {
			final byte[] image = new byte[32 * 32], labels = new byte[32 * 32];
			for (int y = 8; y < 20; y++)
				for (int x = 10; x < 22; x++) {
					image[y * 32 + x] = (byte) 200;
					if (z < 2) labels[y * 32 + x] = (byte) (x < 16 ? 1 : 2);
				}
			pixels.addSlice(null, image);
			annotation.addSlice(null, labels);
		}
		final Path model = dir.resolve("stack.sss");
		final CommandModule module = context.service(CommandService.class).run(TrainCommand.class, false, "image", new ImagePlus("stack.tif", pixels),
			"labels", new ImagePlus("stack-labels.tif", annotation), "mode", "sss", "budget_minutes", 0.0, "iterations", 1, "crop", 32, "batch", 2,
			"output", model.toFile()).get();
		assertTrue(((String) module.getOutput("summary")).startsWith("trained after 1 iterations"), (String) module.getOutput("summary"));
		try (SssModel trained = SssModel.load(model, Device.cpu())) {
			assertEquals(List.of("background", "class 1", "class 2"), trained.classNames());
		}
	}

	@Test
	void withoutDataOrLabelsTheProblemIsNamed() {
		final ImagePlus image = new ImagePlus("alone.tif", new ij.process.ByteProcessor(32, 32));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> context.service(CommandService.class).run(TrainCommand.class, false,
			"image", image, "output", dir.resolve("m.sss").toFile()).get());
		final InvalidInputException invalid = invalidInput(e);
		assertTrue(invalid.getMessage().contains("key 'labels'") && invalid.getMessage().contains("'alone.tif'"), invalid.getMessage());
	}

	/** The command takes the service's training lock: a second training is refused with both names. */
	@Test
	void oneTrainingAtATime() throws Exception {
		final SssService sss = context.service(SssService.class);
		final CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
		final ExecutorService pool = Executors.newSingleThreadExecutor();
		try {
			final Future<String> other = pool.submit(() -> sss.train("the other run", 0, () -> {
				started.countDown();
				release.await();
				return "done";
			}));
			started.await();
			final ExecutionException e = assertThrows(ExecutionException.class, () -> context.service(CommandService.class).run(TrainCommand.class, false,
				"data", new File("sample-data"), "output", dir.resolve("m.sss").toFile()).get());
			Throwable cause = e;
			while (cause.getCause() != null)
				cause = cause.getCause();
			assertTrue(cause.getMessage().contains("'the other run' is running"), cause.getMessage());
			release.countDown();
			assertEquals("done", other.get());
		}
		finally {
			release.countDown();
			pool.shutdown();
		}
	}

	/** The macro keys are the parameter names; an unknown key is reported with the valid ones. */
	@Test
	void macroKeysAndUnknownKeys() {
		final CommandService commands = context.service(CommandService.class);
		assertEquals(List.of("data", "split", "image", "labels", "backbone", "pretrained", "mode", "budget_minutes", "output", "iterations", "crop", "batch",
			"validation_interval", "seed", "threads"), CommandParameters.of(commands.getCommand(TrainCommand.class)).names());
		assertEquals(List.of("image", "model", "probabilities", "batch"), CommandParameters.of(commands.getCommand(SegmentImageCommand.class)).names());
		assertEquals(List.of("model", "input", "output", "file_filter", "batch", "overwrite", "confidence", "tta", "shard"), CommandParameters.of(commands.getCommand(SegmentFolderCommand.class))
			.names());
		final Module module = context.service(ModuleService.class).createModule(commands.getCommand(TrainCommand.class));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> CommandParameters.of(commands.getCommand(TrainCommand.class))
			.apply(module, Map.of("budget", "5"), CommandParameters.Images.windowManager()));
		assertTrue(e.getMessage().startsWith("unknown key 'budget'; valid keys: data, split, image, labels, backbone, pretrained, mode, budget_minutes"),
			e.getMessage());
	}

	static InvalidInputException invalidInput(final Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause())
			if (t instanceof InvalidInputException invalid) return invalid;
		throw new AssertionError("no InvalidInputException in " + failure, failure);
	}
}
