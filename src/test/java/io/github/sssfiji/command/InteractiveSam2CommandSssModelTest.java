package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Preprocessing;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.Prompt;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * {@code SSS Interactive SAM-2} with a trained {@code .sss} model (an untrained promptable U-Net): the
 * ROIs on the displayed plane prompt one class, and the mask is where that class wins on the plane
 * decoded with those prompts.
 */
class InteractiveSam2CommandSssModelTest {

	private final Context context = new Context(CommandService.class, SssService.class);

	@TempDir
	Path dir;

	@AfterEach
	void dispose() {
		context.dispose();
	}

	private static ImagePlus sample() throws IOException {
		final ImagePlus image = MedicalImagePlus.toImagePlus(ImageFiles.read(SegmentImageCommandTest.SAMPLE));
		image.setTitle("synthetic_014.nii.gz");
		image.setSlice(6);
		return image;
	}

	private CommandModule segment(final ImagePlus image, final Path model, final String promptClass) throws Exception {
		return context.service(CommandService.class).run(InteractiveSam2Command.class, false, "image", image, "model", model.toFile(), "prompt_class",
			promptClass).get();
	}

	@Test
	void theRoisOfTheDisplayedPlanePromptTheClassAndTheMaskIsWhereItWins() throws Exception {
		final Path model = PropagateCommandTest.model(dir, true);
		final ImagePlus image = sample();
		final PointRoi click = new PointRoi(60, 50);
		image.setRoi(new Roi(50, 40, 30, 35));
		// the plane normalised with its volume, as the model saw volumes in training
		final MedicalImage volume = ImageFiles.read(SegmentImageCommandTest.SAMPLE);
		final float[] values = volume.toFloatArray();
		Preprocessing.normalise(values);
		final int area = 128 * 128;
		final float[] plane = Arrays.copyOfRange(values, 5 * area, 6 * area);
		int nonEmpty = 0;
		final List<String> classes = SegmentImageCommandTest.ACDC;
		for (int c = 1; c < 4; c++) {
			// the selection alone: the box with its centre as click, of the class parameter
			final CommandModule module = segment(image, model, classes.get(c));
			final ImagePlus mask = (ImagePlus) module.getOutput("mask");
			assertEquals(image.getShortTitle() + "-" + classes.get(c), mask.getTitle());
			assertEquals(1.5, mask.getCalibration().pixelWidth, 1e-9);
			assertEquals("mm", mask.getCalibration().getUnit());
			assertTrue(Double.isNaN((double) module.getOutput("iou_score")), "an .sss model predicts no IoU");
			// the mask is where the class wins on the plane decoded with the prompt
			final int[] argmax;
			try (SssModel net = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
				argmax = SlicePredictor.argmax(SlicePredictor.probabilities(net.network(), plane, new int[] { 128, 128, 1 }, 32, 1,
					SlicePrompts.of(List.of(new Prompt(c, 0, 50, 40, 79, 74, 64, 57, 0, 1)), 1, 4), root), 4);
			}
			final byte[] pixels = (byte[]) mask.getProcessor().getPixels();
			int inside = 0;
			for (int i = 0; i < area; i++) {
				assertEquals(argmax[i] == c ? (byte) 255 : 0, pixels[i], "class " + c + ", pixel " + i);
				if (argmax[i] == c) inside++;
			}
			if (inside > 0) nonEmpty++;
		}
		assertTrue(nonEmpty > 0, "an untrained net still predicts some class in the box");
		assertEquals(nonEmpty, image.getOverlay().size(), "one outline per non-empty mask");
		assertEquals(6, image.getOverlay().get(0).getPosition(), "on the displayed plane");

		// a box named after a class and an unnamed point: both prompt that class
		final InteractiveSam2Command command = new InteractiveSam2Command();
		context.inject(command);
		command.image = image;
		command.model = model.toFile();
		final Roi box = new Roi(50, 40, 30, 35);
		box.setName("LV");
		command.segmentWithSss(List.of(box, click));
		assertEquals(image.getShortTitle() + "-LV", command.mask.getTitle());
		final String info = (String) command.mask.getProperty("Info");
		assertTrue(info.contains("class LV, box (50, 40, 79, 74), click (60, 50)"), info);
	}

	@Test
	void aModelWithoutPromptsAndRoisOfTwoClassesAreRefused() throws Exception {
		final ImagePlus image = sample();
		image.setRoi(new Roi(50, 40, 30, 35));
		final InvalidInputException plain = ImportSam2WeightsCommandTest.invalidInput(() -> segment(image, PropagateCommandTest.model(dir, false), ""));
		assertTrue(plain.getMessage().contains("plain.sss: this model reads no prompts"), plain.getMessage());

		final InteractiveSam2Command command = new InteractiveSam2Command();
		context.inject(command);
		command.image = image;
		command.model = PropagateCommandTest.model(dir, true).toFile();
		final Roi rv = new Roi(10, 10, 20, 20), lv = new Roi(50, 40, 30, 35);
		rv.setName("RV");
		lv.setName("LV");
		final InvalidInputException two = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
			() -> command.segmentWithSss(List.of(rv, lv)));
		assertTrue(two.getMessage().startsWith("the ROIs prompt the classes RV and LV"), two.getMessage());
		final Roi outside = new Roi(120, 10, 20, 20);
		final InvalidInputException leaves = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
			() -> command.segmentWithSss(List.of(outside)));
		assertEquals("the prompt ROIs: the box [120, 10, 139, 29] on slice 0 leaves the 128 x 128 image", leaves.getMessage());
	}
}
