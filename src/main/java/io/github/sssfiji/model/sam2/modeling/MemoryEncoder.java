package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.Conv2dLayer;
import io.github.sssfiji.model.sam2.modeling.layers.LayerNormLayer;
import io.github.sssfiji.model.sam2.modeling.layers.LinearLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * SAM 2's {@code MemoryEncoder} with the configuration of every v1 model: a mask downsampler (four
 * conv 3x3 stride 2 + LayerNorm2d + GELU stages, 1 to 256 channels, then a 1x1 conv to d), the
 * projected pixel features added, two ConvNeXt blocks ({@code CXBlock}, depthwise 7x7, layer scale)
 * and a 1x1 projection to the memory width. The mask input is taken as given
 * ({@code skip_mask_sigmoid=True}): the caller applies sigmoid or binarisation and the scale and bias.
 */
public final class MemoryEncoder extends Sam2Block {

	private static final int DOWNSAMPLE_LAYERS = 4, DOWNSAMPLE_STRIDE = 2, FUSER_LAYERS = 2;

	private final int memDim;
	private final List<Conv2dLayer> downConvs = new ArrayList<>();
	private final List<LayerNormLayer> downNorms = new ArrayList<>();
	private final Conv2dLayer downOut;
	private final Conv2dLayer pixFeatProj;
	private final List<CxBlock> fuser = new ArrayList<>();
	private final Conv2dLayer outProj;

	public MemoryEncoder(final Sam2Config config) {
		final int d = config.dModel();
		this.memDim = config.memDim();
		int in = 1;
		for (int i = 0; i < DOWNSAMPLE_LAYERS; i++) {
			final int out = in * DOWNSAMPLE_STRIDE * DOWNSAMPLE_STRIDE;
			downConvs.add(child("mask_downsampler.encoder." + 3 * i, new Conv2dLayer(in, out, 3, DOWNSAMPLE_STRIDE, 1)));
			downNorms.add(child("mask_downsampler.encoder." + (3 * i + 1), new LayerNormLayer(out, 1e-6f)));
			in = out;
		}
		this.downOut = child("mask_downsampler.encoder." + 3 * DOWNSAMPLE_LAYERS, new Conv2dLayer(in, d, 1, 1, 0));
		this.pixFeatProj = child("pix_feat_proj", new Conv2dLayer(d, d, 1, 1, 0));
		for (int i = 0; i < FUSER_LAYERS; i++) fuser.add(child("fuser.layers." + i, new CxBlock(d)));
		this.outProj = child("out_proj", new Conv2dLayer(d, memDim, 1, 1, 0));
	}

	/**
	 * Encodes pixel features (B, d, h, w) with a mask (B, 1, 16h, 16w) already scaled and biased;
	 * returns the memory features (B, m, h, w) and their sine position encoding (B, m, h, w).
	 */
	public NDList encode(final ParameterStore store, final NDArray pixFeat, final NDArray mask, final boolean training) {
		NDArray m = mask;
		for (int i = 0; i < DOWNSAMPLE_LAYERS; i++)
			m = Activation.gelu(downNorms.get(i).applyChannelsFirst(store, downConvs.get(i).apply(store, m, training), training));
		m = downOut.apply(store, m, training);
		NDArray x = pixFeatProj.apply(store, pixFeat, training).add(m);
		for (final CxBlock block : fuser) x = block.apply(store, x, training);
		x = outProj.apply(store, x, training);
		final Shape s = x.getShape();
		final NDManager manager = x.getManager();
		NDArray pos = manager.create(PositionEmbeddingSine.encode(memDim, (int) s.get(2), (int) s.get(3)), new Shape(1, memDim, s.get(2), s.get(3)));
		if (s.get(0) > 1) pos = pos.repeat(0, s.get(0));
		return new NDList(x, pos);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return encode(store, inputs.get(0), inputs.get(1), training);
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape p = inputShapes[0];
		final Shape out = new Shape(p.get(0), memDim, p.get(2), p.get(3));
		return new Shape[] { out, out };
	}

	/** ConvNeXt block: depthwise conv, LayerNorm2d, pointwise MLP (GELU, 4x), layer scale, residual. */
	static final class CxBlock extends Sam2Block {
		private final Conv2dLayer dwconv;
		private final LayerNormLayer norm;
		private final LinearLayer pwconv1;
		private final LinearLayer pwconv2;
		private final Parameter gamma;

		CxBlock(final int dim) {
			this.gamma = constant("gamma", 1e-6f, dim);
			this.dwconv = child("dwconv", new Conv2dLayer(dim, dim, 7, 1, 3, dim));
			this.norm = child("norm", new LayerNormLayer(dim, 1e-6f));
			this.pwconv1 = child("pwconv1", new LinearLayer(dim, 4L * dim));
			this.pwconv2 = child("pwconv2", new LinearLayer(4L * dim, dim));
		}

		NDArray apply(final ParameterStore store, final NDArray input, final boolean training) {
			NDArray x = norm.applyChannelsFirst(store, dwconv.apply(store, input, training), training).transpose(0, 2, 3, 1);
			x = pwconv2.apply(store, Activation.gelu(pwconv1.apply(store, x, training)), training);
			// x * gamma rather than gamma * x: same values, and the product stays in the step's manager
			x = x.mul(value(store, gamma, x, training)).transpose(0, 3, 1, 2);
			return input.add(x);
		}

		@Override
		protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
			final PairList<String, Object> params)
		{
			return new NDList(apply(store, inputs.head(), training));
		}

		@Override
		public Shape[] getOutputShapes(final Shape[] inputShapes) {
			return new Shape[] { inputShapes[0] };
		}
	}
}
