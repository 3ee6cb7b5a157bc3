package io.github.sssfiji.sss.dfe;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.sssfiji.nn.ModelState;

/**
 * Discriminative Feature Enhancement over the feature levels of a network, in one of its
 * {@link DfeForm forms}: ours ({@link DfeForm#OURS}, SSS design section 3, the default) or the
 * authors' released one ({@link DfeForm#RELEASED}, section 7). Both take the same calls: the training
 * step enhances each strong view against its reference ({@link #enhance}), and a network whose DFE acts
 * in every branch enhances a single view with itself ({@link #enhanceSelf}). Each level's output has
 * the shape of its input, so the decoder reads it as it reads the encoder's features.
 */
public interface Dfe extends AutoCloseable {

	/**
	 * A DFE of this form for feature levels of the given channel counts (finest first), acting on the
	 * deepest {@code levels} of them ({@link #ALL_LEVELS} for every one; the others pass through
	 * unchanged and have no tensors), its tensors registered in {@code into} (a scope of the state of the
	 * network it belongs to, which owns them); its weights are drawn from {@code seed}.
	 *
	 * @throws IllegalArgumentException if {@code levels} is negative or above the number of levels
	 */
	static Dfe create(final DfeForm form, final int[] channels, final int levels, final ModelState into, final long seed) {
		return create(form, channels, levels, into, false, seed);
	}

	/** A DFE as {@link #create(DfeForm, int[], int, ModelState, long)} makes it, with a state of its own (closed with it). */
	static Dfe create(final DfeForm form, final int[] channels, final int levels, final NDManager parent, final long seed) {
		return create(form, channels, levels, new ModelState(parent), true, seed);
	}

	/** {@link #create(DfeForm, int[], int, NDManager, long)} of our form on every level. */
	static Dfe create(final int[] channels, final NDManager parent, final long seed) {
		return create(DfeForm.OURS, channels, ALL_LEVELS, parent, seed);
	}

	/** {@code levels} of {@link #create(DfeForm, int[], int, ModelState, long)} for every level. */
	int ALL_LEVELS = 0;

	private static Dfe create(final DfeForm form, final int[] channels, final int levels, final ModelState state, final boolean owned,
		final long seed)
	{
		if (levels < 0 || levels > channels.length)
			throw new IllegalArgumentException("DFE on the deepest " + levels + " levels of " + channels.length);
		final int first = levels == ALL_LEVELS ? 0 : channels.length - levels;
		return switch (form) {
			case OURS -> OurDfe.create(channels, first, state, owned, seed);
			case RELEASED -> ReleasedDfe.create(channels, first, state, owned, seed);
		};
	}

	/** This DFE's form. */
	DfeForm form();

	/** Parameters (all trainable; DFE has no buffers). */
	ModelState state();

	/**
	 * Enhanced strong features, level by level.
	 *
	 * @param reference what each strong view is compared with (no gradient needed), same shapes as {@code strong}
	 * @throws IllegalArgumentException if the levels do not match
	 */
	NDList enhance(NDList reference, NDList strong);

	/**
	 * The features of a single view enhanced with themselves as the reference, where no second view
	 * exists (labelled slices, the teacher and prediction with {@code dfeScope = all}); equal to
	 * {@code enhance(features, features)} up to rounding.
	 */
	NDList enhanceSelf(NDList features);

	@Override
	void close();
}
