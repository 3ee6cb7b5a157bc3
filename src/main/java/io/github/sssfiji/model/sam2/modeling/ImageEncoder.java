package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * SAM 2's {@code ImageEncoder}: Hiera trunk then FPN neck. Output: the n trunk stage maps, the n
 * neck levels (before {@code scalp} drops the coarsest) and their n position encodings.
 */
public final class ImageEncoder extends Sam2Block {

	private final Hiera trunk;
	private final FpnNeck neck;
	private final int levels;

	public ImageEncoder(final Sam2Config config) {
		this.trunk = child("trunk", new Hiera(config));
		this.neck = child("neck", new FpnNeck(config));
		this.levels = config.stages().length;
	}

	public NDList apply(final ParameterStore store, final NDArray image, final boolean training) {
		final NDList stages = trunk.apply(store, image, training);
		final NDList out = new NDList(stages);
		out.addAll(neck.apply(store, stages, training));
		return out;
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return apply(store, inputs.head(), training);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape[] stages = trunk.getOutputShapes(inputShapes);
		final Shape[] neckOut = neck.getOutputShapes(stages);
		final Shape[] out = new Shape[stages.length + neckOut.length];
		System.arraycopy(stages, 0, out, 0, stages.length);
		System.arraycopy(neckOut, 0, out, stages.length, neckOut.length);
		return out;
	}

	int levels() {
		return levels;
	}
}
