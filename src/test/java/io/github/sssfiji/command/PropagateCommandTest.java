package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
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
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.PromptMaps;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.Prompt;
import io.github.sssfiji.sss.predict.Propagation;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * {@code SSS Propagate} headless with an untrained promptable U-Net on the sample volume: the label
 * stack is the one {@link Propagation} makes from the ROIs' prompts, calibrated like the image; models
 * without prompts and ROIs outside the image are refused.
 */
class PropagateCommandTest {

	private static final Path SAMPLE = SegmentImageCommandTest.SAMPLE;

	private final Context context = new Context(CommandService.class, SssService.class);

	@TempDir
	Path dir;

	@AfterEach
	void dispose() {
		context.dispose();
	}

	/** A seeded, untrained ACDC U-Net at input size 32, with prompt channels or without. */
	static Path model(final Path folder, final boolean prompts) throws IOException {
		final Path file = folder.resolve(prompts ? "promptable.sss" : "plain.sss");
		final UNetConfig config = UNetConfig.acdc().withPromptChannels(prompts ? PromptMaps.channels(4) : 0);
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(config, root, 3)) {
			SssModel.write(file, net, SegmentImageCommandTest.ACDC, 32, null);
		}
		return file;
	}

	private static ImagePlus sample() throws IOException {
		final ImagePlus image = MedicalImagePlus.toImagePlus(ImageFiles.read(SAMPLE));
		image.setTitle("synthetic_014.nii.gz");
		return image;
	}

	/** The labels {@link Propagation} gives for {@code prompts} on the sample, as the CLI computes them. */
	private static int[] expectedLabels(final Path model, final List<Prompt> prompts) throws IOException {
		final MedicalImage volume = ImageFiles.read(SAMPLE);
		final int[] dims = Preprocessing.volumeDims(volume, "sample");
		final float[] values = volume.toFloatArray();
		Preprocessing.normalise(values);
		try (SssModel net = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
			return SlicePredictor.argmax(Propagation.probabilities(net.network(), values, dims, net.inputSize(), 8, SlicePrompts.of(prompts, dims[2], 4),
				root), 4);
		}
	}

	@Test
	void theSelectionOnASlicePropagatesToALabelStackOfTheWholeVolume() throws Exception {
		final Path model = model(dir, true);
		final ImagePlus image = sample();
		image.setSlice(6);
		final Roi box = new Roi(50, 40, 30, 35);
		box.setName("LV");
		image.setRoi(box);
		final CommandModule module = context.service(CommandService.class).run(PropagateCommand.class, false, "image", image, "model", model.toFile(),
			"probabilities", true).get();
		final ImagePlus labels = (ImagePlus) module.getOutput("labels");
		assertEquals("synthetic_014-propagated", labels.getTitle());
		assertEquals(128, labels.getWidth());
		assertEquals(128, labels.getHeight());
		assertEquals(12, labels.getStackSize());
		assertEquals(8, labels.getBitDepth());
		assertEquals(1.5, labels.getCalibration().pixelWidth, 1e-9);
		assertEquals(8, labels.getCalibration().pixelDepth, 1e-9);
		assertEquals("mm", labels.getCalibration().getUnit());
		// the selection prompts LV on the displayed slice (5 from 0), clicked at the box's centre
		final List<Prompt> prompts = List.of(new Prompt(3, 5, 50, 40, 79, 74, 64, 57, 0, 1));
		final int[] actual = MedicalImagePlus.fromImagePlus(labels, "test").toLabelArray();
		assertArrayEquals(expectedLabels(model, prompts), actual);
		assertTrue(java.util.Arrays.stream(actual).allMatch(l -> l >= 0 && l < 4));
		assertEquals(2, labels.getOverlay().size(), "the prompt (box and click) is the label image's overlay");
		assertEquals(6, labels.getOverlay().get(0).getPosition());
		final ImagePlus maps = (ImagePlus) module.getOutput("probability_maps");
		assertEquals(4, maps.getNChannels());
		assertEquals(12, maps.getNSlices());
	}

	@Test
	void roisOnSeveralSlicesWithClicksAndClassesPromptTheirSlices() throws Exception {
		final Path model = model(dir, true);
		final ImagePlus image = sample();
		final Roi lv = new Roi(50, 40, 30, 35), click = new PointRoi(60, 50), rv = new Roi(20, 30, 25, 40);
		lv.setName("LV");
		lv.setPosition(3);
		click.setName("lv");
		click.setPosition(3);
		rv.setPosition(9);
		final PropagateCommand command = new PropagateCommand();
		context.inject(command);
		command.image = image;
		command.model = model.toFile();
		command.prompt_class = "RV";
		command.segment(List.of(lv, click, rv));
		final List<Prompt> prompts = List.of(new Prompt(3, 2, 50, 40, 79, 74, 60, 50, 0, 1), new Prompt(1, 8, 20, 30, 44, 69, 32, 49, 1, 1));
		assertArrayEquals(expectedLabels(model, prompts), MedicalImagePlus.fromImagePlus(command.labels, "test").toLabelArray());
		assertNull(command.probability_maps, "probability maps only when asked for");
	}

	@Test
	void aModelWithoutPromptsIsRefused() throws Exception {
		final ImagePlus image = sample();
		image.setRoi(new Roi(50, 40, 30, 35));
		final InvalidInputException e = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class).run(PropagateCommand.class,
			false, "image", image, "model", model(dir, false).toFile()).get());
		assertTrue(e.getMessage().contains("plain.sss: this model reads no prompts") && e.getMessage().contains("SSS Segment Image"), e.getMessage());
	}

	@Test
	void aRoiOutsideTheImageOrOfAClassTheModelLacksIsRefused() throws Exception {
		final Path model = model(dir, true);
		final ImagePlus image = sample();
		image.setRoi(new Roi(100, 100, 40, 20));
		final InvalidInputException outside = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class)
			.run(PropagateCommand.class, false, "image", image, "model", model.toFile()).get());
		assertEquals("the prompt ROIs: the box [100, 100, 139, 119] on slice 0 leaves the 128 x 128 image", outside.getMessage());
		final PropagateCommand command = new PropagateCommand();
		context.inject(command);
		command.image = image;
		command.model = model.toFile();
		final Roi beyond = new Roi(10, 10, 5, 5);
		beyond.setPosition(13);
		final InvalidInputException slice = assertThrows(InvalidInputException.class, () -> command.segment(List.of(beyond)));
		assertEquals("the prompt ROIs: a prompt on slice 12 (counted from 0); synthetic_014.nii.gz has slices 0 to 11", slice.getMessage());
		final Roi unknown = new Roi(10, 10, 5, 5);
		unknown.setName("class 4");
		final InvalidInputException classLabel = assertThrows(InvalidInputException.class, () -> command.segment(List.of(unknown)));
		assertEquals("the prompt ROIs: a prompt of class 4; the model has classes 1 to 3", classLabel.getMessage());
		assertNull(command.labels);
	}
}
