package io.github.sssfiji.sss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.sss.dfe.Dfe;

/**
 * The network contract the SSS method trains (SSS design, section 1): {@link #encode} gives
 * multi-scale features, {@link #decode} turns (possibly enhanced or perturbed) features into class
 * logits, and {@link #state} names every parameter and buffer so the trainer can run the EMA
 * teacher, the optimiser and checkpoints without knowing the architecture. The U-Net implements it
 * ({@link UNetNetwork}), and so does SAM-2 ({@link Sam2Network}), whose decoder also reads
 * prompts.
 * <p>
 * Training or evaluation behaviour (batch statistics, dropout) is chosen per call. Every array a
 * call returns belongs to the manager of its input, so a per-step sub-manager frees it.
 * </p>
 */
public interface Network extends AutoCloseable {

	/** The backbone's name in configurations and model files, e.g. {@code unet}. */
	String kind();

	/** Number of output classes, background included. */
	int classes();

	/** Channels of the input image. */
	int inputChannels();

	/** Height and width of an input must be multiples of this. */
	int sizeMultiple();

	/** Channels of each feature level of {@link #encode}, in the same order. */
	int[] featureChannels();

	/** Multi-scale features of {@code x} (batch, channels, height, width); level k is 2^k times coarser for the U-Net. */
	NDList encode(NDArray x, boolean training);

	/** Class logits (batch, classes, height, width) from features shaped as {@link #encode} returns them. */
	NDArray decode(NDList features, boolean training);

	/**
	 * Features of a training batch whose first {@code labelled} samples are labelled. A backbone may
	 * encode the unlabelled ones differently: SAM-2 with imported weights uses its frozen pretrained
	 * encoder there (SSS design, section 2, step 2). By default the same as {@link #encode(NDArray, boolean)}.
	 */
	default NDList encode(final NDArray x, final int labelled, final boolean training) {
		return encode(x, training);
	}

	/** Whether {@link #decode(NDList, SlicePrompts, boolean)} reads prompts, so that the trainer derives them. */
	default boolean usesPrompts() {
		return false;
	}

	/**
	 * Class logits with prompts ({@code null}: none, as at prediction time); a backbone without
	 * prompts (the U-Net) ignores them.
	 */
	default NDArray decode(final NDList features, final SlicePrompts prompts, final boolean training) {
		return decode(features, training);
	}

	/**
	 * Whether the backbone decodes a volume's slices in order with a memory of the previous ones
	 * (SAM-2 trained on sequences, SSS design section 4), so that {@link #decodeSequences} differs
	 * from decoding slice by slice.
	 */
	default boolean hasMemory() {
		return false;
	}

	/**
	 * Class logits of a batch made of runs of {@code runLength} consecutive slices of a volume, run
	 * after run, each run in slice order. A backbone without memory decodes every slice on its own
	 * (the default: {@link #decode(NDList, SlicePrompts, boolean)}).
	 */
	default NDArray decodeSequences(final NDList features, final int runLength, final SlicePrompts prompts, final boolean training) {
		return decode(features, prompts, training);
	}

	/**
	 * A new memory over runs of {@code length} consecutive slices ({@code runs} of them side by side),
	 * decoding one slice of each run per call in slice order, for a backbone with {@link #hasMemory()};
	 * its arrays live in a sub-manager of {@code keep}.
	 *
	 * @throws IllegalStateException for a backbone without memory
	 */
	default MemorySequence newSequence(final int runs, final int length, final NDManager keep) {
		throw new IllegalStateException("backbone '" + kind() + "' has no memory");
	}

	/** Slices of a volume decoded in order with the memory of the ones before (see {@link #newSequence}). */
	interface MemorySequence extends AutoCloseable {

		/** The logits of the next slice of each run, from its features (batch = runs), with prompts or {@code null}. */
		NDArray next(NDList features, SlicePrompts prompts, boolean training);

		/** Frees the memory. */
		@Override
		void close();
	}

	/** The DFE of a network with DFE, trained on the strong views; {@code null} for a network without. */
	default Dfe dfe() {
		return null;
	}

	/**
	 * The encoder's own features of a training batch (before any DFE), as the training step enhances
	 * the strong views with {@link #dfe()}; for a network without DFE the same as {@link #encode(NDArray, int, boolean)}.
	 */
	default NDList encoderFeatures(final NDArray x, final int labelled, final boolean training) {
		return encode(x, labelled, training);
	}

	/**
	 * The features the decoder meets for single views (labelled slices, the teacher, prediction), made
	 * from {@link #encoderFeatures}: the same, or DFE's self-enhancement for a network whose DFE acts in
	 * every branch.
	 */
	default NDList selfEnhanced(final NDList encoderFeatures) {
		return encoderFeatures;
	}

	/** Named parameters (trainable) and buffers (such as batch-norm running statistics). */
	ModelState state();

	/** The architecture as JSON, enough for {@link Networks#create} to rebuild it (without weights). */
	JsonObject architecture();

	/** A new network of the same architecture with fresh weights, in a sub-manager of {@code parent}. */
	Network newInstance(NDManager parent, long seed);

	/** Frees every tensor of the network. */
	@Override
	void close();
}
