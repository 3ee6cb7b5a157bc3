package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.parity.ParityCheck;
import io.github.sssfiji.nn.ModelState;

/**
 * The prompt encoder against the fixture: sparse embeddings of every prompt case, dense embeddings of
 * the mask prompts and of "no mask", and the dense position encoding, within abs 1e-4 + rel 1e-3.
 */
class PromptEncoderParityTest {

	@Test
	void everyPromptEmbeddingMatches() throws IOException {
		final Path dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final Path prompts = dir.resolve("prompts");
		final List<Path> cases;
		try (Stream<Path> s = Files.list(prompts)) {
			cases = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
		}
		assertEquals(6, cases.size());
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			final PromptEncoder encoder = model.promptEncoder();
			final List<String> failures = new ArrayList<>();
			int compared = 0;
			try (NDManager step = root.newSubManager()) {
				compared += check(failures, "prompts/image_pe.npy", encoder.densePositionEncoding(step), prompts.resolve("image_pe.npy"));
				compared += check(failures, "prompts/dense_embeddings_nomask.npy", encoder.noMaskDense(step, 1),
					prompts.resolve("dense_embeddings_nomask.npy"));
				for (final Path c : cases) {
					final String name = "prompts/" + c.getFileName();
					if (Files.exists(c.resolve("pe_point_coords.npy"))) {
						final NDArray coords = Npy.read(c.resolve("pe_point_coords.npy")).toNDArray(step);
						final NDArray labels = Npy.read(c.resolve("pe_point_labels.npy")).toNDArray(step);
						compared += check(failures, name + "/sparse_embeddings.npy", encoder.embedPoints(coords, labels, true),
							c.resolve("sparse_embeddings.npy"));
					}
					else {
						// no points and no box: the official sparse output is empty
						assertArrayEquals(new long[] { 1, 0, config.dModel() }, Npy.read(c.resolve("sparse_embeddings.npy")).shape());
					}
					if (Files.exists(c.resolve("pe_mask.npy"))) {
						final NDArray mask = Npy.read(c.resolve("pe_mask.npy")).toNDArray(step);
						compared += check(failures, name + "/dense_embeddings.npy", encoder.embedMask(mask),
							c.resolve("dense_embeddings.npy"));
					}
				}
			}
			assertEquals(9, compared, "2 global outputs, 5 point cases, 2 mask cases");
			assertTrue(failures.isEmpty(), String.join("\n", failures));
		}
	}

	private static int check(final List<String> failures, final String name, final NDArray actual, final Path reference)
		throws IOException
	{
		final TensorData expected = Npy.read(reference);
		final ParityCheck.Result r = ParityCheck.compare(name, actual, expected, 1e-4, 1e-3);
		System.out.println(r);
		if (!r.pass()) failures.add(r.toString());
		return 1;
	}
}
