package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Typed view of {@link Sam2Model}'s image forward output. Layout of the list, for n Hiera stages:
 * n trunk stage maps, n neck levels (all of them, before {@code scalp}), n position encodings, then
 * {@code feat_s0}, {@code feat_s1} and the image embedding. All NCHW.
 */
public final class ImageFeatures {

	private final NDList list;
	private final int stages;

	public ImageFeatures(final NDList list, final int stages) {
		if (list.size() != 3 * stages + 3)
			throw new IllegalArgumentException("expected " + (3 * stages + 3) + " arrays for " + stages + " stages, got " + list.size());
		this.list = list;
		this.stages = stages;
	}

	public NDList asList() {
		return list;
	}

	/** Hiera output of stage {@code s} (0 = finest). */
	public NDArray trunkStage(final int s) {
		return list.get(check(s));
	}

	/** FPN neck output of level {@code l} (0 = finest), including levels that {@code scalp} discards. */
	public NDArray neckLevel(final int l) {
		return list.get(stages + check(l));
	}

	/** Sine position encoding of neck level {@code l}. */
	public NDArray neckPosition(final int l) {
		return list.get(2 * stages + check(l));
	}

	/** {@code conv_s0(level 0)}: high-resolution decoder feature at stride 4. */
	public NDArray highResS0() {
		return list.get(3 * stages);
	}

	/** {@code conv_s1(level 1)}: high-resolution decoder feature at stride 8. */
	public NDArray highResS1() {
		return list.get(3 * stages + 1);
	}

	/** The image embedding the image predictor decodes: the last kept level plus {@code no_mem_embed}. */
	public NDArray imageEmbedding() {
		return list.get(3 * stages + 2);
	}

	private int check(final int i) {
		if (i < 0 || i >= stages) throw new IndexOutOfBoundsException("level " + i + " of " + stages);
		return i;
	}
}
