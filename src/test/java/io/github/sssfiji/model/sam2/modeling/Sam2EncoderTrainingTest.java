package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.nn.ModelState;

/**
 * The image path is trainable (gradients reach the position embeddings, attention, patch embedding
 * and neck) and a forward step leaves no array behind in the model's manager. A 128x128 input keeps
 * it fast; the trunk accepts any size whose stride-4 grid is a multiple of the window embedding.
 */
class Sam2EncoderTrainingTest {

	@Test
	void gradientsFlowAndStepsDoNotLeakIntoTheModelManager() throws IOException {
		final Engine engine = Engines.pytorch();
		final Sam2Config config = Sam2Config.parse(TestData.sam2Parity().resolve("config.json"));
		try (NDManager root = engine.newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			final int before = ((BaseNDManager) root).getManagedArrays().size();
			for (int step = 0; step < 2; step++) {
				try (NDManager sub = root.newSubManager()) {
					final NDArray image = sub.randomNormal(new Shape(1, 3, 128, 128));
					try (GradientCollector collector = engine.newGradientCollector()) {
						final ImageFeatures f = model.forwardImage(image);
						final NDArray loss = f.imageEmbedding().square().sum().add(f.highResS0().square().sum())
							.add(f.highResS1().square().sum());
						collector.backward(loss);
					}
					final Map<String, NDArray> params = model.tensors();
					for (final String name : new String[] { "image_encoder.trunk.pos_embed", "image_encoder.trunk.pos_embed_window",
						"image_encoder.trunk.patch_embed.proj.weight", "image_encoder.trunk.blocks.0.attn.qkv.weight",
						"image_encoder.trunk.blocks.10.proj.weight", "image_encoder.neck.convs.1.conv.weight", "no_mem_embed" }) {
						try (NDArray g = params.get(name).getGradient()) {
							final float[] values = g.toFloatArray();
							double norm = 0;
							for (final float v : values) {
								assertTrue(Float.isFinite(v), name);
								norm += v * v;
							}
							assertTrue(norm > 0, "no gradient reached " + name);
						}
					}
				}
				assertEquals(before, ((BaseNDManager) root).getManagedArrays().size(), "arrays left in the model manager after step " + step);
			}
		}
	}
}
