package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
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
import com.google.gson.JsonObject;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.ij1.CommandParameters;
import io.github.sssfiji.sss.train.TrainingMetrics;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.modelfile.TensorArchive;
import io.github.sssfiji.sss.train.PseudoLabels;
import io.github.sssfiji.sss.train.Trainer;
import io.github.sssfiji.sss.train.TrainingConfig;
import io.github.sssfiji.sss.train.TrainingMode;

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
			"mode", "supervised", "budget_minutes", 0.0, "iterations", 2, "crop", 32, "batch", 2, "validation_interval", 2, "test", true, "output",
			model.toFile()).get();
		final Path run = dir.resolve("models").resolve("heart.training");
		assertEquals(run, TrainCommand.runFolder(model));
		for (final String file : List.of(Trainer.BEST, Trainer.LAST, Trainer.STATE, TrainingMetrics.CSV, TrainingMetrics.PNG))
			assertTrue(Files.isRegularFile(run.resolve(file)), file);
		assertTrue(Files.readString(run.resolve(TrainingMetrics.CSV)).contains("\n2,validation,"));
		// the output holds the held-out test of both checkpoints
		final JsonObject test = TensorArchive.readMeta(model).getAsJsonObject("provenance").getAsJsonObject("test");
		assertEquals(4, test.get("volumes").getAsInt());
		assertEquals(2, test.getAsJsonObject("last").get("iteration").getAsLong());
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
		final ExecutionException test = assertThrows(ExecutionException.class, () -> context.service(CommandService.class).run(TrainCommand.class, false,
			"image", image, "labels", image, "test", true, "output", dir.resolve("m.sss").toFile()).get());
		assertTrue(invalidInput(test).getMessage().startsWith("key 'test': a held-out test needs a dataset folder"), invalidInput(test).getMessage());
	}

	/** A run folder that is a link out of the model file's folder is refused naming the key, before training. */
	@Test
	void aRunFolderLinkThatLeadsOutOfTheModelFolderIsRefused() throws Exception {
		final Path models = Files.createDirectories(dir.resolve("models")), elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
		Files.createSymbolicLink(models.resolve("heart.training"), elsewhere);
		final InvalidInputException e = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class).run(TrainCommand.class,
			false, "data", new File("sample-data"), "split", "", "mode", "supervised", "budget_minutes", 0.0, "iterations", 1, "crop", 32, "output",
			models.resolve("heart.sss").toFile()).get());
		assertEquals("key 'output': " + models.resolve("heart.training") + " is a symbolic link to " + elsewhere.toRealPath() +
			", outside the output folder " + models + "; remove the link or choose another output folder", e.getMessage());
		try (java.util.stream.Stream<Path> files = Files.list(elsewhere)) {
			assertEquals(0, files.count(), "nothing written through the link");
		}
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

	/**
	 * A run stopped after 2 of 4 iterations and resumed goes on from iteration 3 with the saved state:
	 * its iterations 3 and 4 have the losses of an uninterrupted run (a run started afresh would
	 * repeat iterations 1 and 2 instead). The configuration file's {@code logInterval} reaches the
	 * trainer: every iteration is logged.
	 */
	@Test
	void aStoppedRunResumesFromItsSavedIterationWithItsState() throws Exception {
		final Path settings = Files.writeString(dir.resolve("settings.json"), "{\"logInterval\": 1}");
		final List<String> lines = new CopyOnWriteArrayList<>();
		final Module[] cancelAt2 = new Module[1];
		context.service(LogService.class).addLogListener(message -> {
			lines.add(message.text());
			if (cancelAt2[0] != null && message.text().contains("iter 2/4")) ((Cancelable) cancelAt2[0]).cancel("test");
		});
		final Map<String, Object> inputs = Map.of("data", new File("sample-data"), "config", settings.toFile(), "mode", "supervised", "budget_minutes",
			0.0, "iterations", 4, "crop", 32, "batch", 2, "validation_interval", 100);

		final Map<String, Object> uninterruptedInputs = new java.util.HashMap<>(inputs);
		uninterruptedInputs.put("output", dir.resolve("uninterrupted.sss").toFile());
		context.service(CommandService.class).run(TrainCommand.class, false, uninterruptedInputs).get();
		final Map<Integer, String> uninterrupted = losses(lines);
		assertEquals(List.of(1, 2, 3, 4), List.copyOf(uninterrupted.keySet()), "logInterval 1 from the file logs every iteration");

		final Path model = dir.resolve("stopped.sss");
		final Map<String, Object> stoppedInputs = new java.util.HashMap<>(inputs);
		stoppedInputs.put("output", model.toFile());
		lines.clear();
		final ModuleService modules = context.service(ModuleService.class);
		final Module stopped = modules.createModule(context.service(CommandService.class).getCommand(TrainCommand.class));
		cancelAt2[0] = stopped;
		modules.run(stopped, false, stoppedInputs).get();
		cancelAt2[0] = null;
		assertTrue(((String) stopped.getOutput("summary")).startsWith("stopped (cancelled (test)) after 2 iterations"), (String) stopped.getOutput(
			"summary"));

		// resumed with every setting left at its default: the run's saved settings
		lines.clear();
		final CommandModule resumed = context.service(CommandService.class).run(TrainCommand.class, false, "data", new File("sample-data"), "resume", true,
			"output", model.toFile()).get();
		final String summary = (String) resumed.getOutput("summary");
		assertTrue(summary.startsWith("trained after 4 iterations"), summary);
		assertTrue(lines.stream().anyMatch(line -> line.contains("resumed " + TrainCommand.runFolder(model) + " at iteration 2")), String.join("\n", lines));
		final Map<Integer, String> after = losses(lines);
		assertEquals(List.of(3, 4), List.copyOf(after.keySet()), "the resumed run starts at iteration 3");
		assertEquals(uninterrupted.get(3), after.get(3), "iteration 3 continues from the saved weights and optimiser");
		assertEquals(uninterrupted.get(4), after.get(4));
		try (SssModel last = SssModel.load(TrainCommand.runFolder(model).resolve(Trainer.LAST), Device.cpu())) {
			assertEquals(4, last.meta().get("iteration").getAsInt());
		}
	}

	/** The progress lines' losses by iteration, {@code iter 3/4  loss 0.1234} read as 3 to "0.1234". */
	private static Map<Integer, String> losses(final List<String> lines) {
		final Map<Integer, String> losses = new java.util.TreeMap<>();
		final java.util.regex.Pattern progress = java.util.regex.Pattern.compile("iter (\\d+)/\\d+ +loss ([-0-9.]+)");
		for (final String line : lines) {
			final java.util.regex.Matcher m = progress.matcher(line);
			if (m.find()) losses.put(Integer.parseInt(m.group(1)), m.group(2));
		}
		return losses;
	}

	/** Resuming with another setting than the run's is refused by the trainer, naming the key; a missing run is named too. */
	@Test
	void resumingWithChangedSettingsIsRefused() throws Exception {
		final Path model = dir.resolve("short.sss");
		context.service(CommandService.class).run(TrainCommand.class, false, "data", new File("sample-data"), "mode", "supervised", "budget_minutes", 0.0,
			"iterations", 1, "crop", 32, "batch", 2, "validation_interval", 100, "output", model.toFile()).get();
		final ExecutionException changed = assertThrows(ExecutionException.class, () -> context.service(CommandService.class).run(TrainCommand.class,
			false, "data", new File("sample-data"), "resume", true, "iterations", 3, "output", model.toFile()).get());
		final InvalidInputException e = invalidInput(changed);
		assertTrue(e.getMessage().contains("the run was started with 'iterations' = 1, now 3") && e.getMessage().contains("must keep its settings"),
			e.getMessage());
		// a setting that clashes with the run's others (a sequence length with its U-Net) is refused before training; the message says what to do
		final InvalidInputException clash = invalidInput(assertThrows(ExecutionException.class, () -> context.service(CommandService.class).run(
			TrainCommand.class, false, "data", new File("sample-data"), "resume", true, "sequence_length", 2, "output", model.toFile()).get()));
		assertTrue(clash.getMessage().contains("'sequenceLength' = 2") && clash.getMessage().contains("a resumed run keeps its settings"),
			clash.getMessage());
		final InvalidInputException none = invalidInput(assertThrows(ExecutionException.class, () -> context.service(CommandService.class).run(
			TrainCommand.class, false, "data", new File("sample-data"), "resume", true, "output", dir.resolve("never.sss").toFile()).get()));
		assertTrue(none.getMessage().startsWith("key 'resume': there is no run to resume") && none.getMessage().contains("never.training"),
			none.getMessage());
	}

	/** With every field at its default and no configuration file, the trainer gets SSS's defaults with the command's 60-minute budget. */
	@Test
	void withoutAConfigurationTheDefaultsAreSssDefaultsWithAnHourBudget() throws IOException {
		final TrainCommand command = new TrainCommand();
		assertEquals(TrainingConfig.defaults().with("budgetMinutes", 60.0).toJson(), command.trainingConfig(dir.resolve("m.training")).toJson());
		assertEquals(0, command.overrides().size(), "no field is set");
	}

	/**
	 * Each field's label names the value SSS uses when the field is left at its default and no configuration
	 * file sets the key ("0 = the configuration's, else N"): N is {@link TrainingConfig#defaults()}' value (the budget: the
	 * command's own hour).
	 */
	@Test
	void theDefaultsTheLabelsNameAreSssDefaults() {
		final JsonObject defaults = TrainingConfig.defaults().toJson();
		final Map<String, String> keys = Map.of("iterations", "iterations", "crop", "crop", "batch", "batch", "validation_interval", "validationInterval",
			"seed", "seed", "sequence_length", "sequenceLength");
		final java.util.regex.Pattern named = java.util.regex.Pattern.compile("else (\\d+)\\)");
		int checked = 0;
		for (final java.lang.reflect.Field field : TrainCommand.class.getDeclaredFields()) {
			final org.scijava.plugin.Parameter parameter = field.getAnnotation(org.scijava.plugin.Parameter.class);
			if (parameter == null) continue;
			final java.util.regex.Matcher m = named.matcher(parameter.label());
			if (!m.find()) continue;
			if (field.getName().equals("budget_minutes"))
				// the command's own default (an hour), not the configuration's (none)
				assertEquals((long) TrainCommand.DEFAULT_BUDGET_MINUTES, Long.parseLong(m.group(1)), parameter.label());
			else {
				assertTrue(keys.containsKey(field.getName()), "a label names a default for " + field.getName() + ": add its key here");
				assertEquals(defaults.get(keys.get(field.getName())).getAsLong(), Long.parseLong(m.group(1)), field.getName() + ": " + parameter.label());
			}
			checked++;
		}
		assertEquals(7, checked, "labels naming a default");
	}

	/** The configuration file's keys hold unless a field is set: then the field's value does, also over the file. */
	@Test
	void theConfigurationFileIsReadAndASetFieldOverridesItsKey() throws IOException {
		final Path file = Files.writeString(dir.resolve("settings.json"),
			"{\"mode\": \"consistency\", \"iterations\": 50, \"lr\": 0.002, \"crop\": 64, \"budgetMinutes\": 5, \"seed\": 9}");
		final TrainCommand command = new TrainCommand();
		command.config = file.toFile();
		final TrainingConfig fromFile = command.trainingConfig(dir.resolve("m.training"));
		assertEquals(TrainingMode.CONSISTENCY, fromFile.method().mode());
		assertEquals(50, fromFile.run().iterations());
		assertEquals(0.002, fromFile.optimisation().lr());
		assertEquals(64, fromFile.sampling().crop());
		assertEquals(5, fromFile.run().budgetMinutes(), "the file's budget, not the command's default");
		assertEquals(9, fromFile.run().seed());
		assertEquals(8, fromFile.sampling().batch(), "a key in neither is SSS's default");

		command.iterations = 7;
		command.mode = "sss";
		command.budget_minutes = 0;
		command.seed = 0;
		final TrainingConfig overridden = command.trainingConfig(dir.resolve("m.training"));
		assertEquals(7, overridden.run().iterations());
		assertEquals(TrainingMode.SSS, overridden.method().mode());
		assertEquals(0, overridden.run().budgetMinutes(), "0 is a budget (none), not the default");
		assertEquals(0, overridden.run().seed(), "0 is a seed, not the default");
		assertTrue(overridden.method().dfe() && overridden.method().pcsw(), "DFE and PCSW follow the overridden mode");
		assertEquals(0.002, overridden.optimisation().lr(), "the file's other keys stay");
		assertEquals(64, overridden.sampling().crop());

		Files.writeString(file, "{\"iteratons\": 5}");
		final InvalidInputException typo = assertThrows(InvalidInputException.class, () -> command.trainingConfig(dir.resolve("m.training")));
		assertTrue(typo.getMessage().contains(file + " with the settings of SSS Train: unknown key 'iteratons'"), typo.getMessage());
		Files.writeString(file, "[1]");
		final InvalidInputException notObject = assertThrows(InvalidInputException.class, () -> command.trainingConfig(dir.resolve("m.training")));
		assertTrue(notObject.getMessage().startsWith("key 'config': "), notObject.getMessage());
	}

	/** Each switch of the method set in the command reaches the configuration the trainer gets. */
	@Test
	void everySwitchReachesTheTrainingConfiguration() throws IOException {
		final TrainCommand command = new TrainCommand();
		command.backbone = "sam2-micro";
		command.pretrained = new File("sam2-micro.sam2.zip");
		command.init = new File("heart.sss");
		command.mode = "sss";
		command.dfe = "false";
		command.pcsw = "true";
		command.pseudo_labels = "propagated";
		command.sequence_length = 2;
		command.budget_minutes = 12.5;
		command.iterations = 300;
		command.crop = 64;
		command.batch = 4;
		command.validation_interval = 25;
		command.seed = 3;
		command.threads = 2;
		final TrainingConfig config = command.trainingConfig(dir.resolve("m.training"));
		assertEquals("sam2-micro", config.method().backbone());
		assertEquals("sam2-micro.sam2.zip", config.sam2().pretrained());
		assertEquals("heart.sss", config.run().init());
		assertEquals(TrainingMode.SSS, config.method().mode());
		assertEquals(false, config.method().dfe());
		assertEquals(true, config.method().pcsw());
		assertEquals(PseudoLabels.PROPAGATED, config.prompting().pseudoLabels());
		assertEquals(2, config.sam2().sequenceLength());
		assertEquals(12.5, config.run().budgetMinutes());
		assertEquals(300, config.run().iterations());
		assertEquals(64, config.sampling().crop());
		assertEquals(4, config.sampling().batch());
		assertEquals(25, config.run().validationInterval());
		assertEquals(3, config.run().seed());
		assertEquals(2, config.run().threads());

		command.pseudo_labels = "prompted";
		command.pcsw = "false";
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> command.trainingConfig(dir.resolve("m.training")));
		assertTrue(e.getMessage().contains("'pseudoLabels' = \"prompted\" needs PCSW"), e.getMessage());
		command.pcsw = "true";
		assertEquals(PseudoLabels.PROMPTED, command.trainingConfig(dir.resolve("m.training")).prompting().pseudoLabels());
		command.dfe = "true";
		assertTrue(command.trainingConfig(dir.resolve("m.training")).method().dfe());
	}

	/** The macro keys are the parameter names; an unknown key is reported with the valid ones. */
	@Test
	void macroKeysAndUnknownKeys() {
		final CommandService commands = context.service(CommandService.class);
		assertEquals(List.of("data", "split", "image", "labels", "config", "resume", "test", "init", "backbone", "pretrained", "mode", "dfe", "pcsw", "pseudo_labels",
			"sequence_length", "budget_minutes", "output", "iterations", "crop", "batch", "validation_interval", "seed", "threads"),
			CommandParameters.of(commands.getCommand(TrainCommand.class)).names());
		assertEquals(List.of("image", "model", "probabilities", "confidence", "tta", "batch"), CommandParameters.of(commands.getCommand(SegmentImageCommand.class)).names());
		assertEquals(List.of("model", "input", "output", "file_filter", "format", "batch", "overwrite", "confidence", "tta", "shard"), CommandParameters.of(commands.getCommand(SegmentFolderCommand.class))
			.names());
		assertEquals(List.of("model", "data", "split", "image", "count", "spacing", "clusters", "typical", "strata", "batch", "output"), CommandParameters.of(commands.getCommand(
			SuggestSlicesCommand.class)).names());
		final Module module = context.service(ModuleService.class).createModule(commands.getCommand(TrainCommand.class));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> CommandParameters.of(commands.getCommand(TrainCommand.class))
			.apply(module, Map.of("budget", "5"), CommandParameters.Images.windowManager()));
		assertTrue(e.getMessage().startsWith("unknown key 'budget'; valid keys: data, split, image, labels, config, resume, test, init, backbone, pretrained, mode, dfe"),
			e.getMessage());
	}

	/** The new keys as a macro writes them reach the command's fields; a choice outside the list is named with the valid ones. */
	@Test
	void macroValuesOfTheNewKeys() {
		final CommandService commands = context.service(CommandService.class);
		final CommandParameters parameters = CommandParameters.of(commands.getCommand(TrainCommand.class));
		final Module module = context.service(ModuleService.class).createModule(commands.getCommand(TrainCommand.class));
		final Map<String, String> options = new java.util.HashMap<>(Map.of("config", "/data/settings.json", "resume", "true", "dfe", "false", "pcsw",
			"true", "pseudo_labels", "prompted", "sequence_length", "2", "backbone", "sam2-tiny", "budget_minutes", "-1", "seed", "-1"));
		options.put("output", "/data/m.sss");
		options.put("init", "/data/heart.sss");
		parameters.apply(module, options, CommandParameters.Images.windowManager());
		assertEquals(new File("/data/heart.sss"), module.getInput("init"));
		assertEquals(new File("/data/settings.json"), module.getInput("config"));
		assertEquals(true, module.getInput("resume"));
		assertEquals("false", module.getInput("dfe"));
		assertEquals("true", module.getInput("pcsw"));
		assertEquals("prompted", module.getInput("pseudo_labels"));
		assertEquals(2, module.getInput("sequence_length"));
		assertEquals("sam2-tiny", module.getInput("backbone"));
		assertEquals(-1.0, module.getInput("budget_minutes"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> parameters.apply(module, Map.of("pseudo_labels", "student",
			"output", "/data/m.sss"), CommandParameters.Images.windowManager()));
		assertEquals("key 'pseudo_labels' expects one of default, teacher, prompted, propagated, got 'student'", e.getMessage());
	}

	static InvalidInputException invalidInput(final Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause())
			if (t instanceof InvalidInputException invalid) return invalid;
		throw new AssertionError("no InvalidInputException in " + failure, failure);
	}
}
