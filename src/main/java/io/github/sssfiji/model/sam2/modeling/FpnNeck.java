package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.Conv2dLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * SAM 2's {@code FpnNeck}: 1x1 lateral convolutions to d_model, a top-down path (nearest x2
 * upsampling, summed) on the configured levels, and a sine position encoding per level. Input: the
 * trunk outputs finest first; output: the n levels, then their n position encodings.
 */
public final class FpnNeck extends Sam2Block {

	private final int dModel;
	private final int[] topDownLevels;
	private final List<Conv2dLayer> convs = new ArrayList<>();

	public FpnNeck(final Sam2Config config) {
		this.dModel = config.dModel();
		this.topDownLevels = config.fpnTopDownLevels();
		final int[] channels = config.backboneChannelList();
		for (int i = 0; i < channels.length; i++) convs.add(child("convs." + i + ".conv", new Conv2dLayer(channels[i], dModel, 1, 1, 0)));
	}

	public NDList apply(final ParameterStore store, final NDList trunk, final boolean training) {
		final int n = convs.size() - 1;
		if (trunk.size() != convs.size()) throw new IllegalArgumentException("neck expects " + convs.size() + " levels, got " + trunk.size());
		final NDArray[] out = new NDArray[n + 1];
		NDArray previous = null;
		for (int i = n; i >= 0; i--) {
			// convs[0] belongs to the coarsest level, as in the official module
			final NDArray lateral = convs.get(n - i).apply(store, trunk.get(i), training);
			if (contains(topDownLevels, i) && previous != null) previous = lateral.add(upsampleNearest2x(previous));
			else previous = lateral;
			out[i] = previous;
		}
		final NDList result = new NDList(out);
		for (int i = 0; i <= n; i++) result.add(position(out[i]));
		return result;
	}

	/** {@code interpolate(x, scale_factor=2, mode="nearest")}: every pixel copied into a 2x2 block. */
	static NDArray upsampleNearest2x(final NDArray x) {
		return x.repeat(2, 2).repeat(3, 2);
	}

	private NDArray position(final NDArray level) {
		final Shape s = level.getShape();
		final int h = (int) s.get(2), w = (int) s.get(3);
		final NDManager manager = level.getManager();
		final NDArray one = manager.create(PositionEmbeddingSine.encode(dModel, h, w), new Shape(1, dModel, h, w));
		return s.get(0) == 1 ? one : one.repeat(0, s.get(0));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return apply(store, inputs, training);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape[] out = new Shape[2 * inputShapes.length];
		for (int i = 0; i < inputShapes.length; i++) {
			final Shape s = inputShapes[i];
			out[i] = new Shape(s.get(0), dModel, s.get(2), s.get(3));
			out[inputShapes.length + i] = out[i];
		}
		return out;
	}

	private static boolean contains(final int[] values, final int v) {
		for (final int x : values) if (x == v) return true;
		return false;
	}
}
