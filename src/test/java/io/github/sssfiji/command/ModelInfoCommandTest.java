package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.log.LogService;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import ij.ImagePlus;
import ij.ImageStack;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.service.SssService;

/** {@code SSS Model Info} run headless through the CommandService, as a macro would. */
class ModelInfoCommandTest {

	private final Context context = new Context(CommandService.class, SssService.class, LogService.class);

	@TempDir
	Path dir;

	@AfterEach
	void dispose() {
		context.dispose();
	}

	/**
	 * A model trained on an open stack and its label image: the info names the images (by title without extension; there are no
	 * files to hash) and their labelled and unlabelled slices, and goes to the log headless.
	 */
	@Test
	void infoPrintsTheProvenanceOfATrainedModel() throws Exception {
		final ImageStack pixels = new ImageStack(32, 32), annotation = new ImageStack(32, 32);
		for (int z = 0; z < 3; z++) {
			final byte[] image = new byte[32 * 32], labels = new byte[32 * 32];
			for (int y = 8; y < 20; y++)
				for (int x = 10; x < 22; x++) {
					image[y * 32 + x] = (byte) 200;
					if (z < 2) labels[y * 32 + x] = 1;
				}
			pixels.addSlice(null, image);
			annotation.addSlice(null, labels);
		}
		final Path model = dir.resolve("stack.sss");
		final CommandService commands = context.service(CommandService.class);
		commands.run(TrainCommand.class, false, "image", new ImagePlus("stack.tif", pixels), "labels", new ImagePlus("stack-labels.tif", annotation),
			"mode", "consistency", "budget_minutes", 0.0, "iterations", 1, "crop", 32, "batch", 2, "seed", 3, "output", model.toFile()).get();

		final List<String> logged = new CopyOnWriteArrayList<>();
		context.service(LogService.class).addLogListener(message -> logged.add(message.text()));
		final String info = (String) commands.run(ModelInfoCommand.class, false, "model", model.toFile()).get().getOutput("info");
		final JsonObject json = JsonParser.parseString(info).getAsJsonObject();
		assertEquals("sss-model", json.get("format").getAsString());
		final JsonObject provenance = json.getAsJsonObject("provenance");
		assertEquals(3, provenance.get("seed").getAsLong());
		final JsonObject data = provenance.getAsJsonObject("data");
		assertEquals("image", data.get("kind").getAsString());
		assertEquals("stack", data.get("image").getAsString());
		assertEquals("stack-labels", data.get("labels").getAsString());
		assertEquals("[\"stack#0\",\"stack#1\"]", data.getAsJsonObject("labelled").get("items").toString());
		assertEquals("[\"stack#2\"]", data.getAsJsonObject("unlabelled").get("items").toString());
		assertEquals(0, provenance.getAsJsonObject("validation").get("volumes").getAsInt());
		assertTrue(logged.stream().anyMatch(line -> line.contains(model.toString()) && line.contains("\"provenance\"")), logged.toString());
	}

	@Test
	void aFileThatIsNoModelIsNamed() throws Exception {
		final Path image = Files.copy(Path.of("sample-data/images/synthetic_000.nii.gz"), dir.resolve("image.nii.gz"));
		final InvalidInputException e = ImportSam2WeightsCommandTest.invalidInput(
			() -> context.service(CommandService.class).run(ModelInfoCommand.class, false, "model", image.toFile()).get());
		assertTrue(e.getMessage().contains(image.toString()) && e.getMessage().contains("not an SSS model file"), e.getMessage());
	}
}
