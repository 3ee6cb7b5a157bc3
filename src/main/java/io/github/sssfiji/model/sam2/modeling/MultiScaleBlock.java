package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import io.github.sssfiji.nn.LayerNorm;
import io.github.sssfiji.nn.Linear;
import io.github.sssfiji.nn.ModelState;

/**
 * One Hiera block ({@code MultiScaleBlock}) on channels-last input: pre-norm windowed (or global,
 * window 0) attention with optional query pooling, a projected and pooled shortcut where the width
 * changes, then a pre-norm GELU MLP.
 */
final class MultiScaleBlock {

	private static final float EPS = 1e-6f;

	private final int dim;
	private final int dimOut;
	private final int window;
	private final int[] qStride;
	private final LayerNorm norm1;
	private final MultiScaleAttention attn;
	private final LayerNorm norm2;
	private final Mlp mlp;
	private final Linear proj;

	MultiScaleBlock(final ModelState state, final int dim, final int dimOut, final int heads, final double mlpRatio, final int[] qStride, final int window) {
		this.dim = dim;
		this.dimOut = dimOut;
		this.window = window;
		this.qStride = qStride;
		this.norm1 = LayerNorm.create(state, "norm1", dim, EPS);
		this.attn = new MultiScaleAttention(state.scope("attn"), dim, dimOut, heads, qStride);
		this.norm2 = LayerNorm.create(state, "norm2", dimOut, EPS);
		this.mlp = new Mlp(state.scope("mlp"), dimOut, (int) (dimOut * mlpRatio), dimOut, 2, Mlp.gelu(), false);
		this.proj = dim != dimOut ? Linear.create(state, "proj", dim, dimOut, true, Sam2Init.WEIGHT) : null;
	}

	NDArray forward(final NDArray input) {
		NDArray shortcut = input;
		final NDArray x = norm1.forward(input);
		if (proj != null) {
			shortcut = proj.forward(x);
			if (qStride != null) shortcut = WindowOps.maxPoolChannelsLast(shortcut, qStride);
		}
		final long h = x.getShape().get(1), w = x.getShape().get(2);
		NDArray out = attn.forward(window > 0 ? WindowOps.partition(x, window) : x);
		if (window > 0) {
			// with query pooling the windows shrink with the grid; the padding is recomputed on the pooled size
			final int outWindow = qStride != null ? window / qStride[0] : window;
			final long oh = shortcut.getShape().get(1), ow = shortcut.getShape().get(2);
			out = WindowOps.unpartition(out, outWindow, oh + WindowOps.pad(oh, outWindow), ow + WindowOps.pad(ow, outWindow), oh, ow);
		}
		else if (qStride == null && (h != shortcut.getShape().get(1) || w != shortcut.getShape().get(2)))
			throw new IllegalStateException("attention changed the grid without query pooling");
		final NDArray y = shortcut.add(out);
		return y.add(mlp.forward(norm2.forward(y)));
	}
}
