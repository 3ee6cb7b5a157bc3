package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.parity.ParityCheck;
import io.github.sssfiji.model.sam2.predictor.Sam2Postprocess;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.nn.Resize;

/**
 * The memory encoder on the recorded video inputs, as {@code SAM2Base._encode_new_memory} feeds it:
 * frame 0 with the binarised mask (+10 / -10), frames 1 and 2 with
 * {@code sigmoid(bilinear x4 of pred_masks) * 20 - 10}; abs 1e-4 + rel 1e-3.
 */
class MemoryEncoderParityTest {

	@Test
	void memoryFeaturesOfAllThreeFramesMatch() throws IOException {
		final Path dir = TestData.sam2Parity();
		final Path video = dir.resolve("video");
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final int s = config.imageSize();
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			final List<String> failures = new ArrayList<>();
			for (int frame = 0; frame < 3; frame++) {
				try (NDManager step = root.newSubManager()) {
					final NDArray pix = Npy.read(video.resolve("frame" + frame + "_vision_feat.npy")).toNDArray(step);
					final NDArray mask;
					if (frame == 0) {
						final long[] packed = Npy.read(video.resolve("frame0_mem_enc_mask_positive.npy")).longs();
						final float[] values = new float[s * s];
						for (int i = 0; i < values.length; i++) values[i] = ((packed[i >> 3] >> (7 - (i & 7))) & 1) == 1 ? 10f : -10f;
						mask = step.create(values, new Shape(1, 1, s, s));
					}
					else {
						final float[] low = Npy.read(video.resolve("frame" + frame + "_pred_masks.npy")).floats();
						final float[] high = Resize.bilinear(low, 1, s / 4, s / 4, s, s, false);
						mask = step.create(high, new Shape(1, 1, s, s)).getNDArrayInternal().sigmoid().mul(20f).add(-10f);
					}
					final NDList out = model.memoryEncoder().encode(pix, mask);
					record(failures, ParityCheck.compare("video/frame" + frame + "_maskmem_features.npy", out.get(0),
						Npy.read(video.resolve("frame" + frame + "_maskmem_features.npy")), 1e-4, 1e-3));
					if (frame == 0)
						record(failures, ParityCheck.compare("video/maskmem_pos_enc.npy", out.get(1), Npy.read(video.resolve("maskmem_pos_enc.npy")),
							1e-4, 1e-3));
				}
			}
			assertTrue(failures.isEmpty(), String.join("\n", failures));
		}
	}

	private static void record(final List<String> failures, final ParityCheck.Result r) {
		System.out.println(r);
		if (!r.pass()) failures.add(r.toString());
	}
}
