package io.github.sssfiji.model.sam2.predictor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.sam2.modeling.ImageFeatures;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.nn.Resize;

/**
 * Tracks one object through a volume's slices, frame by frame, as {@code SAM2Base.track_step} does
 * for a video with a bounded memory bank. Frames are fed in order (index 0, 1, 2, ...); a frame
 * with a {@link TrackingPrompt} becomes a conditioning frame and, as in the official video predictor
 * for a frame that was not tracked before, is segmented from its prompt alone (no memory). Frames
 * without a prompt attend to the conditioning frames, the last {@code num_maskmem - 1} frames (by
 * the configured stride) and the object pointers of up to {@code min(numFrames,
 * max_obj_ptrs_in_encoder) - 1} previous frames. With {@code bf16Memory} the stored memory
 * features are rounded to bfloat16, as {@code SAM2VideoPredictor} stores them.
 * <p>
 * Memory: each call returns a {@link TrackedFrame} whose arrays live in their own sub-manager;
 * the bank keeps private copies of what later frames need and drops spatial memories (and then
 * pointers) as soon as no later frame can select them. Batch size 1, inference only; the
 * caller's frames must have the model input size. Not thread-safe. Each frame is tracked with
 * autograd off on the calling thread ({@link Engines#noGrad()}), so the memory bank holds no graph
 * whichever thread feeds it.
 * </p>
 * <p>
 * Differences to the official {@code SAM2VideoPredictor}: prompts cannot be placed on frames ahead
 * of the one being tracked (the official predictor also attends to future conditioning frames that
 * were prompted before propagation), and tracking towards lower slice indices is a second tracker
 * fed in that order (the official reverse pass also sees the forward pass's non-conditioning frames
 * on the other side). No hole filling ({@code fill_hole_area}), as on the official CPU path.
 * </p>
 */
public final class Sam2Tracker implements AutoCloseable {

	private final Sam2Model model;
	private final Sam2TrackingConfig config;
	private final Sam2TrackStep step;
	private final NDManager video;
	private final int numFrames;
	private final boolean bf16Memory;
	private final int maxObjPtrs;
	/** Conditioning frames in the order they were added (the official dict order). */
	private final Map<Integer, StoredFrame> conditioning = new LinkedHashMap<>();
	/** Non-conditioning frames still needed for their memory or their pointer. */
	private final TreeMap<Integer, StoredFrame> recent = new TreeMap<>();
	private int nextFrame;

	/**
	 * A tracker for a sequence of {@code numFrames} frames (the official {@code num_frames}: it bounds
	 * how many object pointers are used). Arrays are created under a sub-manager of {@code parent}.
	 */
	public Sam2Tracker(final Sam2Model model, final Sam2TrackingConfig config, final NDManager parent,
		final int numFrames, final boolean bf16Memory)
	{
		if (numFrames < 1) throw new InvalidInputException("numFrames must be at least 1, got " + numFrames);
		if (config.numMaskmem < 1)
			throw new InvalidInputException("num_maskmem " + config.numMaskmem + ": tracking needs a memory (num_maskmem >= 1)");
		this.model = model;
		this.config = config;
		this.step = new Sam2TrackStep(model, config);
		this.video = parent.newSubManager();
		this.numFrames = numFrames;
		this.bf16Memory = bf16Memory;
		this.maxObjPtrs = config.maxObjPtrs(numFrames);
	}

	/** Tracks the next frame, an interleaved uint8 image (H x W x channels, 1 or 3 channels) of the model size; {@code prompt} may be null. */
	public TrackedFrame track(final byte[] pixels, final int height, final int width, final int channels, final TrackingPrompt prompt) {
		final int s = model.config().imageSize();
		final float[] input = Sam2Transforms.normalize(pixels, height, width, channels, s);
		final NDManager frame = video.newSubManager();
		try (Engines.NoGrad noGrad = Engines.noGrad()) {
			final ImageFeatures features = model.forwardImage(frame.create(input, new Shape(1, 3, s, s)));
			return run(frame, features, prompt);
		}
		catch (final RuntimeException e) {
			frame.close();
			throw e;
		}
	}

	/**
	 * Tracks the next frame from image features computed earlier by {@link Sam2Model#forwardImage};
	 * the arrays it needs are copied into the frame's manager, so cached features stay untouched.
	 */
	public TrackedFrame track(final ImageFeatures features, final TrackingPrompt prompt) {
		final NDManager frame = video.newSubManager();
		try (Engines.NoGrad noGrad = Engines.noGrad()) {
			return run(frame, features, prompt);
		}
		catch (final RuntimeException e) {
			frame.close();
			throw e;
		}
	}

	private TrackedFrame run(final NDManager frame, final ImageFeatures features, final TrackingPrompt prompt) {
		final int index = nextFrame;
		if (index >= numFrames) throw new InvalidInputException("frame " + index + " exceeds the " + numFrames + " frames this tracker was made for");
		final boolean prompted = prompt != null;
		if (!prompted && conditioning.isEmpty())
			throw new InvalidInputException("frame " + index + " has no prompt and nothing is tracked yet: the first frame fed needs a prompt");
		final int s = model.config().imageSize();
		final int level = model.config().stages().length - 1 - model.config().scalp();
		final NDArray vision = local(frame, features.neckLevel(level));
		final NDArray visionPos = local(frame, features.neckPosition(level));
		final NDArray featS0 = local(frame, features.highResS0());
		final NDArray featS1 = local(frame, features.highResS1());
		final TrackedFrame.Parts parts = new TrackedFrame.Parts();
		// a prompted frame is new to the tracker, so the official predictor treats it as an initial conditioning frame
		final boolean initCond = prompted;
		if (prompted && prompt.isMask() && config.useMaskInputAsOutputWithoutSam) {
			parts.pixFeatWithMem = vision;
			step.useMaskAsOutput(frame, vision, prompt.maskValues(s, s), featS0, featS1, parts);
		}
		else {
			parts.pixFeatWithMem = conditionedFeatures(frame, index, initCond, vision, visionPos, parts);
			float[] coords = null, labels = null;
			NDArray maskPrompt = null;
			if (prompted && prompt.isMask()) {
				final int low = s / 4;
				maskPrompt = frame.create(Resize.bilinear(prompt.maskValues(s, s), 1, s, s, low, low, true), new Shape(1, 1, low, low));
			}
			else if (prompted) {
				coords = prompt.modelCoords(s, s, s);
				labels = prompt.modelLabels();
			}
			final boolean multimask = config.useMultimask(initCond, labels == null ? 0 : labels.length);
			step.forwardSamHeads(frame, parts.pixFeatWithMem, coords, labels, maskPrompt, featS0, featS1, multimask, parts);
		}
		step.encodeNewMemory(vision, prompted && !prompt.isMask(), parts);
		parts.storedMaskmemFeatures = bf16Memory
			? frame.create(Bf16.roundInPlace(parts.maskmemFeatures.toFloatArray()), parts.maskmemFeatures.getShape())
			: parts.maskmemFeatures;
		store(index, prompted, parts);
		nextFrame++;
		evict();
		return new TrackedFrame(frame, index, prompted, parts);
	}

	/** {@code _prepare_memory_conditioned_features} with the memory selection of a forward pass. */
	private NDArray conditionedFeatures(final NDManager frame, final int index, final boolean initCond, final NDArray vision,
		final NDArray visionPos, final TrackedFrame.Parts parts)
	{
		if (initCond) return config.directlyAddNoMemEmbed ? step.addNoMemEmbed(frame, vision) : step.attendToNoMemory(frame, vision, visionPos, parts);
		final List<Integer> selected = MemorySelection.selectConditioningFrames(index, new ArrayList<>(conditioning.keySet()),
			config.maxCondFramesInAttn);
		final Map<Integer, StoredFrame> unselected = new LinkedHashMap<>(conditioning);
		unselected.keySet().removeAll(selected);
		final List<MemoryConditioning.Memory> spatial = new ArrayList<>();
		for (final Integer t : selected) spatial.add(conditioning.get(t).spatial(0));
		final int[] previous = MemorySelection.previousFrames(index, config.numMaskmem, config.memoryTemporalStrideForEval);
		for (int tPos = 1; tPos < config.numMaskmem; tPos++) {
			final StoredFrame prev = previousFrame(previous[tPos - 1], unselected);
			if (prev != null && prev.features != null) spatial.add(prev.spatial(tPos));
		}
		final List<Sam2TrackStep.Pointer> pointers = new ArrayList<>();
		if (config.useObjPtrsInEncoder) {
			for (final Integer t : selected)
				if (!config.onlyObjPtrsInThePastForEval || t <= index)
					pointers.add(new Sam2TrackStep.Pointer(conditioning.get(t).objPtr, Math.abs(index - t))); // signed: index - t >= 0 here
			for (int tDiff = 1; tDiff < maxObjPtrs; tDiff++) {
				final int t = index - tDiff;
				if (t < 0) break;
				final StoredFrame prev = previousFrame(t, unselected);
				if (prev != null) pointers.add(new Sam2TrackStep.Pointer(prev.objPtr, tDiff));
			}
		}
		return step.attendToMemory(frame, vision, visionPos, spatial, pointers, maxObjPtrs, parts);
	}

	/** A non-conditioning frame, or else an unselected conditioning frame, with this index. */
	private StoredFrame previousFrame(final int t, final Map<Integer, StoredFrame> unselectedConditioning) {
		final StoredFrame out = recent.get(t);
		return out != null ? out : unselectedConditioning.get(t);
	}

	private void store(final int index, final boolean prompted, final TrackedFrame.Parts parts) {
		final StoredFrame stored = new StoredFrame(video.newSubManager(), parts);
		if (prompted) conditioning.put(index, stored);
		else recent.put(index, stored);
	}

	/** Drops what the next frame (and so every later one) can no longer select. */
	private void evict() {
		final Set<Integer> memoryNeeded = new HashSet<>();
		for (final int t : MemorySelection.previousFrames(nextFrame, config.numMaskmem, config.memoryTemporalStrideForEval))
			memoryNeeded.add(t);
		final int oldestPointer = config.useObjPtrsInEncoder ? nextFrame - (maxObjPtrs - 1) : Integer.MAX_VALUE;
		for (final Iterator<Map.Entry<Integer, StoredFrame>> it = recent.entrySet().iterator(); it.hasNext();) {
			final Map.Entry<Integer, StoredFrame> e = it.next();
			final boolean keepMemory = memoryNeeded.contains(e.getKey());
			if (!keepMemory && e.getKey() < oldestPointer) {
				e.getValue().close();
				it.remove();
			}
			else if (!keepMemory) e.getValue().dropMemory();
		}
	}

	/** Number of frames tracked so far. */
	public int framesTracked() {
		return nextFrame;
	}

	/** Frames whose spatial memory the bank holds: conditioning frames first (in order), then recent ones. */
	public List<Integer> storedMemoryFrames() {
		final List<Integer> out = new ArrayList<>(conditioning.keySet());
		for (final Map.Entry<Integer, StoredFrame> e : recent.entrySet()) if (e.getValue().features != null) out.add(e.getKey());
		return out;
	}

	/** Conditioning frames, in the order they were added. */
	public List<Integer> conditioningFrames() {
		return new ArrayList<>(conditioning.keySet());
	}

	/** Frames whose object pointer the bank holds. */
	public List<Integer> storedPointerFrames() {
		final List<Integer> out = new ArrayList<>(conditioning.keySet());
		out.addAll(recent.keySet());
		return out;
	}

	/** The manager under which the tracker creates every array (bank and frames). */
	NDManager videoManager() {
		return video;
	}

	@Override
	public void close() {
		conditioning.clear();
		recent.clear();
		video.close();
	}

	/** A copy in the frame's manager, so that no result joins the owner of cached features. */
	private static NDArray local(final NDManager frame, final NDArray source) {
		final NDArray copy = source.duplicate();
		copy.attach(frame);
		return copy;
	}

	/** The bank's own copy of one frame's memory (stored features, position encoding) and object pointer. */
	private static final class StoredFrame implements AutoCloseable {
		private final NDManager manager;
		private NDArray features;
		private NDArray posEnc;
		private final NDArray objPtr;

		StoredFrame(final NDManager manager, final TrackedFrame.Parts parts) {
			this.manager = manager;
			this.features = local(manager, parts.storedMaskmemFeatures);
			this.posEnc = local(manager, parts.maskmemPosEnc);
			this.objPtr = local(manager, parts.objPtr);
		}

		MemoryConditioning.Memory spatial(final int temporalPosition) {
			return new MemoryConditioning.Memory(features, posEnc, temporalPosition);
		}

		void dropMemory() {
			if (features == null) return;
			features.close();
			posEnc.close();
			features = null;
			posEnc = null;
		}

		@Override
		public void close() {
			manager.close();
		}
	}
}
