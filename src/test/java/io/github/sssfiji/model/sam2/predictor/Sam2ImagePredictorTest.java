package io.github.sssfiji.model.sam2.predictor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Autograd;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.djl.FreshThreads;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.model.sam2.parity.ParityCheck;
import io.github.sssfiji.nn.ModelState;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;

/**
 * The predictor on ImgLib2 images: the encoding is cached by content, grey equals replicated RGB
 * (also packed ARGB), and an image of another size is resized first. A 512 x 512 image made of 2 x 2
 * copies of the fixture's pixels resizes (without antialiasing) exactly to the fixture input, so its
 * predictions must match the official outputs.
 */
class Sam2ImagePredictorTest {

	@Test
	void cachesEncodingsResizesAndTreatsGreyAsRgb() throws IOException {
		final Path dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final long[] u8 = Npy.read(dir.resolve("image/image_u8.npy")).longs();
		final Img<UnsignedByteType> grey = ArrayImgs.unsignedBytes(256, 256);
		final Img<UnsignedByteType> twice = ArrayImgs.unsignedBytes(512, 512);
		final Img<UnsignedByteType> rgb = ArrayImgs.unsignedBytes(256, 256, 3);
		final Img<ARGBType> argb = ArrayImgs.argbs(256, 256);
		final var g = grey.randomAccess();
		final var t = twice.randomAccess();
		final var c = rgb.randomAccess();
		final var a = argb.randomAccess();
		for (int y = 0; y < 256; y++)
			for (int x = 0; x < 256; x++) {
				final int v = (int) u8[y * 256 + x];
				g.setPositionAndGet(x, y).set(v);
				for (int k = 0; k < 3; k++) c.setPositionAndGet(x, y, k).set(v);
				for (int d = 0; d < 4; d++) t.setPositionAndGet(2 * x + (d & 1), 2 * y + (d >> 1)).set(v);
				a.setPositionAndGet(x, y).set(ARGBType.rgba(v, v, v, 255));
			}
		final Path ref = dir.resolve("prompts/b_points_pos_neg/multi");
		final Sam2Prompt prompt = Sam2Prompt.points(new float[] { 150f, 97f, 60.5f, 180.25f }, 1, 0);
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			try (Sam2ImagePredictor predictor = new Sam2ImagePredictor(model, root)) {
				assertThrows(IllegalStateException.class, () -> predictor.predict(prompt, true));
				assertTrue(predictor.setImage(grey));
				final Sam2ImagePredictor.Prediction fromGrey = predictor.predict(prompt, true);
				check(fromGrey, ref);
				assertEquals(256, fromGrey.width());
				final int arrays = ((BaseNDManager) root).getManagedArrays().size();
				assertFalse(predictor.setImage(grey), "same image object: no re-encode");
				assertFalse(predictor.setImage(grey.copy()), "same content: no re-encode");
				assertEquals(arrays, ((BaseNDManager) root).getManagedArrays().size());
				final Img<UnsignedByteType> changed = grey.copy();
				changed.firstElement().set(changed.firstElement().get() ^ 1);
				assertTrue(predictor.setImage(changed), "one changed pixel: re-encode");
				assertTrue(predictor.setImage(rgb));
				assertArrayEquals(fromGrey.lowResLogits, predictor.predict(prompt, true).lowResLogits, 0f, "RGB replica of the grey image");
				assertTrue(predictor.setImage(grey));
				assertTrue(predictor.setImageArgb(argb));
				assertArrayEquals(fromGrey.lowResLogits, predictor.predict(prompt, true).lowResLogits, 0f, "ARGB replica of the grey image");
				assertFalse(predictor.setImage(rgb), "ARGB and RGB of the same values are the same content");
				assertEquals(arrays, ((BaseNDManager) root).getManagedArrays().size(), "re-encoding left arrays behind");

				// 512 x 512, plain bilinear 2x down-sampling restores the fixture input exactly
				predictor.antialias(false);
				assertTrue(predictor.setImage(twice));
				final Sam2ImagePredictor.Prediction fromTwice = predictor.predict(
					Sam2Prompt.points(new float[] { 300f, 194f, 121f, 360.5f }, 1, 0), true);
				check(fromTwice, ref);
				assertEquals(512, fromTwice.width());
				assertEquals(512, fromTwice.height());
				assertEquals(3 * 512 * 512, fromTwice.logits.length);
				final boolean[] best = fromTwice.mask(fromTwice.best());
				int agree = 0, inside = 0;
				final float[] greyLogits = fromGrey.logits(fromTwice.best());
				for (int y = 0; y < 512; y++)
					for (int x = 0; x < 512; x++) {
						final float low = greyLogits[(y / 2) * 256 + x / 2];
						if (Math.abs(low) > 1) {
							inside++;
							if (best[y * 512 + x] == low > 0) agree++;
						}
					}
				assertEquals(inside, agree, "upsampled mask disagrees with the 256 x 256 mask away from its edge");
				// with antialiasing (default) the input differs, but the output still has the image's size
				predictor.antialias(true);
				assertTrue(predictor.setImage(twice));
				assertEquals(512 * 512, predictor.predict(prompt, false).mask(0).length);
				final float[] next = fromGrey.maskInput(1);
				assertEquals(64 * 64, next.length);
				for (final float v : next) assertTrue(v >= -32 && v <= 32);
			}
		}
	}

	@Test
	void otherPixelTypesUseTheirRangeAndBadInputIsRejected() throws IOException {
		final Path dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final long[] u8 = Npy.read(dir.resolve("image/image_u8.npy")).longs();
		final Img<UnsignedShortType> wide = ArrayImgs.unsignedShorts(256, 256);
		final var w = wide.cursor();
		for (final long v : u8) w.next().set((int) (1000 + 4 * v));
		long min = 255, max = 0;
		for (final long v : u8) {
			min = Math.min(min, v);
			max = Math.max(max, v);
		}
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			try (Sam2ImagePredictor predictor = new Sam2ImagePredictor(model, root)) {
				assertTrue(predictor.setImage(wide, 1000, 1000 + 4 * 255));
				final Sam2ImagePredictor.Prediction fromWide = predictor.predict(Sam2Prompt.box(40, 70, 190, 210), true);
				check(fromWide, dir.resolve("prompts/c_box/multi"));
				// without a range the image's own minimum and maximum are used: 1000..2020 here (u8 spans 0..255)
				assertEquals(0, min);
				assertEquals(255, max);
				assertFalse(predictor.setImage(wide), "own range equals the range given before: same content");
				assertThrows(InvalidInputException.class, () -> predictor.setImage(ArrayImgs.unsignedBytes(4, 4, 2)));
				assertThrows(InvalidInputException.class, () -> predictor.setImage(wide, 5, 5));
				assertThrows(InvalidInputException.class, () -> predictor.predict(Sam2Prompt.points(new float[] { 1, 2 }, 2), true));
				assertThrows(InvalidInputException.class, () -> predictor.predict(Sam2Prompt.points(new float[] { 1, 2, 3 }, 1), true));
				assertThrows(InvalidInputException.class, () -> predictor.predict(Sam2Prompt.box(0, 0, 1, 1).withMask(new float[10]), true));
			}
		}
	}

	/**
	 * Fiji runs commands on pool threads, where libtorch's autograd is on (only the engine's start
	 * thread has it off). There the predictor must still match the official outputs and keep an
	 * encoding that records no graph: the loaded weights require gradients, so without the guard the
	 * embedding would require one too. The thread's grad mode is restored afterwards.
	 */
	@Test
	void predictsOnAFreshThreadWithoutRecordingAGraph() throws Exception {
		final Path dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final byte[] pixels = Npy.read(dir.resolve("image/image_u8.npy")).bytes();
		final Sam2Prompt prompt = Sam2Prompt.points(new float[] { 150f, 97f, 60.5f, 180.25f }, 1, 0);
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			assertTrue(JniUtils.requiresGrad((PtNDArray) model.tensors().get("no_mem_embed")), "premise: the weights are trainable");
			try (Sam2ImagePredictor predictor = new Sam2ImagePredictor(model, root)) {
				final Sam2ImagePredictor.Prediction prediction = FreshThreads.call(() -> {
					assertTrue(JniUtils.isGradMode(), "premise: a new thread starts with autograd on");
					assertTrue(predictor.setImage(pixels, 256, 256, 1));
					final Sam2ImagePredictor.Prediction p = predictor.predict(prompt, true);
					for (final NDArray feature : predictor.features().asList())
						assertFalse(Autograd.recordedGraph(feature), "the kept encoding recorded a graph: " + feature.getShape());
					assertTrue(JniUtils.isGradMode(), "the thread's grad mode was not restored");
					return p;
				});
				check(prediction, dir.resolve("prompts/b_points_pos_neg/multi"));
			}
		}
	}

	private static void check(final Sam2ImagePredictor.Prediction p, final Path ref) throws IOException {
		final ParityCheck.Result masks = ParityCheck.compare("low_res_masks", p.lowResLogits, new long[] { 1, p.masks, 64, 64 },
			Npy.read(ref.resolve("low_res_masks.npy")), 1e-4, 1e-3);
		assertTrue(masks.pass(), masks.toString());
		final ParityCheck.Result iou = ParityCheck.compare("iou", p.iou, new long[] { 1, p.masks }, Npy.read(ref.resolve("iou_predictions.npy")),
			1e-4, 1e-3);
		assertTrue(iou.pass(), iou.toString());
	}
}
