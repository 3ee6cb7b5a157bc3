package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.pcsw.Prompt;
import io.github.sssfiji.sss.pcsw.PromptsJson;

/** The PCSW Fiji commands, run headless through the CommandService as a macro would. */
class GeneratePromptsCommandTest {

	private static final int NX = 24, NY = 20, NZ = 5;

	private final Context context = new Context(CommandService.class);

	@TempDir
	Path dir;

	@AfterEach
	void dispose() {
		context.dispose();
	}

	/** Class 2: a box x 5..10, y 4..8 on every slice (kept); class 1: a 4 x 4 blob on slice 3 only (rejected). */
	private static ImagePlus labels() {
		final ImageStack stack = new ImageStack(NX, NY);
		for (int z = 0; z < NZ; z++) {
			final byte[] plane = new byte[NX * NY];
			for (int y = 4; y <= 8; y++)
				for (int x = 5; x <= 10; x++)
					plane[y * NX + x] = 2;
			if (z == 3) for (int y = 14; y <= 17; y++)
				for (int x = 17; x <= 20; x++)
					plane[y * NX + x] = 1;
			stack.addSlice(null, plane);
		}
		return new ImagePlus("heart.tif", stack);
	}

	@Test
	void imageVariantFiltersAndOverlaysPromptsWhenHeadless() throws InterruptedException, ExecutionException {
		final CommandModule module = context.service(CommandService.class).run(GeneratePromptsCommand.class, false, "input", labels(),
			"prompt_freq", 2).get();
		final ImagePlus filtered = (ImagePlus) module.getOutput("filtered");
		assertEquals("heart-pcsw", filtered.getTitle());
		assertEquals(NZ, filtered.getStackSize());
		assertEquals(2, filtered.getStack().getProcessor(1).get(7, 6));
		assertEquals(0, filtered.getStack().getProcessor(4).get(18, 15), "the one-slice blob is rejected");
		final Overlay overlay = filtered.getOverlay();
		// prompts on slices 0, 2, 4: a rectangle and a point each
		assertEquals(6, overlay.size());
		final Roi box = overlay.get(0), click = overlay.get(1);
		assertEquals("2-0", box.getName());
		assertEquals(1, box.getPosition());
		assertEquals(new java.awt.Rectangle(5, 4, 6, 5), box.getBounds());
		assertTrue(click instanceof PointRoi);
		assertEquals(6, click.getBounds().y, "the deepest point of a 6 x 5 box lies on its middle row");
		assertEquals("2-4", overlay.get(5).getName());
		assertEquals(5, overlay.get(5).getPosition());
	}

	@Test
	void folderVariantWritesFilesWithMacroKeys() throws Exception {
		final Path input = dir.resolve("heart.tif");
		new ij.io.FileSaver(labels()).saveAsTiffStack(input.toString());
		final Path output = dir.resolve("prompts");
		final CommandModule module = context.service(CommandService.class).run(GeneratePromptsFolderCommand.class, false, "input", input.toFile(),
			"output", output.toFile(), "window", 3, "min_support", 2, "prompt_freq", 1).get();
		assertEquals(5, module.getOutput("prompts"));
		final List<Prompt> prompts = PromptsJson.read(output.resolve("prompts.json"));
		assertEquals(List.of(0, 1, 2, 3, 4), prompts.stream().map(Prompt::slice).toList());
		assertEquals(0, ImageFiles.read(output.resolve("filtered.nii.gz")).toLabelArray()[(3 * NY + 15) * NX + 18]);
		assertTrue(Files.exists(output.resolve("rejected.nii.gz")));
	}

	/** A link in the output folder to a file elsewhere is refused naming the key, before anything is written. */
	@Test
	void folderVariantRefusesAnOutputLinkThatLeadsOutOfTheOutputFolder() throws Exception {
		final Path input = dir.resolve("heart.tif");
		new ij.io.FileSaver(labels()).saveAsTiffStack(input.toString());
		final Path output = Files.createDirectories(dir.resolve("prompts")), elsewhere = Files.writeString(dir.resolve("notes.txt"), "mine");
		Files.createSymbolicLink(output.resolve("prompts.json"), elsewhere);
		final InvalidInputException e = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class)
			.run(GeneratePromptsFolderCommand.class, false, "input", input.toFile(), "output", output.toFile()).get());
		assertEquals("key 'output': " + output.resolve("prompts.json") + " is a symbolic link to " + elsewhere.toRealPath() +
			", outside the output folder " + output + "; remove the link or choose another output folder", e.getMessage());
		assertEquals("mine", Files.readString(elsewhere));
		try (java.util.stream.Stream<Path> files = Files.list(output)) {
			assertEquals(List.of("prompts.json"), files.map(p -> p.getFileName().toString()).toList(), "nothing written");
		}
	}

	/**
	 * The macro key {@code rule=continuity}: one prompt per class and nothing rejected. Class 2 (a box on all 5
	 * slices; N = 2 and 3 for S = 5): window 0..1 is one component, C = 1, prompt on slice 0 (all slices tie), box
	 * (5, 4, 10, 8), centre (7, 6). Class 1 (one blob on slice 3): window 2..3 holds it alone, C = 1, prompt on slice
	 * 3, box (17, 14, 20, 17), centre (18, 15).
	 */
	@Test
	void theRuleKeySelectsTheContinuityRule() throws Exception {
		final Path input = dir.resolve("heart.tif");
		new ij.io.FileSaver(labels()).saveAsTiffStack(input.toString());
		final Path output = dir.resolve("continuity");
		final CommandModule module = context.service(CommandService.class).run(GeneratePromptsFolderCommand.class, false, "input", input.toFile(),
			"output", output.toFile(), "rule", "continuity").get();
		assertEquals(2, module.getOutput("prompts"));
		assertEquals(List.of(new Prompt(1, 3, 17, 14, 20, 17, 18, 15, 0, 16), new Prompt(2, 0, 5, 4, 10, 8, 7, 6, 1, 60)),
			PromptsJson.read(output.resolve("prompts.json")));
		assertEquals(1, ImageFiles.read(output.resolve("filtered.nii.gz")).toLabelArray()[(3 * NY + 15) * NX + 18], "the blob is kept");
	}

	@Test
	void invalidThresholdNamesTheParameter() {
		final ExecutionException e = assertThrows(ExecutionException.class, () -> context.service(CommandService.class)
			.run(GeneratePromptsCommand.class, false, "input", labels(), "min_support", 4).get());
		Throwable cause = e;
		while (cause.getCause() != null)
			cause = cause.getCause();
		assertTrue(cause instanceof InvalidInputException && cause.getMessage().contains("minSupport = 4"), String.valueOf(cause));
	}
}
