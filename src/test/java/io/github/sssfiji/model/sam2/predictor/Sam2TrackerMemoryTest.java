package io.github.sssfiji.model.sam2.predictor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Autograd;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.djl.FreshThreads;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.modeling.ImageFeatures;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.nn.ModelState;

/**
 * A 30-frame run of the micro model (the fixture's 3 frames repeated, a box on frame 0 and a mask
 * prompt on frame 12): each frame's arrays live in that frame's own sub-manager, the model's manager
 * does not grow, the bank holds spatial memories of at most the 6 previous frames besides the
 * conditioning frames and pointers of at most 15, and closing the tracker frees everything.
 */
class Sam2TrackerMemoryTest {

	private static final int FRAMES = 30, MASK_FRAME = 12;

	private static NDManager root;
	private static Sam2Model model;
	private static Sam2TrackingConfig tracking;
	private static Path video;

	@BeforeAll
	static void loadModel() throws IOException {
		final Path dir = TestData.sam2Parity();
		video = dir.resolve("video");
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		tracking = Sam2TrackingConfig.parse(dir.resolve("config.json"), config);
		root = Engines.pytorch().newBaseManager();
		model = new Sam2Model(new ModelState(root), config);
		model.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
	}

	@AfterAll
	static void closeModel() {
		// null when loadModel was skipped (no shared fixtures)
		if (root != null) root.close();
	}

	@Test
	void thirtyFramesKeepManagersAndTheBankBounded() throws IOException {
		try (NDManager encoder = root.newSubManager()) {
			final List<ImageFeatures> features = new ArrayList<>();
			for (int t = 0; t < 3; t++)
				features.add(model.forwardImage(image(encoder, video.resolve("frame" + t + "_image_u8.npy"))));
			final int featureArrays = count(encoder);
			final int rootBefore = count(root);
			final Sam2Tracker tracker = new Sam2Tracker(model, tracking, root, FRAMES, false);
			boolean[] previousMask = null;
			for (int t = 0; t < FRAMES; t++) {
				final TrackingPrompt prompt = t == 0 ? boxPrompt(video)
					: t == MASK_FRAME ? TrackingPrompt.mask(previousMask) : null;
				try (TrackedFrame f = tracker.track(features.get(t % 3), prompt)) {
					assertSame(tracker.videoManager(), f.manager().getParentManager(), "frame " + t + " manager");
					for (final NDArray a : arrays(f)) assertSame(f.manager(), a.getManager(), "frame " + t + ": an output outside its frame manager");
					if (t == MASK_FRAME) checkMaskFrame(f, previousMask);
					final float[] high = f.highResMasks().toFloatArray();
					previousMask = new boolean[high.length];
					for (int i = 0; i < high.length; i++) previousMask[i] = high[i] > 0;
				}
				// nothing but the video (bank) and the cached features may hold arrays under the model's manager
				assertEquals(rootBefore, count(root) - count(tracker.videoManager()), "model manager grew at frame " + t);
				assertEquals(featureArrays, count(encoder), "cached features changed at frame " + t);
				checkBank(tracker, t);
				// each entry holds features, position encoding and pointer (3 arrays) or, past the memory window, its pointer only
				final int recentMemories = tracking.numMaskmem() - 1, pointers = 15;
				final int bound = 3 * (tracker.conditioningFrames().size() + recentMemories) + (pointers - recentMemories);
				assertTrue(count(tracker.videoManager()) <= bound, "bank holds " + count(tracker.videoManager()) + " arrays at frame " + t);
				// from frame 27 on the pointer window no longer contains the mask frame: the bank is full and stays so
				if (t >= MASK_FRAME + pointers) assertEquals(bound, count(tracker.videoManager()), "bank at frame " + t);
			}
			tracker.close();
			assertEquals(rootBefore, count(root), "closing the tracker left arrays behind");
		}
	}

	@Test
	void refusesAnUnpromptedStartAndExtraFrames() throws IOException {
		try (NDManager encoder = root.newSubManager();
			Sam2Tracker tracker = new Sam2Tracker(model, tracking, root, 1, false))
		{
			final ImageFeatures features = model.forwardImage(image(encoder, video.resolve("frame0_image_u8.npy")));
			assertThrows(InvalidInputException.class, () -> tracker.track(features, null));
			tracker.track(features, boxPrompt(video)).close();
			assertThrows(InvalidInputException.class, () -> tracker.track(features, null));
		}
	}

	/**
	 * Tracking on a new thread (autograd on there, as on Fiji's pool threads): a prompted and a
	 * memory-conditioned frame whose outputs, memories included, record no graph, and the thread's
	 * grad mode is restored.
	 */
	@Test
	void tracksOnAFreshThreadWithoutRecordingAGraph() throws Exception {
		final int frames = FreshThreads.call(() -> {
			assertTrue(JniUtils.isGradMode(), "premise: a new thread starts with autograd on");
			try (Sam2Tracker tracker = new Sam2Tracker(model, tracking, root, 2, false)) {
				for (int t = 0; t < 2; t++) {
					final byte[] pixels = Npy.read(video.resolve("frame" + t + "_image_u8.npy")).bytes();
					try (TrackedFrame f = tracker.track(pixels, 256, 256, 1, t == 0 ? boxPrompt(video) : null)) {
						if (t == 1) assertTrue(f.memory() != null, "frame 1 attends to the memory of frame 0");
						for (final NDArray a : arrays(f))
							assertFalse(Autograd.recordedGraph(a), "frame " + t + " recorded a graph: " + a.getShape());
					}
				}
				assertTrue(JniUtils.isGradMode(), "the thread's grad mode was not restored");
				return tracker.framesTracked();
			}
		});
		assertEquals(2, frames);
	}

	/** The mask prompt is the output (logits +-10), its presence the object score, its memory from sigmoid(+-10). */
	private static void checkMaskFrame(final TrackedFrame f, final boolean[] mask) {
		assertTrue(f.isConditioning());
		assertNull(f.memory(), "a mask prompt is used as output without memory");
		final float[] high = f.highResMasks().toFloatArray();
		for (int i = 0; i < high.length; i++) assertEquals(mask[i] ? 10f : -10f, high[i], "high-res mask at " + i);
		assertEquals(10f, f.objectScoreLogits().toFloatArray()[0]);
		assertEquals(-1, f.bestMaskIndex());
		final float[] low = f.lowResMasks().toFloatArray();
		for (final float v : low) assertTrue(v >= -10f && v <= 10f, "antialiased low-res logits stay within the mask range");
	}

	private static void checkBank(final Sam2Tracker tracker, final int t) {
		final List<Integer> conditioning = tracker.conditioningFrames();
		assertEquals(t < MASK_FRAME ? List.of(0) : List.of(0, MASK_FRAME), conditioning, "conditioning frames at " + t);
		final List<Integer> recentMemories = new ArrayList<>(tracker.storedMemoryFrames());
		recentMemories.removeAll(conditioning);
		assertTrue(recentMemories.size() <= tracking.numMaskmem() - 1, "frame " + t + ": " + recentMemories.size() + " recent memories");
		for (final int m : recentMemories) assertTrue(m > t - tracking.numMaskmem() && m <= t, "frame " + t + " still holds memory of " + m);
		final List<Integer> pointers = new ArrayList<>(tracker.storedPointerFrames());
		pointers.removeAll(conditioning);
		assertTrue(pointers.size() <= 15, "frame " + t + ": " + pointers.size() + " pointers");
		for (final int p : pointers) assertTrue(p > t - 15, "frame " + t + " still holds the pointer of " + p);
		// every frame the next one can select is still there (one not before the mask frame's conditioning)
		for (int back = 1; back < tracking.numMaskmem() && t - back + 1 >= 0; back++) {
			final int needed = t - back + 1;
			assertTrue(recentMemories.contains(needed) || conditioning.contains(needed),
				"frame " + t + " dropped memory " + needed + " (" + Arrays.toString(recentMemories.toArray()) + ")");
		}
	}

	private static List<NDArray> arrays(final TrackedFrame f) {
		final List<NDArray> out = new ArrayList<>();
		for (final NDArray a : new NDArray[] { f.pixFeatWithMem(), f.memory(), f.memoryPos(), f.lowResMultimasks(), f.ious(), f.lowResMasks(),
			f.highResMasks(), f.objPtr(), f.objectScoreLogits(), f.memoryEncoderMask(), f.maskmemFeatures(), f.storedMaskmemFeatures(),
			f.maskmemPosEnc() })
			if (a != null) out.add(a);
		return out;
	}

	private static int count(final NDManager manager) {
		return ((BaseNDManager) manager).getManagedArrays().size();
	}

	/** The fixture's frame-0 box, recovered from the recorded point_inputs (the frames are S x S, so box / [W, H] * S is the box). */
	private static TrackingPrompt boxPrompt(final Path video) throws IOException {
		final TensorData coords = Npy.read(video.resolve("frame0_point_coords.npy"));
		final long[] labels = Npy.read(video.resolve("frame0_point_labels.npy")).longs();
		assertEquals(2, labels[0]);
		assertEquals(3, labels[1]);
		return TrackingPrompt.box(coords.floats());
	}

	private static NDArray image(final NDManager manager, final Path u8) throws IOException {
		final float[] input = Sam2Transforms.normalize(Npy.read(u8).bytes(), 256, 256, 1, 256);
		return manager.create(input, new Shape(1, 3, 256, 256));
	}
}
