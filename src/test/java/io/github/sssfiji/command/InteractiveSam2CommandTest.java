package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.predictor.Sam2InteractiveModel;
import io.github.sssfiji.service.SssService;

/**
 * {@code SSS Interactive SAM-2} headless through a SciJava context, as a macro runs it after
 * {@code makeRectangle} or {@code makePoint}: on the parity fixture's image and model (imported from
 * the official checkpoint here) the masks equal the official predictor's, pixel for pixel; the model
 * is loaded once and the image encoded once across repeated runs.
 */
class InteractiveSam2CommandTest {

	private static final int SIZE = 256;

	@TempDir
	static Path models;

	private static Path model;
	private static byte[] pixels;

	private final Context context = new Context(CommandService.class, SssService.class);

	@BeforeAll
	static void importFixture() throws IOException {
		final Path dir = TestData.sam2Parity();
		model = models.resolve("micro" + Sam2ModelFiles.EXTENSION);
		Sam2ModelFiles.importCheckpoint(dir.resolve("weights.pt"), Sam2Config.parse(dir.resolve("config.json")), model);
		final long[] u8 = Npy.read(dir.resolve("image/image_u8.npy")).longs();
		pixels = new byte[u8.length];
		for (int i = 0; i < u8.length; i++) pixels[i] = (byte) u8[i];
	}

	@AfterEach
	void dispose() {
		context.dispose();
	}

	/** Element {@code offset + i} of a bit-packed (numpy.packbits, big bit order) mask, for {@code length} elements. */
	static boolean[] unpack(final Path file, final int offset, final int length) throws IOException {
		final long[] packed = Npy.read(file).longs();
		final boolean[] out = new boolean[length];
		for (int i = 0; i < length; i++) {
			final int j = offset + i;
			out[i] = ((packed[j >> 3] >> (7 - (j & 7))) & 1) == 1;
		}
		return out;
	}

	/** The official mask with the highest predicted IoU of a prompt case. */
	private static boolean[] officialMask(final String promptCase, final boolean multimask) throws IOException {
		final Path dir = TestData.sam2Parity().resolve("prompts").resolve(promptCase).resolve(multimask ? "multi" : "single");
		final float[] iou = Npy.read(dir.resolve("iou_predictions.npy")).floats();
		int best = 0;
		for (int m = 1; m < iou.length; m++)
			if (iou[m] > iou[best]) best = m;
		return unpack(dir.resolve("masks_bool.npy"), best * SIZE * SIZE, SIZE * SIZE);
	}

	private static ImagePlus fixtureImage() {
		final ImagePlus image = new ImagePlus("fixture.tif", new ByteProcessor(SIZE, SIZE, pixels.clone()));
		final Calibration calibration = new Calibration();
		calibration.pixelWidth = 0.7;
		calibration.pixelHeight = 0.8;
		calibration.setUnit("mm");
		image.setCalibration(calibration);
		return image;
	}

	private CommandModule segment(final ImagePlus image, final boolean multimask) throws InterruptedException, ExecutionException {
		return context.service(CommandService.class).run(InteractiveSam2Command.class, false, "image", image, "model", model.toFile(),
			"multimask", multimask).get();
	}

	private static boolean[] mask(final CommandModule module) {
		final ImagePlus mask = (ImagePlus) module.getOutput("mask");
		final byte[] values = (byte[]) mask.getProcessor().getPixels();
		final boolean[] out = new boolean[values.length];
		for (int i = 0; i < values.length; i++) {
			assertTrue(values[i] == 0 || values[i] == (byte) 255, "not binary");
			out[i] = values[i] != 0;
		}
		return out;
	}

	private Sam2InteractiveModel cached() throws IOException {
		try (SssService.Lease<Sam2InteractiveModel> lease = context.service(SssService.class).lease(model, Sam2InteractiveModel.class,
			Sam2InteractiveModel::load))
		{
			return lease.get();
		}
	}

	@Test
	void boxRoiGivesTheOfficialMaskAndRepeatedRunsReuseModelAndEncoding() throws Exception {
		final ImagePlus image = fixtureImage();
		// makeRectangle(40, 70, 151, 141): the fixture's box (40, 70, 190, 210)
		image.setRoi(new Roi(40, 70, 151, 141));
		final CommandModule first = segment(image, false);
		final ImagePlus mask = (ImagePlus) first.getOutput("mask");
		assertEquals("fixture-sam2", mask.getTitle());
		assertEquals(0.7, mask.getCalibration().pixelWidth);
		assertEquals(0.8, mask.getCalibration().pixelHeight);
		assertEquals("mm", mask.getCalibration().getUnit());
		assertArrayEquals(officialMask("c_box", false), mask(first));
		final float officialIou = Npy.read(TestData.sam2Parity().resolve("prompts/c_box/single/iou_predictions.npy")).floats()[0];
		assertEquals(officialIou, (double) first.getOutput("iou_score"), 1e-4);
		assertEquals(1, image.getOverlay().size());
		assertEquals(InteractiveSam2Command.OVERLAY_NAME, image.getOverlay().get(0).getName());
		assertEquals(new Roi(40, 70, 151, 141).getBounds(), image.getRoi().getBounds(), "the prompt stays the selection");

		final SssService sss = context.service(SssService.class);
		assertEquals(1, sss.loadCount());
		assertEquals(1, cached().predictor().encodings());
		final CommandModule second = segment(image, true);
		assertArrayEquals(officialMask("c_box", true), mask(second));
		assertEquals(1, sss.loadCount(), "the model was loaded again");
		assertEquals(1, cached().predictor().encodings(), "the same image was encoded again");
		assertEquals(2, image.getOverlay().size(), "one outline per run");

		// another image content is encoded anew, with the same model
		final ImagePlus changed = fixtureImage();
		changed.getProcessor().set(0, 0, 255 - changed.getProcessor().get(0, 0));
		changed.setRoi(new Roi(40, 70, 151, 141));
		segment(changed, false);
		assertEquals(1, sss.loadCount());
		assertEquals(2, cached().predictor().encodings());
		assertSame(cached(), cached());
	}

	@Test
	void positiveAndNegativePointsOfACurrentSliceOfAStack() throws Exception {
		final ImageStack stack = new ImageStack(SIZE, SIZE);
		stack.addSlice(new ByteProcessor(SIZE, SIZE));
		stack.addSlice(new ByteProcessor(SIZE, SIZE, pixels.clone()));
		stack.addSlice(new ByteProcessor(SIZE, SIZE));
		final ImagePlus image = new ImagePlus("stack", stack);
		image.setSlice(2);
		// makePoint(150, 97) and a negative point of counter 1 at (60.5, 180.25), the fixture's b_points_pos_neg
		final PointRoi points = new PointRoi(150, 97);
		points.setCounter(1);
		points.addPoint(60.5, 180.25);
		image.setRoi(points);
		final CommandModule module = segment(image, true);
		assertArrayEquals(officialMask("b_points_pos_neg", true), mask(module));
		assertEquals(2, image.getOverlay().get(0).getPosition(), "the outline lies on the prompted slice");
	}

	@Test
	void rgbAndSixteenBitPlanesGiveTheSameMask() throws Exception {
		final int[] rgb = new int[pixels.length];
		final short[] wide = new short[pixels.length];
		for (int i = 0; i < pixels.length; i++) {
			final int v = pixels[i] & 0xff;
			rgb[i] = v << 16 | v << 8 | v;
			wide[i] = (short) (v * 256 + 17);
		}
		final ImagePlus colour = new ImagePlus("rgb", new ColorProcessor(SIZE, SIZE, rgb));
		colour.setRoi(new Roi(40, 70, 151, 141));
		// the official predictor was given this image as three equal channels
		assertArrayEquals(officialMask("c_box", false), mask(segment(colour, false)));

		final ShortProcessor plane = new ShortProcessor(SIZE, SIZE, wide, null);
		plane.setMinAndMax(17, 255 * 256 + 17); // the display range maps the values back to 0..1 as v / 255
		final ImagePlus sixteen = new ImagePlus("16-bit", plane);
		sixteen.setRoi(new Roi(40, 70, 151, 141));
		assertArrayEquals(officialMask("c_box", false), mask(segment(sixteen, false)));
	}

	@Test
	void withoutAPromptOrWithACheckpointTheErrorSaysWhatToDo() {
		final ImagePlus image = fixtureImage();
		final InvalidInputException e = ImportSam2WeightsCommandTest.invalidInput(() -> segment(image, false));
		assertTrue(e.getMessage().startsWith("no prompt on fixture.tif: draw points"), e.getMessage());
		image.setRoi(new Roi(40, 70, 151, 141));
		final InvalidInputException checkpoint = ImportSam2WeightsCommandTest.invalidInput(() -> context.service(CommandService.class)
			.run(InteractiveSam2Command.class, false, "image", image, "model", TestData.sam2Parity().resolve("weights.pt").toFile()).get());
		assertTrue(checkpoint.getMessage().contains("is a checkpoint; import it first with SSS Import SAM-2 Weights"), checkpoint.getMessage());
	}
}
