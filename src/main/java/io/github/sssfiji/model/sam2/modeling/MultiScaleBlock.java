package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.LayerNormLayer;
import io.github.sssfiji.model.sam2.modeling.layers.LinearLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Mlp;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * One Hiera block ({@code MultiScaleBlock}) on channels-last input: pre-norm windowed (or global,
 * window 0) attention with optional query pooling, a projected and pooled shortcut where the width
 * changes, then a pre-norm GELU MLP.
 */
final class MultiScaleBlock extends Sam2Block {

	private static final float EPS = 1e-6f;

	private final int dim;
	private final int dimOut;
	private final int window;
	private final int[] qStride;
	private final LayerNormLayer norm1;
	private final MultiScaleAttention attn;
	private final LayerNormLayer norm2;
	private final Mlp mlp;
	private final LinearLayer proj;

	MultiScaleBlock(final int dim, final int dimOut, final int heads, final double mlpRatio, final int[] qStride, final int window) {
		this.dim = dim;
		this.dimOut = dimOut;
		this.window = window;
		this.qStride = qStride;
		this.norm1 = child("norm1", new LayerNormLayer(dim, EPS));
		this.attn = child("attn", new MultiScaleAttention(dim, dimOut, heads, qStride));
		this.norm2 = child("norm2", new LayerNormLayer(dimOut, EPS));
		this.mlp = child("mlp", new Mlp(dimOut, (int) (dimOut * mlpRatio), dimOut, 2, Mlp.gelu(), false));
		this.proj = dim != dimOut ? child("proj", new LinearLayer(dim, dimOut)) : null;
	}

	NDArray apply(final ParameterStore store, final NDArray input, final boolean training) {
		NDArray shortcut = input;
		final NDArray x = norm1.apply(store, input, training);
		if (proj != null) {
			shortcut = proj.apply(store, x, training);
			if (qStride != null) shortcut = WindowOps.maxPoolChannelsLast(shortcut, qStride);
		}
		final long h = x.getShape().get(1), w = x.getShape().get(2);
		NDArray out = attn.apply(store, window > 0 ? WindowOps.partition(x, window) : x, training);
		if (window > 0) {
			// with query pooling the windows shrink with the grid; the padding is recomputed on the pooled size
			final int outWindow = qStride != null ? window / qStride[0] : window;
			final long oh = shortcut.getShape().get(1), ow = shortcut.getShape().get(2);
			out = WindowOps.unpartition(out, outWindow, oh + WindowOps.pad(oh, outWindow), ow + WindowOps.pad(ow, outWindow), oh, ow);
		}
		else if (qStride == null && (h != shortcut.getShape().get(1) || w != shortcut.getShape().get(2)))
			throw new IllegalStateException("attention changed the grid without query pooling");
		final NDArray y = shortcut.add(out);
		return y.add(mlp.apply(store, norm2.apply(store, y, training), training));
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(apply(store, inputs.head(), training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape s = inputShapes[0];
		if (s.get(3) != dim) throw new IllegalArgumentException("block expects " + dim + " channels, got " + s);
		final long h = qStride == null ? s.get(1) : s.get(1) / qStride[0];
		final long w = qStride == null ? s.get(2) : s.get(2) / qStride[1];
		return new Shape[] { new Shape(s.get(0), h, w, dimOut) };
	}
}
