package io.github.sssfiji.model.sam2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.layers.Conv2dLayer;
import io.github.sssfiji.model.sam2.layers.Sam2Block;

/**
 * SAM 2's {@code sam_mask_decoder}, so far only its high-resolution feature projections
 * {@code conv_s0} (d to d/8 at stride 4) and {@code conv_s1} (d to d/4 at stride 8), which
 * {@code SAM2Base.forward_image} applies to the two finest neck levels. The two-way transformer,
 * upscaling and prediction heads are not implemented yet.
 */
public final class MaskDecoder extends Sam2Block {

	private final int dModel;
	private final Conv2dLayer convS0;
	private final Conv2dLayer convS1;

	public MaskDecoder(final Sam2Config config) {
		this.dModel = config.dModel();
		this.convS0 = child("conv_s0", new Conv2dLayer(dModel, dModel / 8, 1, 1, 0));
		this.convS1 = child("conv_s1", new Conv2dLayer(dModel, dModel / 4, 1, 1, 0));
	}

	/** {@code conv_s0(level0)}. */
	public NDArray highResS0(final ParameterStore store, final NDArray level0, final boolean training) {
		return convS0.apply(store, level0, training);
	}

	/** {@code conv_s1(level1)}. */
	public NDArray highResS1(final ParameterStore store, final NDArray level1, final boolean training) {
		return convS1.apply(store, level1, training);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(highResS0(store, inputs.get(0), training), highResS1(store, inputs.get(1), training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape a = inputShapes[0], b = inputShapes[1];
		return new Shape[] { new Shape(a.get(0), dModel / 8, a.get(2), a.get(3)), new Shape(b.get(0), dModel / 4, b.get(2), b.get(3)) };
	}
}
