package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.parity.ParityCheck;
import io.github.sssfiji.nn.ModelState;

/**
 * Memory attention on the recorded inputs of video frames 1 (one memory frame + 4 pointer tokens)
 * and 2 (two memory frames, RoPE repeated, + 8 pointer tokens) against {@code pix_feat_with_mem};
 * abs 1e-4 + rel 1e-3.
 */
class MemoryAttentionParityTest {

	@Test
	void conditionedFeaturesOfFramesOneAndTwoMatch() throws IOException {
		final Path dir = TestData.sam2Parity();
		final Path video = dir.resolve("video");
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			final List<String> failures = new ArrayList<>();
			for (int frame = 1; frame <= 2; frame++) {
				try (NDManager step = root.newSubManager()) {
					final NDArray vision = Npy.read(video.resolve("frame" + frame + "_vision_feat.npy")).toNDArray(step);
					final NDArray pos = Npy.read(dir.resolve("encoder/neck_pos2.npy")).toNDArray(step);
					final long d = vision.getShape().get(1);
					final NDArray curr = vision.reshape(1, d, -1).transpose(0, 2, 1);
					final NDArray currPos = pos.reshape(1, d, -1).transpose(0, 2, 1);
					final NDArray memory = Npy.read(video.resolve("frame" + frame + "_memattn_memory.npy")).toNDArray(step).transpose(1, 0, 2);
					final NDArray memoryPos = Npy.read(video.resolve("frame" + frame + "_memattn_memory_pos.npy")).toNDArray(step)
						.transpose(1, 0, 2);
					final NDArray out = model.memoryAttention().forward(curr, currPos, memory, memoryPos, 4 * frame, false);
					final NDArray image = out.transpose(0, 2, 1).reshape(vision.getShape());
					final ParityCheck.Result r = ParityCheck.compare("video/frame" + frame + "_pix_feat_with_mem.npy", image,
						Npy.read(video.resolve("frame" + frame + "_pix_feat_with_mem.npy")), 1e-4, 1e-3);
					System.out.println(r);
					if (!r.pass()) failures.add(r.toString());
				}
			}
			assertTrue(failures.isEmpty(), String.join("\n", failures));
		}
	}
}
