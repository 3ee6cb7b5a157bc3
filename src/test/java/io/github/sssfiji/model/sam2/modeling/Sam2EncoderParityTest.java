package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

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
 * The image path against the official SAM 2 outputs of the parity fixture: every {@code encoder/}
 * file listed in manifest.json within abs 1e-4 + rel 1e-3.
 */
class Sam2EncoderParityTest {

	@Test
	void everyEncoderOutputOfTheManifestMatches() throws IOException {
		final Path dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final List<String> encoderFiles = new ArrayList<>();
		try (Reader r = Files.newBufferedReader(dir.resolve("manifest.json"))) {
			for (final JsonElement f : JsonParser.parseReader(r).getAsJsonObject().getAsJsonArray("files")) {
				final String file = f.getAsJsonObject().get("file").getAsString();
				if (file.startsWith("encoder/")) encoderFiles.add(file);
			}
		}
		assertEquals(14, encoderFiles.size(), "manifest lists " + encoderFiles);
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			try (NDManager step = root.newSubManager()) {
				final NDArray image = Npy.read(dir.resolve("image/image_norm.npy")).toNDArray(step);
				final ImageFeatures features = model.forwardImage(image);
				final Map<String, NDArray> outputs = new LinkedHashMap<>();
				for (int s = 0; s < 4; s++) {
					outputs.put("encoder/trunk_stage" + s + ".npy", features.trunkStage(s));
					outputs.put("encoder/neck_fpn" + s + ".npy", features.neckLevel(s));
					outputs.put("encoder/neck_pos" + s + ".npy", features.neckPosition(s));
				}
				outputs.put("encoder/feat_s0.npy", features.highResS0());
				outputs.put("encoder/feat_s1.npy", features.highResS1());
				outputs.put("encoder/image_embed.npy", features.imageEmbedding());
				final List<String> failures = new ArrayList<>();
				for (final String file : encoderFiles) {
					final NDArray actual = outputs.get(file);
					if (actual == null) fail("no output mapped to manifest entry " + file);
					final TensorData expected = Npy.read(dir.resolve(file));
					final ParityCheck.Result result = ParityCheck.compare(file, actual, expected, 1e-4, 1e-3);
					System.out.println(result);
					if (!result.pass()) failures.add(result.toString());
				}
				assertTrue(failures.isEmpty(), String.join("\n", failures));
			}
		}
	}
}
