package io.github.sssfiji.model.sam2.predictor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.model.sam2.parity.ParityCheck;
import io.github.sssfiji.nn.ModelState;

/**
 * End to end from the uint8 image and the raw prompts of each case, as SAM2ImagePredictor.predict:
 * low-res logits and IoUs (abs 1e-4 + rel 1e-3) and the boolean masks at image size (a pixel may
 * differ only where |logit| < 1e-3).
 */
class Sam2ImagePredictorParityTest {

	private static final String[] CASES = { "a_point", "b_points_pos_neg", "c_box", "d_box_point", "e_mask", "f_points_mask" };

	@Test
	void everyPromptCaseMatchesFromTheRawImage() throws IOException {
		final Path dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final TensorData u8 = Npy.read(dir.resolve("image/image_u8.npy"));
		final byte[] pixels = new byte[u8.longs().length];
		for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) u8.longs()[i];
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			final List<String> failures = new ArrayList<>();
			try (Sam2ImagePredictor predictor = new Sam2ImagePredictor(model, root)) {
				predictor.setImage(pixels, 256, 256, 1);
				final int afterImage = ((BaseNDManager) root).getManagedArrays().size();
				for (final String name : CASES) {
					final Path c = dir.resolve("prompts").resolve(name);
					final float[] points = floats(c.resolve("input_points.npy"));
					final int[] labels = ints(c.resolve("input_labels.npy"));
					final float[] box = floats(c.resolve("input_box.npy"));
					final float[] mask = floats(c.resolve("input_mask_logits.npy"));
					for (final boolean multi : new boolean[] { true, false }) {
						final Sam2ImagePredictor.Prediction p = predictor.predict(points, labels, box, mask, multi);
						final String sub = multi ? "multi" : "single";
						final Path ref = c.resolve(sub);
						record(failures, ParityCheck.compare("prompts/" + name + "/" + sub + "/low_res_masks.npy", p.lowResLogits,
							new long[] { 1, p.masks, 64, 64 }, Npy.read(ref.resolve("low_res_masks.npy")), 1e-4, 1e-3));
						record(failures, ParityCheck.compare("prompts/" + name + "/" + sub + "/iou_predictions.npy", p.iou,
							new long[] { 1, p.masks }, Npy.read(ref.resolve("iou_predictions.npy")), 1e-4, 1e-3));
						final long[] packed = Npy.read(ref.resolve("masks_bool.npy")).longs();
						int flips = 0, hardFlips = 0;
						for (int i = 0; i < p.logits.length; i++) {
							final boolean expected = ((packed[i >> 3] >> (7 - (i & 7))) & 1) == 1;
							if (expected != p.logits[i] > 0) {
								flips++;
								if (Math.abs(p.logits[i]) >= 1e-3) hardFlips++;
							}
						}
						System.out.println((hardFlips == 0 ? "PASS " : "FAIL ") + "prompts/" + name + "/" + sub + "/masks_bool.npy  " +
							flips + " flipped pixels of " + p.logits.length);
						if (hardFlips > 0) failures.add(name + "/" + sub + ": " + hardFlips + " mask pixels differ at |logit| >= 1e-3");
					}
				}
				assertEquals(afterImage, ((BaseNDManager) root).getManagedArrays().size(), "predict left arrays behind");
			}
			assertTrue(failures.isEmpty(), String.join("\n", failures));
		}
	}

	private static void record(final List<String> failures, final ParityCheck.Result r) {
		System.out.println(r);
		if (!r.pass()) failures.add(r.toString());
	}

	private static float[] floats(final Path file) throws IOException {
		return Files.exists(file) ? Npy.read(file).floats() : null;
	}

	private static int[] ints(final Path file) throws IOException {
		if (!Files.exists(file)) return null;
		final long[] v = Npy.read(file).longs();
		final int[] out = new int[v.length];
		for (int i = 0; i < v.length; i++) out[i] = (int) v[i];
		return out;
	}
}
