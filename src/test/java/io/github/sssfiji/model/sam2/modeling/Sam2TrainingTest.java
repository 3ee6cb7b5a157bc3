package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.util.ProcessMemory;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.nn.Ops;

/**
 * Training readiness of the micro model: a loss on decoder outputs (the image path with every prompt
 * kind, plus a memory step through the memory encoder and memory attention) gives every parameter a
 * non-zero gradient except the tracking-only state and the PE buffer; each {@link Sam2Part} can be
 * frozen (no gradient, unchanged by an Adam step through DJL's parameter server); and 1,000
 * forward/backward/update steps keep the managed arrays constant and the resident memory flat.
 */
class Sam2TrainingTest {

	/** Read only by the tracking step (not implemented yet), so a loss of the image and memory path cannot reach them. */
	private static final Set<String> TRACKING_ONLY = Set.of("maskmem_tpos_enc", "no_mem_pos_enc", "no_obj_ptr", "obj_ptr_proj.layers.0.weight",
		"obj_ptr_proj.layers.0.bias", "obj_ptr_proj.layers.1.weight", "obj_ptr_proj.layers.1.bias", "obj_ptr_proj.layers.2.weight",
		"obj_ptr_proj.layers.2.bias", "mask_downsample.weight", "mask_downsample.bias");

	@Test
	void everyReachableParameterGetsAGradient() throws IOException {
		final Engine engine = Engines.pytorch();
		final Sam2Config config = micro(128);
		try (NDManager root = engine.newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			try (NDManager step = root.newSubManager()) {
				try (GradientCollector collector = engine.newGradientCollector()) {
					collector.backward(fullLoss(model, step, true));
				}
				final Set<String> without = new TreeSet<>();
				for (final Map.Entry<String, NDArray> e : model.tensors().entrySet()) {
					final NDArray a = e.getValue();
					if (!a.hasGradient()) {
						without.add(e.getKey());
						continue;
					}
					try (NDArray g = a.getGradient()) {
						final float[] v = g.toFloatArray();
						double norm = 0;
						for (final float x : v) {
							assertTrue(Float.isFinite(x), e.getKey());
							norm += x * x;
						}
						if (norm == 0) without.add(e.getKey());
					}
				}
				final Set<String> expected = new TreeSet<>(TRACKING_ONLY);
				expected.addAll(Sam2Part.BUFFERS);
				assertEquals(expected, without, "parameters without a gradient");
			}
		}
	}

	@Test
	void frozenPartsGetNoGradientAndStayUnchanged() throws IOException {
		final Engine engine = Engines.pytorch();
		final Sam2Config config = micro(128);
		try (NDManager root = engine.newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			// the fixture's weights: with a fresh initialisation the CXBlock layer scales (1e-6) make some gradients too small to move
			model.loadWeights(TorchCheckpoint.readStateDict(TestData.sam2Parity().resolve("weights.pt")));
			final Map<String, NDArray> all = model.tensors();
			for (final String key : all.keySet()) Sam2Part.of(key); // every parameter belongs to a part
			assertEquals(all.size() - 1, Sam2Part.trainable(model).size());
			for (final Sam2Part frozen : Sam2Part.values()) {
				for (final Sam2Part p : Sam2Part.values()) p.freeze(model, p == frozen);
				assertTrue(frozen.isFrozen(model));
				assertFalse(Sam2Part.trainable(model).keySet().stream().anyMatch(frozen::contains));
				final Map<String, float[]> before = snapshot(all);
				try (NDManager step = root.newSubManager()) {
					try (GradientCollector collector = engine.newGradientCollector()) {
						collector.backward(fullLoss(model, step, true));
					}
					for (final Map.Entry<String, NDArray> e : frozen.parameters(model).entrySet())
						assertFalse(e.getValue().hasGradient(), frozen + ": " + e.getKey() + " has a gradient");
					signStep(model, 1e-2f);
				}
				int changed = 0;
				for (final Map.Entry<String, NDArray> e : all.entrySet()) {
					final boolean same = java.util.Arrays.equals(before.get(e.getKey()), e.getValue().toFloatArray());
					if (frozen.contains(e.getKey()) || Sam2Part.BUFFERS.contains(e.getKey())) assertTrue(same, frozen + ": " + e.getKey() + " changed");
					else if (!same) changed++;
				}
				final long reachableOthers = all.keySet().stream()
					.filter(k -> !frozen.contains(k) && !Sam2Part.BUFFERS.contains(k) && !TRACKING_ONLY.contains(k)).count();
				assertEquals(reachableOthers, changed, frozen + " frozen: every other reachable parameter must move");
			}
			for (final Sam2Part p : Sam2Part.values()) p.freeze(model, false);
			assertEquals(all.size() - 1, Sam2Part.trainable(model).size());
			assertFalse(all.get(Sam2Part.BUFFERS.iterator().next()).hasGradient(), "unfreezing must not make the buffer trainable");
		}
	}

	@Test
	void thousandTrainingStepsKeepNativeMemoryFlat() throws IOException {
		final Engine engine = Engines.pytorch();
		final Sam2Config config = micro(64);
		final int steps = 1000, warmUp = 300; // RSS climbs within the first 200-600 steps (allocator caches, JIT, Java heap)
		try (NDManager root = engine.newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config);
			int arraysAfterWarmUp = 0;
			final List<Double> rss = new ArrayList<>(); // steps 299, 399, ..., 999
			final List<String> trace = new ArrayList<>();
			final long start = System.nanoTime();
			for (int i = 0; i < steps; i++) {
				try (NDManager step = root.newSubManager()) {
					try (GradientCollector collector = engine.newGradientCollector()) {
						collector.backward(imageLoss(model, step, i));
					}
					signStep(model, 1e-4f);
				}
				if (i == warmUp) arraysAfterWarmUp = ((BaseNDManager) root).getManagedArrays().size();
				if (i % 100 == 99) {
					final double now = ProcessMemory.residentMegabytes();
					trace.add(String.format(Locale.ROOT, "%.0f", now));
					if (i >= warmUp - 1) rss.add(now);
				}
			}
			final double[] increments = new double[rss.size() - 1];
			for (int k = 0; k < increments.length; k++)
				increments[k] = rss.get(k + 1) - rss.get(k);
			java.util.Arrays.sort(increments);
			final double median = increments[increments.length / 2];
			System.out.printf("%d steps in %.1f s; VmRSS every 100 steps (MB): %s; median growth per 100 steps after step %d: %.1f MB%n",
				steps, (System.nanoTime() - start) / 1e9, String.join(" ", trace), warmUp, median);
			assertEquals(arraysAfterWarmUp, ((BaseNDManager) root).getManagedArrays().size(), "arrays accumulate in the model manager");
			// A leak grows resident memory every 100 steps; the allocator settling does so in one or two jumps of up to
			// 70 MB, at any point up to step 600, and drifts by 0-2 MB per 100 steps otherwise. The median of the 7 increments
			// ignores up to 3 such jumps; a leak of 50 KB a step (5 MB per 100 steps) fails.
			assertTrue(median < 3.5, "resident memory grew by a median " + median + " MB per 100 steps: " + String.join(" ", trace));
		}
	}

	/** Decoder losses from points + box, a mask prompt, and a memory-conditioned embedding. */
	private static NDArray fullLoss(final Sam2Model model, final NDManager m, final boolean training) {
		final Sam2Config c = model.config();
		final int s = c.imageSize(), low = s / 4, d = c.dModel();
		final PromptEncoder prompts = model.promptEncoder();
		final ImageFeatures f = model.forwardImage(m.randomNormal(new Shape(1, 3, s, s)));
		final NDArray pe = prompts.densePositionEncoding(m);
		// box corners (2, 3), a positive and a negative point, and the padding point (-1)
		final NDArray coords = m.create(new float[] { 10, 12, 90, 100, 40, 50, 70, 20 }, new Shape(1, 4, 2)).mul(s / 128f);
		final NDArray labels = m.create(new float[] { 2, 3, 1, 0 }, new Shape(1, 4));
		final NDArray sparse = prompts.embedPoints(coords, labels, true);
		final MaskDecoder.Output a = model.maskDecoder().predict(f.imageEmbedding(), pe, sparse, prompts.noMaskDense(m, 1),
			f.highResS0(), f.highResS1());
		final NDArray maskPrompt = m.randomNormal(new Shape(1, 1, low, low));
		final MaskDecoder.Output b = model.maskDecoder().predict(f.imageEmbedding(), pe, sparse.get(":, 2:, :"),
			prompts.embedMask(maskPrompt), f.highResS0(), f.highResS1());
		// memory: encode this frame with a mask, then condition the same frame's features on it
		final int level = c.stages().length - 1 - c.scalp();
		final NDArray vision = f.neckLevel(level), visionPos = f.neckPosition(level);
		final long h = vision.getShape().get(2), w = vision.getShape().get(3);
		final NDList memory = model.memoryEncoder().encode(vision, m.randomNormal(new Shape(1, 1, s, s)).mul(10f));
		final NDArray mem = memory.get(0).reshape(1, c.memDim(), -1).transpose(0, 2, 1);
		final NDArray memPos = memory.get(1).reshape(1, c.memDim(), -1).transpose(0, 2, 1);
		final NDArray curr = vision.reshape(1, d, -1).transpose(0, 2, 1);
		final NDArray currPos = visionPos.reshape(1, d, -1).transpose(0, 2, 1);
		final NDArray conditioned = model.memoryAttention().forward(curr, currPos, mem, memPos, 0, training).transpose(0, 2, 1)
			.reshape(1, d, h, w);
		final MaskDecoder.Output t = model.maskDecoder().predict(conditioned, pe, sparse, prompts.noMaskDense(m, 1),
			f.highResS0(), f.highResS1());
		NDArray loss = m.zeros(new Shape());
		for (final MaskDecoder.Output o : new MaskDecoder.Output[] { a, b, t })
			loss = loss.add(o.allMasks.square().mean()).add(o.allIou.sum()).add(o.objectScoreLogits.sum()).add(o.allMaskTokens.square().mean());
		return loss;
	}

	/** The image path only (one point, no mask): the loop of the memory test. */
	private static NDArray imageLoss(final Sam2Model model, final NDManager m, final int i) {
		final int s = model.config().imageSize();
		final PromptEncoder prompts = model.promptEncoder();
		final ImageFeatures f = model.forwardImage(m.randomNormal(new Shape(1, 3, s, s)));
		final NDArray sparse = prompts.embedPoints(m.create(new float[] { (i * 7) % s, (i * 13) % s }, new Shape(1, 1, 2)),
			m.create(new float[] { 1 }, new Shape(1, 1)), true);
		final MaskDecoder.Output o = model.maskDecoder().predict(f.imageEmbedding(), prompts.densePositionEncoding(m), sparse,
			prompts.noMaskDense(m, 1), f.highResS0(), f.highResS1());
		return o.allMasks.get(":, 1:2, :, :").getNDArrayInternal().sigmoid().mean().add(Ops.mul(o.allIou.sum(), 0.1f));
	}

	/** The fixture's micro configuration at another image size. */
	private static Sam2Config micro(final int imageSize) throws IOException {
		final JsonObject json = Sam2Config.parse(TestData.sam2Parity().resolve("config.json")).toJson();
		json.getAsJsonObject("model").addProperty("image_size", imageSize);
		return Sam2Config.fromJson("micro-" + imageSize, json);
	}

	/**
	 * An optimiser step on the trainable tensors, in place: {@code p -= lr * sign(grad)} (Adam's
	 * first step), so every parameter with a non-zero gradient moves. The temporaries are closed at
	 * once: a gradient and its results live in the model's manager.
	 */
	private static void signStep(final Sam2Model model, final float lr) {
		for (final NDArray p : Sam2Part.trainable(model).values())
			try (NDArray g = p.getGradient(); NDArray sign = g.sign(); NDArray update = sign.mul(lr)) {
				p.subi(update);
			}
	}

	private static Map<String, float[]> snapshot(final Map<String, NDArray> params) {
		final Map<String, float[]> out = new HashMap<>();
		for (final Map.Entry<String, NDArray> e : params.entrySet()) out.put(e.getKey(), e.getValue().toFloatArray());
		return out;
	}
}
