package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.Device;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.parity.ParityCheck;
import io.github.sssfiji.model.sam2.predictor.Sam2ImagePredictor;
import io.github.sssfiji.model.sam2.predictor.Sam2InteractiveModel;
import io.github.sssfiji.service.SssService;

/**
 * {@code SSS Import SAM-2 Weights} headless: the fixture's official checkpoint imported with its
 * config.json predicts the fixture's reference outputs; a pickle with a code-running global, a
 * preset that does not fit and a checkpoint that fits no preset are refused and write nothing.
 */
class ImportSam2WeightsCommandTest {

	private final Context context = new Context(CommandService.class, SssService.class);

	@TempDir
	Path tmp;

	@AfterEach
	void dispose() {
		context.dispose();
	}

	private CommandModule importer(final Object... inputs) throws InterruptedException, ExecutionException {
		return context.service(CommandService.class).run(ImportSam2WeightsCommand.class, false, inputs).get();
	}

	@Test
	void importedFixturePredictsTheOfficialBoxMask() throws Exception {
		final Path dir = TestData.sam2Parity();
		final Path out = tmp.resolve("models").resolve("micro.sam2.zip");
		final CommandModule module = importer("checkpoint", dir.resolve("weights.pt").toFile(), "config", dir.resolve("config.json").toString(),
			"output", out.toFile());
		assertEquals(out.toFile(), module.getOutput("model_file"));
		final String keyCheck = (String) module.getOutput("key_check");
		assertTrue(keyCheck.startsWith("all 468 tensors of weights.pt match the keys and shapes"), keyCheck);
		try (Stream<Path> files = Files.list(out.getParent())) {
			assertEquals(1, files.count(), "a temporary file was left behind");
		}
		assertEquals("weights.pt", Sam2ModelFiles.readProvenance(out).sourceFile());

		final Path box = dir.resolve("prompts/c_box");
		try (Sam2InteractiveModel model = Sam2InteractiveModel.load(out, Device.cpu())) {
			final Sam2ImagePredictor predictor = model.predictor();
			final long[] u8 = Npy.read(dir.resolve("image/image_u8.npy")).longs();
			final byte[] pixels = new byte[u8.length];
			for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) u8[i];
			predictor.setImage(pixels, 256, 256, 1);
			final Sam2ImagePredictor.Prediction p = predictor.predict(null, null, Npy.read(box.resolve("input_box.npy")).floats(), null, false);
			final ParityCheck.Result logits = ParityCheck.compare("c_box/single/low_res_masks.npy", p.lowResLogits, new long[] { 1, 1, 64, 64 },
				Npy.read(box.resolve("single/low_res_masks.npy")), 1e-4, 1e-3);
			assertTrue(logits.pass(), logits.toString());
			assertArrayEquals(InteractiveSam2CommandTest.unpack(box.resolve("single/masks_bool.npy"), 0, 256 * 256), p.mask(0));
		}
	}

	@Test
	void aPickleWithACodeRunningGlobalIsRefusedAndNothingIsWritten() throws IOException {
		final Path marker = tmp.resolve("pwned");
		final Path evil = tmp.resolve("evil.pt");
		// torch.save layout around a pickle that calls os.system("touch <marker>") when unpickled by Python
		final byte[] pickle = ("\u0080\u0002cos\nsystem\n(X").getBytes(StandardCharsets.ISO_8859_1);
		final byte[] command = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
		try (OutputStream os = Files.newOutputStream(evil); ZipOutputStream zip = new ZipOutputStream(os)) {
			zip.putNextEntry(new ZipEntry("evil/data.pkl"));
			zip.write(pickle);
			zip.write(new byte[] { (byte) command.length, 0, 0, 0 });
			zip.write(command);
			zip.write("tR.".getBytes(StandardCharsets.ISO_8859_1));
			zip.closeEntry();
			zip.putNextEntry(new ZipEntry("evil/version"));
			zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
			zip.closeEntry();
		}
		final Path out = tmp.resolve("out").resolve("evil.sam2.zip");
		final InvalidInputException e = invalidInput(() -> importer("checkpoint", evil.toFile(), "config", "tiny", "output", out.toFile()));
		assertTrue(e.getMessage().contains(evil.toString()) && e.getMessage().contains("os.system"), e.getMessage());
		assertFalse(Files.exists(out.getParent()), "the output folder was created");
		assertFalse(Files.exists(marker), "the payload ran");
	}

	@Test
	void aPresetThatDoesNotFitIsRefusedWithTheKeyCheck() {
		final Path weights = TestData.sam2Parity().resolve("weights.npz");
		final Path out = tmp.resolve("out").resolve("tiny.sam2.zip");
		InvalidInputException e = invalidInput(() -> importer("checkpoint", weights.toFile(), "config", "tiny", "output", out.toFile()));
		assertTrue(e.getMessage().startsWith("checkpoint " + weights + " does not fit configuration 'hiera_tiny'") &&
			e.getMessage().contains("with another shape"), e.getMessage());
		e = invalidInput(() -> importer("checkpoint", weights.toFile(), "config", "auto", "output", out.toFile()));
		assertTrue(e.getMessage().contains("fits none of the SAM 2 v1 presets") && e.getMessage().contains("config.json"), e.getMessage());
		e = invalidInput(() -> importer("checkpoint", weights.toFile(), "config", "huge", "output", out.toFile()));
		assertTrue(e.getMessage().startsWith("key 'config': unknown SAM 2 preset 'huge'"), e.getMessage());
		e = invalidInput(() -> importer("checkpoint", weights.toFile(), "config", tmp.resolve("none.json").toString(), "output", out.toFile()));
		assertTrue(e.getMessage().contains("none.json does not exist"), e.getMessage());
		assertFalse(Files.exists(out.getParent()), "the output folder was created");
	}

	/** The invalid input behind a failed command run. */
	static InvalidInputException invalidInput(final org.junit.jupiter.api.function.Executable run) {
		final ExecutionException e = assertThrows(ExecutionException.class, run);
		for (Throwable t = e; t != null; t = t.getCause())
			if (t instanceof InvalidInputException invalid) return invalid;
		throw new AssertionError("no InvalidInputException behind " + e, e);
	}
}
