package io.github.sssfiji.sss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.modeling.ImageFeatures;
import io.github.sssfiji.model.sam2.predictor.Sam2Tracker;
import io.github.sssfiji.model.sam2.predictor.Sam2TrackingConfig;
import io.github.sssfiji.model.sam2.predictor.TrackedFrame;
import io.github.sssfiji.model.sam2.predictor.TrackingPrompt;
import io.github.sssfiji.sss.loss.CeDiceLoss;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.modelfile.TensorArchive;

/**
 * Sequence decoding of the SAM-2 backbone with memory (micro configuration, 64 x 64): agreement with
 * the 2-D decoder on the first slice, information flow through the memory, agreement with SAM-2's
 * video tracking step ({@link Sam2Tracker}), gradients into the memory modules, model files with and
 * without memory.
 */
class Sam2NetworkSequenceTest {

	private static final int SIZE = 64, CLASSES = 3;
	private static final float[] MEAN = { 0.485f, 0.456f, 0.406f }, STD = { 0.229f, 0.224f, 0.225f };

	@TempDir
	Path temp;

	/** {@code count} uniform-noise slices of SIZE x SIZE, from {@code seed} (also the memory bank's test input). */
	static float[] noise(final int count, final long seed) {
		final Random random = new Random(seed);
		final float[] values = new float[count * SIZE * SIZE];
		for (int i = 0; i < values.length; i++)
			values[i] = random.nextFloat();
		return values;
	}

	/** The parity fixture's weights (PyTorch's initialisation of the micro model), whose logits have a useful range. */
	private static Sam2Network fixtureWeights(final Sam2Network net) throws IOException {
		net.model().loadWeights(TorchCheckpoint.readStateDict(TestData.sam2Parity().resolve("weights.pt")));
		return net;
	}

	private static NDList rows(final NDList features, final int from, final int to) {
		final NDList out = new NDList();
		for (final NDArray level : features)
			out.add(level.get(new NDIndex(from + ":" + to)));
		return out;
	}

	private static float maxAbs(final NDArray a, final NDArray b) {
		return a.sub(b).abs().max().getFloat();
	}

	@Test
	void oneSliceEqualsDecodeAndLaterSlicesUseTheMemory() throws IOException {
		try (NDManager root = Engines.pytorch().newBaseManager();
			Sam2Network net = fixtureWeights(Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, true, root, 11));
			NDManager step = root.newSubManager();
			Engines.NoGrad noGrad = Engines.noGrad())
		{
			assertTrue(net.hasMemory());
			final float[] images = noise(4, 1);
			final NDList features = net.encode(step.create(images, new Shape(4, 1, SIZE, SIZE)), false);
			final NDList first = rows(features, 0, 1);
			assertArrayEquals(net.decode(first, false).toFloatArray(), net.decodeSequence(first, null, false).toFloatArray(), 0f);

			final NDArray sequence = net.decodeSequence(features, null, false);
			assertEquals(new Shape(4, CLASSES, SIZE, SIZE), sequence.getShape());
			final NDArray flat = net.decode(features, false);
			assertTrue(maxAbs(sequence.get(new NDIndex("0:1")), net.decode(first, false)) < 1e-5f, "slice 0 is decoded without memory");
			for (int t = 1; t < 4; t++)
				assertTrue(maxAbs(sequence.get(new NDIndex(t + ":" + (t + 1))), flat.get(new NDIndex(t + ":" + (t + 1)))) > 1e-3f,
					"slice " + t + " reads the memory");
			assertEquals(0f, sequence.get(new NDIndex(":, 0")).abs().max().getFloat(), "background logit 0");

			// slice 0's image reaches slice 2 only through the memory
			final float[] changed = images.clone();
			for (int i = 0; i < SIZE * SIZE; i++)
				changed[i] = 1 - changed[i];
			final NDArray other = net.decodeSequence(net.encode(step.create(changed, new Shape(4, 1, SIZE, SIZE)), false), null, false);
			assertTrue(maxAbs(other.get(new NDIndex("2:3")), sequence.get(new NDIndex("2:3"))) > 1e-4f);
			assertTrue(maxAbs(other.get(new NDIndex("3:4")), sequence.get(new NDIndex("3:4"))) > 1e-4f);

			// two runs batched give what each run gives alone
			final NDArray runs = net.decodeSequences(features, 2, null, false);
			final float second = maxAbs(runs.get(new NDIndex("2:4")), net.decodeSequence(rows(features, 2, 4), null, false));
			final float firstRun = maxAbs(runs.get(new NDIndex("0:2")), net.decodeSequence(rows(features, 0, 2), null, false));
			assertTrue(firstRun < 1e-4f && second < 1e-4f, firstRun + ", " + second);
			assertThrows(IllegalArgumentException.class, () -> net.decodeSequences(features, 3, null, false));
		}
	}

	@Test
	void promptedSlicesConditionTheRestOfTheRunAndStreamsMayDiffer() throws IOException {
		try (NDManager root = Engines.pytorch().newBaseManager();
			Sam2Network net = fixtureWeights(Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, true, root, 12));
			NDManager step = root.newSubManager();
			Engines.NoGrad noGrad = Engines.noGrad())
		{
			final int frames = 10;
			final NDList features = net.encode(step.create(noise(frames, 2), new Shape(frames, 1, SIZE, SIZE)), false);
			// class 1 prompted on slice 1 only, class 2 on none: the two streams select different memories
			final int[] labels = new int[frames * SIZE * SIZE];
			for (int y = 10; y < 30; y++)
				for (int x = 20; x < 40; x++)
					labels[SIZE * SIZE + y * SIZE + x] = 1;
			final SlicePrompts prompts = SlicePrompts.fromLabels(labels, null, frames, SIZE, CLASSES);
			final NDArray with = net.decodeSequence(features, prompts, false);
			final NDArray without = net.decodeSequence(features, null, false);
			// slice 9 is beyond the 6-slice window of slice 1, which conditions it as a prompted slice
			assertTrue(maxAbs(with.get(new NDIndex("9:10, 1")), without.get(new NDIndex("9:10, 1"))) > 1e-4f);
			// class 2 never had a prompt, but its stream went through a different batch: same values
			assertTrue(maxAbs(with.get(new NDIndex(":, 2")), without.get(new NDIndex(":, 2"))) < 1e-5f);
		}
	}

	/**
	 * With one class whose class token is replaced by the tracker's prompt tokens, each slice's
	 * logits equal the high-resolution masks of SAM-2's tracking step run with the same semantics
	 * (no object pointers, no object-score gate, single-mask output, sigmoid memory masks): the
	 * prompted slice 0 is a conditioning frame, later slices read it and the previous 6.
	 */
	@Test
	void matchesTheVideoTrackingStep() throws IOException {
		final int frames = 9;
		final Path trackingFile = temp.resolve("config.json");
		Files.writeString(trackingFile, "{\"model\": {\"use_obj_ptrs_in_encoder\": false, \"pred_obj_scores\": false, " +
			"\"multimask_output_in_sam\": false, \"binarize_mask_from_pts_for_mem_enc\": false}}");
		try (NDManager root = Engines.pytorch().newBaseManager();
			Sam2Network net = fixtureWeights(Sam2Network.create(Sam2Network.MICRO, 2, SIZE, null, true, root, 13));
			NDManager step = root.newSubManager();
			Engines.NoGrad noGrad = Engines.noGrad())
		{
			final Sam2TrackingConfig tracking = Sam2TrackingConfig.parse(trackingFile, net.config());
			final NDArray x = step.create(noise(frames, 3), new Shape(frames, 1, SIZE, SIZE));
			final NDArray normalised = x.sub(step.create(MEAN, new Shape(1, 3, 1, 1))).div(step.create(STD, new Shape(1, 3, 1, 1)));
			final int[] labels = new int[frames * SIZE * SIZE];
			for (int y = 12; y <= 40; y++)
				for (int xx = 10; xx <= 30; xx++)
					labels[y * SIZE + xx] = 1;
			final SlicePrompts prompts = SlicePrompts.fromLabels(labels, null, frames, SIZE, 2);
			final int[] box = prompts.box(0, 1), click = prompts.click(0, 1);
			final float[] coords = { box[0], box[1], box[2], box[3], click[0], click[1] };
			final Sam2Network.SparseTokens trackerTokens = (frame, p, runs, owner, training) -> frame == 0
				? net.model().promptEncoder().embedPoints(owner.create(coords, new Shape(1, 3, 2)), owner.create(new float[] { 2, 3, 1 },
					new Shape(1, 3)), true)
				: net.model().promptEncoder().embedPoints(owner.zeros(new Shape(1, 1, 2)), owner.create(new float[] { -1 }, new Shape(1, 1)), true);
			final NDList features = net.encode(x, false);
			final Sam2Network.Sequence sequence = net.new Sequence(1, frames, trackerTokens);
			try (Sam2Tracker tracker = new Sam2Tracker(net.model(), tracking, root, frames, false)) {
				for (int t = 0; t < frames; t++) {
					final ImageFeatures image = net.model().forwardImage(normalised.get(new NDIndex(t + ":" + (t + 1))));
					final TrackingPrompt prompt = t == 0 ? TrackingPrompt.boxAndPoints(new float[] { box[0], box[1], box[2], box[3] },
						new float[] { click[0], click[1] }, new int[] { 1 }) : null;
					try (TrackedFrame reference = tracker.track(image, prompt)) {
						final NDArray logits = sequence.next(rows(features, t, t + 1), prompts.select(t), false).get(new NDIndex(":, 1"));
						final float[] expected = reference.highResMasks().toFloatArray(), actual = logits.toFloatArray();
						float scale = 0, error = 0;
						for (int i = 0; i < expected.length; i++) {
							scale = Math.max(scale, Math.abs(expected[i]));
							error = Math.max(error, Math.abs(expected[i] - actual[i]));
						}
						assertTrue(scale > 0.01f, "slice " + t + " has non-trivial logits");
						assertTrue(error <= 1e-4f * Math.max(1, scale), "slice " + t + ": max error " + error + " (logits up to " + scale + ")");
					}
				}
			}
			sequence.close();
		}
	}

	@Test
	void gradientsReachTheMemoryModulesAndModelFilesKeepThem() throws IOException {
		final Engine engine = Engines.pytorch();
		final Path file = temp.resolve("memory.sss");
		final float[] images = noise(3, 4);
		final float[] before;
		try (NDManager root = engine.newBaseManager();
			Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, true, root, 14);
			NDManager step = root.newSubManager())
		{
			for (final String key : List.of("maskmem_tpos_enc", "memory_attention.layers.0.cross_attn_image.k_proj.weight",
				"memory_encoder.pix_feat_proj.weight", "memory_encoder.mask_downsampler.encoder.0.weight"))
				assertTrue(net.state().parameters().containsKey(key), key);
			final int[] labels = new int[3 * SIZE * SIZE];
			for (int i = 0; i < labels.length; i++)
				labels[i] = i % SIZE < 20 ? 0 : 1 + i / SIZE % 2;
			net.state().zeroGradients();
			try (GradientCollector collector = engine.newGradientCollector()) {
				final NDList features = net.encode(step.create(images, new Shape(3, 1, SIZE, SIZE)), true);
				final NDArray logits = net.decodeSequence(features, SlicePrompts.fromLabels(labels, null, 3, SIZE, CLASSES), true);
				collector.backward(CeDiceLoss.of(logits, step.create(labels, new Shape(3, SIZE, SIZE))));
			}
			for (final String key : List.of("maskmem_tpos_enc", "memory_attention.layers.0.cross_attn_image.k_proj.weight",
				"memory_attention.layers.3.linear2.weight", "memory_encoder.pix_feat_proj.weight", "memory_encoder.mask_downsampler.encoder.0.weight",
				"memory_encoder.out_proj.weight"))
				assertTrue(net.state().parameters().get(key).getGradient().abs().sum().getFloat() > 0, key + " gets a gradient");
			try (Engines.NoGrad noGrad = Engines.noGrad()) {
				before = net.decodeSequence(net.encode(step.create(images, new Shape(3, 1, SIZE, SIZE)), false), null, false).toFloatArray();
			}
			SssModel.write(file, net, List.of("bg", "a", "b"), SIZE, null);
		}
		try (SssModel model = SssModel.load(file, Device.cpu()); NDManager step = engine.newBaseManager(); Engines.NoGrad noGrad = Engines.noGrad()) {
			final Sam2Network loaded = (Sam2Network) model.network();
			assertTrue(loaded.hasMemory());
			assertTrue(model.meta().getAsJsonObject("architecture").get(Sam2Network.MEMORY).getAsBoolean());
			final float[] after = loaded.decodeSequence(loaded.encode(step.create(images, new Shape(3, 1, SIZE, SIZE)), false), null, false)
				.toFloatArray();
			assertArrayEquals(before, after, 0f);
		}
	}

	@Test
	void aModelFileWithoutMemoryLoadsAsTwoDimensional() throws IOException {
		final Path file = temp.resolve("old.sss");
		final float[] images = noise(3, 5);
		final float[] before;
		try (NDManager root = Engines.pytorch().newBaseManager();
			Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, root, 15);
			NDManager step = root.newSubManager();
			Engines.NoGrad noGrad = Engines.noGrad())
		{
			assertFalse(net.hasMemory());
			assertFalse(net.state().parameters().keySet().stream().anyMatch(k -> k.startsWith("memory_") || k.equals("maskmem_tpos_enc")));
			before = net.decode(net.encode(step.create(images, new Shape(3, 1, SIZE, SIZE)), false), false).toFloatArray();
			// the meta.json of a file written before sequence decoding: no "memory" in the architecture
			final JsonObject architecture = net.architecture();
			architecture.remove(Sam2Network.MEMORY);
			final JsonObject meta = new JsonObject();
			meta.addProperty("format", SssModel.FORMAT);
			meta.addProperty("version", SssModel.VERSION);
			meta.addProperty("backbone", net.kind());
			meta.add("architecture", architecture);
			final com.google.gson.JsonArray names = new com.google.gson.JsonArray();
			List.of("bg", "a", "b").forEach(names::add);
			meta.add("classNames", names);
			meta.addProperty("inputSize", SIZE);
			meta.addProperty("normalisation", SssModel.NORMALISATION);
			try (OutputStream out = Files.newOutputStream(file)) {
				new TensorArchive.Writer(meta).add("", net.state()).writeTo(out);
			}
		}
		try (SssModel model = SssModel.load(file, Device.cpu()); NDManager step = Engines.pytorch().newBaseManager(); Engines.NoGrad noGrad = Engines.noGrad()) {
			final Network loaded = model.network();
			assertFalse(loaded.hasMemory());
			final NDList features = loaded.encode(step.create(images, new Shape(3, 1, SIZE, SIZE)), false);
			assertArrayEquals(before, loaded.decode(features, false).toFloatArray(), 0f);
			// without memory a sequence is decoded slice by slice
			assertArrayEquals(before, loaded.decodeSequences(features, 3, null, false).toFloatArray(), 0f);
		}
	}

	@Test
	void aBadMemoryFlagIsRefused() {
		final JsonObject architecture = new JsonObject();
		architecture.addProperty("classes", 2);
		architecture.addProperty("imageSize", SIZE);
		architecture.addProperty(Sam2Network.MEMORY, "yes");
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> Sam2Network.create(Sam2Network.MICRO, architecture, root, 0, "m.sss"));
			assertTrue(e.getMessage().contains("'memory'") && e.getMessage().contains("m.sss"), e.getMessage());
		}
	}
}
