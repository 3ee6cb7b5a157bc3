package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.parity.ParityCheck;
import io.github.sssfiji.nn.ModelState;

/**
 * The mask decoder on the fixture's recorded inputs (image embedding, dense PE, high-res features,
 * prompt embeddings of each case): raw outputs of all tokens, and the multimask and single-mask
 * (stability fallback) selections, within abs 1e-4 + rel 1e-3.
 */
class MaskDecoderParityTest {

	@Test
	void everyDecoderOutputMatches() throws IOException {
		final Path dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final List<Path> cases;
		try (Stream<Path> s = Files.list(dir.resolve("prompts"))) {
			cases = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
		}
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			final List<String> failures = new ArrayList<>();
			int compared = 0;
			for (final Path c : cases) {
				try (NDManager step = root.newSubManager()) {
					final NDArray embed = load(step, dir.resolve("encoder/image_embed.npy"));
					final NDArray pe = load(step, dir.resolve("prompts/image_pe.npy"));
					final NDArray s0 = load(step, dir.resolve("encoder/feat_s0.npy"));
					final NDArray s1 = load(step, dir.resolve("encoder/feat_s1.npy"));
					final NDArray sparse = load(step, c.resolve("sparse_embeddings.npy"));
					final Path densePath = Files.exists(c.resolve("dense_embeddings.npy")) ? c.resolve("dense_embeddings.npy")
						: dir.resolve("prompts/dense_embeddings_nomask.npy");
					final NDArray dense = load(step, densePath);
					final MaskDecoder.Output out = model.maskDecoder().predict(embed, pe, sparse, dense, s0, s1);
					final String name = "prompts/" + c.getFileName() + "/";
					compared += check(failures, name + "decoder_token0_mask.npy", out.allMasks.get(":, 0:1, :, :"), c);
					compared += check(failures, name + "decoder_all_iou.npy", out.allIou, c);
					compared += check(failures, name + "decoder_all_mask_tokens.npy", out.allMaskTokens, c);
					for (final boolean multi : new boolean[] { true, false }) {
						final NDList sel = out.select(multi, true, 0.05f, 0.98f, true);
						final String sub = multi ? "multi/" : "single/";
						compared += check(failures, name + sub + "low_res_masks.npy", sel.get(0), c);
						compared += check(failures, name + sub + "iou_predictions.npy", sel.get(1), c);
						compared += check(failures, name + sub + "sam_output_tokens.npy", sel.get(2), c);
						compared += check(failures, name + sub + "object_score_logits.npy", out.objectScoreLogits, c);
					}
				}
			}
			assertEquals(6 * 11, compared);
			assertTrue(failures.isEmpty(), String.join("\n", failures));
		}
	}

	private static NDArray load(final NDManager m, final Path file) throws IOException {
		return Npy.read(file).toNDArray(m);
	}

	private static int check(final List<String> failures, final String name, final NDArray actual, final Path caseDir) throws IOException {
		final String relative = name.substring(name.indexOf('/', "prompts/".length()) + 1);
		final TensorData expected = Npy.read(caseDir.resolve(relative));
		final ParityCheck.Result r = ParityCheck.compare(name, actual, expected, 1e-4, 1e-3);
		System.out.println(r);
		if (!r.pass()) failures.add(r.toString());
		return 1;
	}
}
