package io.github.sssfiji.model.sam2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TorchCheckpoint;

/**
 * The 3-frame {@code SAM2Base.track_step} sequence of the fixture, run end to end by
 * {@link Sam2Tracker} from the uint8 frames and the frame-0 box: every output of {@code video/}
 * (float32 memory bank; abs 1e-4 + rel 1e-3) and of {@code video_bf16mem/} (memory stored as
 * bfloat16; abs 1e-3 + rel 1e-2, the fixture README's tolerance for that variant). The binarised
 * memory-encoder mask of frame 0 may differ only where the high-res logit is within 1e-3 of 0.
 */
class Sam2TrackingParityTest {

	private static final double ABS = 1e-4, REL = 1e-3, BF16_ABS = 1e-3, BF16_REL = 1e-2;

	private static Path dir;
	private static NDManager root;
	private static Sam2Model model;
	private static Sam2TrackingConfig tracking;
	private static ParameterStore store;

	@BeforeAll
	static void loadModel() throws IOException {
		dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		tracking = Sam2TrackingConfig.parse(dir.resolve("config.json"), config);
		root = Engines.pytorch().newBaseManager();
		model = new Sam2Model(config);
		model.initialize(root, DataType.FLOAT32, new Shape(1, 3, 256, 256));
		model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
		store = new ParameterStore(root, false);
	}

	@AfterAll
	static void closeModel() {
		root.close();
	}

	@Test
	void float32MemoryMatchesEveryVideoOutput() throws IOException {
		final Path video = dir.resolve("video");
		final List<String> failures = new ArrayList<>();
		try (Sam2Tracker tracker = new Sam2Tracker(model, tracking, store, root, 3, false)) {
			for (int t = 0; t < 3; t++) {
				final String p = "video/frame" + t + "_";
				try (NDManager encoder = root.newSubManager()) {
					final ImageFeatures features = model.forwardImage(store, image(encoder, video.resolve("frame" + t + "_image_u8.npy")), false);
					check(failures, p + "vision_feat.npy", features.neckLevel(2), ABS, REL);
					try (TrackedFrame f = tracker.track(features, t == 0 ? boxPrompt(video) : null)) {
						if (t == 0) {
							check(failures, "video/maskmem_pos_enc.npy", f.maskmemPosEnc(), ABS, REL);
							checkBinarisedMask(failures, f);
						}
						else {
							check(failures, p + "memattn_memory.npy", f.memory().transpose(1, 0, 2), ABS, REL);
							check(failures, p + "memattn_memory_pos.npy", f.memoryPos().transpose(1, 0, 2), ABS, REL);
							assertEquals(4 * t, f.numObjPtrTokens(), "pointer tokens of frame " + t);
						}
						checkFrame(failures, p, f, ABS, REL);
						assertEquals(t == 0 ? -1 : 1, f.bestMaskIndex(), "chosen mask of frame " + t + " (fixture README table)");
					}
				}
			}
		}
		assertTrue(failures.isEmpty(), String.join("\n", failures));
	}

	@Test
	void bf16MemoryMatchesTheVideoPredictorVariant() throws IOException {
		final Path video = dir.resolve("video");
		final List<String> failures = new ArrayList<>();
		try (Sam2Tracker tracker = new Sam2Tracker(model, tracking, store, root, 3, true)) {
			for (int t = 0; t < 3; t++) {
				final String p = "video_bf16mem/frame" + t + "_";
				final byte[] pixels = Npy.read(video.resolve("frame" + t + "_image_u8.npy")).bytes();
				try (TrackedFrame f = tracker.track(pixels, 256, 256, 1, t == 0 ? boxPrompt(video) : null)) {
					check(failures, p + "maskmem_features_bf16.npy", f.storedMaskmemFeatures(), BF16_ABS, BF16_REL);
					checkBf16Steps(failures, p + "maskmem_features_bf16.npy", f.storedMaskmemFeatures());
					if (t == 0) continue; // frame 0 has no memory input: its other outputs are those of video/
					check(failures, p + "memattn_memory.npy", f.memory().transpose(1, 0, 2), BF16_ABS, BF16_REL);
					check(failures, p + "memattn_memory_pos.npy", f.memoryPos().transpose(1, 0, 2), BF16_ABS, BF16_REL);
					checkFrame(failures, p, f, BF16_ABS, BF16_REL);
				}
			}
		}
		assertTrue(failures.isEmpty(), String.join("\n", failures));
	}

	private static void checkFrame(final List<String> failures, final String p, final TrackedFrame f, final double abs, final double rel)
		throws IOException
	{
		check(failures, p + "pix_feat_with_mem.npy", f.pixFeatWithMem(), abs, rel);
		check(failures, p + "low_res_multimasks.npy", f.lowResMultimasks(), abs, rel);
		check(failures, p + "ious.npy", f.ious(), abs, rel);
		check(failures, p + "pred_masks.npy", f.lowResMasks(), abs, rel);
		check(failures, p + "obj_ptr.npy", f.objPtr(), abs, rel);
		check(failures, p + "object_score_logits.npy", f.objectScoreLogits(), abs, rel);
		check(failures, p + "maskmem_features.npy", f.maskmemFeatures(), abs, rel);
	}

	/**
	 * Stored memories must be bfloat16 numbers. Where they differ from the reference, the float32
	 * noise before rounding moved them to a neighbouring bf16 number (fixture README); the count and
	 * the widest gap in bf16 steps are printed for the report.
	 */
	private static void checkBf16Steps(final List<String> failures, final String file, final NDArray stored) throws IOException {
		final float[] actual = stored.toFloatArray();
		final float[] ref = Npy.read(dir.resolve(file)).floats();
		int differing = 0, notBf16 = 0;
		double widest = 0;
		for (int i = 0; i < ref.length; i++) {
			if (Bf16.round(actual[i]) != actual[i]) notBf16++;
			if (actual[i] == ref[i]) continue;
			differing++;
			widest = Math.max(widest, Math.abs(actual[i] - ref[i]) / (Math.ulp(ref[i]) * 65536.0));
		}
		System.out.println((notBf16 == 0 ? "PASS " : "FAIL ") + file + "  " + differing + " of " + ref.length + " values differ, widest " +
			String.format(java.util.Locale.ROOT, "%.2f", widest) + " bf16 steps; " + notBf16 + " not bf16 numbers");
		if (notBf16 > 0) failures.add(file + ": " + notBf16 + " stored values are not bf16 numbers");
	}

	/** Frame 0's memory mask is (high-res logit > 0) * 20 - 10; the fixture stores its positive pixels as bits. */
	private static void checkBinarisedMask(final List<String> failures, final TrackedFrame f) throws IOException {
		final long[] packed = Npy.read(dir.resolve("video/frame0_mem_enc_mask_positive.npy")).longs();
		final float[] mask = f.memoryEncoderMask().toFloatArray();
		final float[] logits = f.highResMasks().toFloatArray();
		int flips = 0, hardFlips = 0;
		for (int i = 0; i < mask.length; i++) {
			final boolean expected = ((packed[i >> 3] >> (7 - (i & 7))) & 1) == 1;
			if (mask[i] != (expected ? 10f : -10f)) {
				flips++;
				if (Math.abs(logits[i]) >= 1e-3) hardFlips++;
			}
		}
		System.out.println((hardFlips == 0 ? "PASS " : "FAIL ") + "video/frame0_mem_enc_mask_positive.npy  " + flips + " of " + mask.length +
			" pixels differ (" + hardFlips + " with |logit| >= 1e-3)");
		if (hardFlips > 0) failures.add("frame0_mem_enc_mask_positive: " + hardFlips + " pixels differ at |logit| >= 1e-3");
	}

	private static void check(final List<String> failures, final String file, final NDArray actual, final double abs, final double rel)
		throws IOException
	{
		final ParityCheck.Result r = ParityCheck.compare(file, actual, Npy.read(dir.resolve(file)), abs, rel);
		System.out.println(r);
		if (!r.pass()) failures.add(r.toString());
	}

	/** The frame-0 box, recovered from the recorded point_inputs (the frames are S x S, so box / [W, H] * S is the box). */
	static TrackingPrompt boxPrompt(final Path video) throws IOException {
		final TensorData coords = Npy.read(video.resolve("frame0_point_coords.npy"));
		final long[] labels = Npy.read(video.resolve("frame0_point_labels.npy")).longs();
		assertEquals(2, labels[0]);
		assertEquals(3, labels[1]);
		return TrackingPrompt.box(coords.floats());
	}

	static NDArray image(final NDManager manager, final Path u8) throws IOException {
		final float[] input = Sam2Transforms.normalize(Npy.read(u8).bytes(), 256, 256, 1, 256);
		return manager.create(input, new Shape(1, 3, 256, 256));
	}

}
