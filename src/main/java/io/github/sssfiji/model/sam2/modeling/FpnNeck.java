package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM 2's {@code FpnNeck}: 1x1 lateral convolutions to d_model, a top-down path (nearest x2
 * upsampling, summed) on the configured levels, and a sine position encoding per level. Input: the
 * trunk outputs finest first; output: the n levels, then their n position encodings.
 */
final class FpnNeck {

	private final int dModel;
	private final int[] topDownLevels;
	private final List<Conv2d> convs = new ArrayList<>();

	FpnNeck(final ModelState state, final Sam2Config config) {
		this.dModel = config.dModel();
		this.topDownLevels = config.fpnTopDownLevels();
		final int[] channels = config.backboneChannelList();
		for (int i = 0; i < channels.length; i++) convs.add(Conv2d.create(state, "convs." + i + ".conv", channels[i], dModel, 1, 1, 0, 1, Sam2Init.WEIGHT));
	}

	NDList forward(final NDList trunk) {
		final int n = convs.size() - 1;
		if (trunk.size() != convs.size()) throw new IllegalArgumentException("neck expects " + convs.size() + " levels, got " + trunk.size());
		final NDArray[] out = new NDArray[n + 1];
		NDArray previous = null;
		for (int i = n; i >= 0; i--) {
			// convs[0] belongs to the coarsest level, as in the official module
			final NDArray lateral = convs.get(n - i).forward(trunk.get(i));
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

	private static boolean contains(final int[] values, final int v) {
		for (final int x : values) if (x == v) return true;
		return false;
	}
}
