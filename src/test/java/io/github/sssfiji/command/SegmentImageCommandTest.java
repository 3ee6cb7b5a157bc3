package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.PredictFiles;

/** {@code SSS Segment Image} run headless through the CommandService. */
class SegmentImageCommandTest {

	static final List<String> ACDC = List.of("background", "RV", "Myo", "LV");
	static final Path SAMPLE = Path.of("sample-data", "test", "images", "synthetic_014.nii.gz");

	private final Context context = new Context(CommandService.class, SssService.class);

	@TempDir
	Path dir;

	@AfterEach
	void dispose() {
		context.dispose();
	}

	/** A model file with the weights of a seeded, untrained ACDC U-Net at input size 32 (fast, and not all one class). */
	static Path model(final Path folder) throws IOException {
		final Path file = folder.resolve("acdc.sss");
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(UNetConfig.acdc(), root, 3)) {
			SssModel.write(file, net, ACDC, 32, null);
		}
		return file;
	}

	@Test
	void segmentsTheImageLikeTheFileRouteAndLoadsTheModelOnce() throws Exception {
		final Path model = model(dir);
		final MedicalImage volume = ImageFiles.read(SAMPLE);
		final ImagePlus image = MedicalImagePlus.toImagePlus(volume);
		image.setTitle("synthetic_014.nii.gz");
		final CommandService commands = context.service(CommandService.class);
		final CommandModule first = commands.run(SegmentImageCommand.class, false, "image", image, "model", model.toFile(), "probabilities", true).get();
		final CommandModule second = commands.run(SegmentImageCommand.class, false, "image", image, "model", model.toFile()).get();
		assertEquals(1, context.service(SssService.class).loadCount(), "the second run reuses the cached model");

		final ImagePlus labels = (ImagePlus) first.getOutput("labels");
		assertEquals("synthetic_014-labels", labels.getTitle());
		assertEquals(image.getWidth(), labels.getWidth());
		assertEquals(image.getHeight(), labels.getHeight());
		assertEquals(image.getNSlices(), labels.getNSlices());
		assertEquals(8, labels.getBitDepth());
		assertEquals(1.5, labels.getCalibration().pixelWidth, 1e-9);
		assertEquals(8, labels.getCalibration().pixelDepth, 1e-9);
		assertEquals("mm", labels.getCalibration().getUnit());

		// the label map is the one the CLI and SSS Segment Folder write for the file
		final int[] expected;
		try (SssModel net = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
			expected = PredictFiles.predict(net, volume, 8, false, root).toLabelArray();
		}
		final int[] actual = MedicalImagePlus.fromImagePlus(labels, "test").toLabelArray();
		assertArrayEquals(expected, actual);
		assertArrayEquals(actual, MedicalImagePlus.fromImagePlus((ImagePlus) second.getOutput("labels"), "test").toLabelArray());
		assertTrue(java.util.Arrays.stream(actual).distinct().count() > 1, "an untrained net still separates some pixels");

		// probability maps: one channel per class, summing to 1, whose argmax is the label
		final ImagePlus maps = (ImagePlus) first.getOutput("probability_maps");
		assertEquals(4, maps.getNChannels());
		assertEquals(image.getNSlices(), maps.getNSlices());
		assertEquals("LV", maps.getStack().getSliceLabel(maps.getStackIndex(4, 1, 1)));
		assertEquals(8, maps.getCalibration().pixelDepth, 1e-9);
		final int area = image.getWidth() * image.getHeight();
		for (int z = 0; z < maps.getNSlices(); z++)
			for (int i = 0; i < area; i += 37) {
				double sum = 0, best = -1;
				int argmax = -1;
				for (int c = 0; c < 4; c++) {
					final float p = ((float[]) maps.getStack().getPixels(maps.getStackIndex(c + 1, z + 1, 1)))[i];
					sum += p;
					if (p > best) {
						best = p;
						argmax = c;
					}
				}
				assertEquals(1, sum, 1e-5);
				assertEquals(actual[z * area + i], argmax, "slice " + z + ", pixel " + i);
			}
		assertNull(second.getOutput("probability_maps"), "probability maps only when asked for");
	}

	@Test
	void aMissingModelIsNamed() {
		final ImagePlus image = new ImagePlus("blank", new ij.process.ByteProcessor(16, 16));
		final ExecutionException e = assertThrows(ExecutionException.class, () -> context.service(CommandService.class).run(SegmentImageCommand.class,
			false, "image", image, "model", dir.resolve("none.sss").toFile()).get());
		final InvalidInputException invalid = TrainCommandTest.invalidInput(e);
		assertTrue(invalid.getMessage().contains("none.sss") && invalid.getMessage().contains("not found"), invalid.getMessage());
	}

	/** Confidence and entropy maps (with flip TTA) are the ones the file route computes from the same probabilities, calibrated like the image. */
	@Test
	void confidenceAndEntropyMapsMatchTheFileRoute() throws Exception {
		final Path model = model(dir);
		final MedicalImage volume = ImageFiles.read(SAMPLE);
		final ImagePlus image = MedicalImagePlus.toImagePlus(volume);
		image.setTitle("synthetic_014.nii.gz");
		final CommandModule run = context.service(CommandService.class).run(SegmentImageCommand.class, false, "image", image, "model", model.toFile(),
			"confidence", true, "tta", true).get();
		final float[] probabilities;
		try (SssModel net = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager()) {
			probabilities = PredictFiles.probabilities(net, volume, 8, true, root);
		}
		for (final String key : new String[] { "confidence_map", "entropy_map" }) {
			final ImagePlus map = (ImagePlus) run.getOutput(key);
			assertEquals(image.getNSlices(), map.getNSlices(), key);
			assertEquals(32, map.getBitDepth(), key);
			assertEquals(1.5, map.getCalibration().pixelWidth, 1e-9, key);
			final float[] expected = key.startsWith("confidence") ? PredictFiles.confidence(probabilities, 4) : PredictFiles.entropy(probabilities, 4);
			final float[] actual = new float[expected.length];
			final int area = image.getWidth() * image.getHeight();
			for (int z = 0; z < map.getNSlices(); z++)
				System.arraycopy((float[]) map.getStack().getPixels(z + 1), 0, actual, z * area, area);
			assertArrayEquals(expected, actual, 1e-6f, key);
		}
		assertEquals(null, run.getOutput("probability_maps"));
	}
}
