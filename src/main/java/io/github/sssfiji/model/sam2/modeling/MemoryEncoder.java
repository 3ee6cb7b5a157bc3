package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.LayerNorm;
import io.github.sssfiji.nn.Linear;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM 2's {@code MemoryEncoder} with the configuration of every v1 model: a mask downsampler (four
 * conv 3x3 stride 2 + LayerNorm2d + GELU stages, 1 to 256 channels, then a 1x1 conv to d), the
 * projected pixel features added, two ConvNeXt blocks ({@code CXBlock}, depthwise 7x7, layer scale)
 * and a 1x1 projection to the memory width. The mask input is taken as given
 * ({@code skip_mask_sigmoid=True}): the caller applies sigmoid or binarisation and the scale and bias.
 */
public final class MemoryEncoder {

	private static final int DOWNSAMPLE_LAYERS = 4, DOWNSAMPLE_STRIDE = 2, FUSER_LAYERS = 2;

	private final int memDim;
	private final List<Conv2d> downConvs = new ArrayList<>();
	private final List<LayerNorm> downNorms = new ArrayList<>();
	private final Conv2d downOut;
	private final Conv2d pixFeatProj;
	private final List<CxBlock> fuser = new ArrayList<>();
	private final Conv2d outProj;

	MemoryEncoder(final ModelState state, final Sam2Config config) {
		final int d = config.dModel();
		this.memDim = config.memDim();
		int in = 1;
		for (int i = 0; i < DOWNSAMPLE_LAYERS; i++) {
			final int out = in * DOWNSAMPLE_STRIDE * DOWNSAMPLE_STRIDE;
			downConvs.add(Conv2d.create(state, "mask_downsampler.encoder." + 3 * i, in, out, 3, DOWNSAMPLE_STRIDE, 1, 1, Sam2Init.WEIGHT));
			downNorms.add(LayerNorm.create(state, "mask_downsampler.encoder." + (3 * i + 1), out, 1e-6f));
			in = out;
		}
		this.downOut = Conv2d.create(state, "mask_downsampler.encoder." + 3 * DOWNSAMPLE_LAYERS, in, d, 1, 1, 0, 1, Sam2Init.WEIGHT);
		this.pixFeatProj = Conv2d.create(state, "pix_feat_proj", d, d, 1, 1, 0, 1, Sam2Init.WEIGHT);
		for (int i = 0; i < FUSER_LAYERS; i++) fuser.add(new CxBlock(state.scope("fuser.layers." + i), d));
		this.outProj = Conv2d.create(state, "out_proj", d, memDim, 1, 1, 0, 1, Sam2Init.WEIGHT);
	}

	/**
	 * Encodes pixel features (B, d, h, w) with a mask (B, 1, 16h, 16w) already scaled and biased;
	 * returns the memory features (B, m, h, w) and their sine position encoding (B, m, h, w).
	 */
	public NDList encode(final NDArray pixFeat, final NDArray mask) {
		NDArray m = mask;
		for (int i = 0; i < DOWNSAMPLE_LAYERS; i++)
			m = Activation.gelu(downNorms.get(i).forwardChannelsFirst(downConvs.get(i).forward(m)));
		m = downOut.forward(m);
		NDArray x = pixFeatProj.forward(pixFeat).add(m);
		for (final CxBlock block : fuser) x = block.forward(x);
		x = outProj.forward(x);
		final Shape s = x.getShape();
		final NDManager manager = x.getManager();
		NDArray pos = manager.create(PositionEmbeddingSine.encode(memDim, (int) s.get(2), (int) s.get(3)), new Shape(1, memDim, s.get(2), s.get(3)));
		if (s.get(0) > 1) pos = pos.repeat(0, s.get(0));
		return new NDList(x, pos);
	}

	/** ConvNeXt block: depthwise conv, LayerNorm2d, pointwise MLP (GELU, 4x), layer scale, residual. */
	static final class CxBlock {
		private final Conv2d dwconv;
		private final LayerNorm norm;
		private final Linear pwconv1;
		private final Linear pwconv2;
		private final NDArray gamma;

		CxBlock(final ModelState state, final int dim) {
			this.gamma = state.addParameter("gamma", Sam2Init.shape(dim), Sam2Init.constant(1e-6f));
			this.dwconv = Conv2d.create(state, "dwconv", dim, dim, 7, 1, 3, dim, Sam2Init.WEIGHT);
			this.norm = LayerNorm.create(state, "norm", dim, 1e-6f);
			this.pwconv1 = Linear.create(state, "pwconv1", dim, 4L * dim, true, Sam2Init.WEIGHT);
			this.pwconv2 = Linear.create(state, "pwconv2", 4L * dim, dim, true, Sam2Init.WEIGHT);
		}

		NDArray forward(final NDArray input) {
			NDArray x = norm.forwardChannelsFirst(dwconv.forward(input)).transpose(0, 2, 3, 1);
			x = pwconv2.forward(Activation.gelu(pwconv1.forward(x)));
			// x * gamma rather than gamma * x: same values, and the product stays in the step's manager
			x = x.mul(gamma).transpose(0, 3, 1, 2);
			return input.add(x);
		}
	}
}
