package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.github.sssfiji.model.sam2.modeling.layers.Conv2dLayer;
import io.github.sssfiji.model.sam2.modeling.layers.LayerNormLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * SAM 2's {@code PromptEncoder}: random-Fourier position encoding of points (label embeddings added,
 * label -1 = padding point), a dense embedding from a low-resolution mask prompt (or the
 * {@code no_mask_embed} broadcast), and the dense position encoding of the embedding grid.
 * Boxes are passed as two points with labels 2 and 3, as the official predictors do.
 */
public final class PromptEncoder extends Sam2Block {

	private static final float TWO_PI = (float) (2 * Math.PI);
	private static final int MASK_IN_CHANS = 16;

	private final int embedDim;
	private final int imageSize;
	private final int embeddingSize;
	private final Parameter gaussian;
	private final Parameter[] pointEmbeddings = new Parameter[4];
	private final Parameter notAPoint;
	private final Conv2dLayer maskConv0;
	private final LayerNormLayer maskNorm1;
	private final Conv2dLayer maskConv3;
	private final LayerNormLayer maskNorm4;
	private final Conv2dLayer maskConv6;
	private final Parameter noMaskEmbed;

	public PromptEncoder(final Sam2Config config) {
		this.embedDim = config.dModel();
		this.imageSize = config.imageSize();
		this.embeddingSize = config.imageSize() / 16;
		// a buffer in PyTorch: loaded from the checkpoint, never trained
		this.gaussian = addParameter(Parameter.builder().setName("pe_layer.positional_encoding_gaussian_matrix")
			.setType(Parameter.Type.OTHER).optShape(new Shape(2, embedDim / 2)).optInitializer(new NormalInitializer(1f))
			.optRequiresGrad(false).build());
		for (int i = 0; i < 4; i++) pointEmbeddings[i] = weight("point_embeddings." + i + ".weight", 1, embedDim);
		this.notAPoint = weight("not_a_point_embed.weight", 1, embedDim);
		this.maskConv0 = child("mask_downscaling.0", new Conv2dLayer(1, MASK_IN_CHANS / 4, 2, 2, 0));
		this.maskNorm1 = child("mask_downscaling.1", new LayerNormLayer(MASK_IN_CHANS / 4, 1e-6f));
		this.maskConv3 = child("mask_downscaling.3", new Conv2dLayer(MASK_IN_CHANS / 4, MASK_IN_CHANS, 2, 2, 0));
		this.maskNorm4 = child("mask_downscaling.4", new LayerNormLayer(MASK_IN_CHANS, 1e-6f));
		this.maskConv6 = child("mask_downscaling.6", new Conv2dLayer(MASK_IN_CHANS, embedDim, 1, 1, 0));
		this.noMaskEmbed = weight("no_mask_embed.weight", 1, embedDim);
	}

	/**
	 * Sparse embeddings (B, N(+1), d) of points in model-input pixels (B, N, 2) with int labels
	 * (B, N). With {@code pad} a point (0, 0) with label -1 is appended, as the official encoder does
	 * when no separate box is given.
	 */
	public NDArray embedPoints(final ParameterStore store, final NDArray coords, final NDArray labels, final boolean pad,
		final boolean training)
	{
		final NDManager m = coords.getManager();
		NDArray points = coords.toType(DataType.FLOAT32, false).add(0.5f);
		NDArray lab = labels.toType(DataType.FLOAT32, false);
		if (pad) {
			final long b = points.getShape().get(0);
			points = points.concat(m.zeros(new Shape(b, 1, 2)), 1);
			lab = lab.concat(m.full(new Shape(b, 1), -1f), 1);
		}
		final NDArray pe = fourier(store, points.div(imageSize), training);
		final NDArray isPoint = lab.neq(-1f).toType(DataType.FLOAT32, false).expandDims(-1);
		NDArray out = pe.mul(isPoint);
		out = out.add(lab.eq(-1f).toType(DataType.FLOAT32, false).expandDims(-1).mul(value(store, notAPoint, out, training)));
		for (int k = 0; k < 4; k++)
			out = out.add(lab.eq(k).toType(DataType.FLOAT32, false).expandDims(-1).mul(value(store, pointEmbeddings[k], out, training)));
		return out;
	}

	/** Dense embedding (B, d, S/16, S/16) of a mask prompt given as (B, 1, S/4, S/4) logits. */
	public NDArray embedMask(final ParameterStore store, final NDArray mask, final boolean training) {
		NDArray x = maskConv0.apply(store, mask, training);
		x = Activation.gelu(maskNorm1.applyChannelsFirst(store, x, training));
		x = maskConv3.apply(store, x, training);
		x = Activation.gelu(maskNorm4.applyChannelsFirst(store, x, training));
		return maskConv6.apply(store, x, training);
	}

	/** The dense embedding without a mask prompt: {@code no_mask_embed} broadcast to (B, d, S/16, S/16). */
	public NDArray noMaskDense(final ParameterStore store, final NDManager manager, final long batch, final boolean training) {
		final NDArray zeros = manager.zeros(new Shape(batch, embedDim, embeddingSize, embeddingSize));
		final NDArray embed = value(store, noMaskEmbed, zeros, training).reshape(1, embedDim, 1, 1);
		embed.attach(manager); // a view of the parameter would otherwise live in the model's manager
		return zeros.add(embed);
	}

	/** {@code get_dense_pe()}: (1, d, S/16, S/16) encoding of the cell centres of the embedding grid. */
	public NDArray densePositionEncoding(final ParameterStore store, final NDManager manager, final boolean training) {
		final int h = embeddingSize, w = embeddingSize;
		final float[] grid = new float[h * w * 2];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				grid[(y * w + x) * 2] = (x + 0.5f) / w;
				grid[(y * w + x) * 2 + 1] = (y + 0.5f) / h;
			}
		final NDArray pe = fourier(store, manager.create(grid, new Shape(h, w, 2)), training);
		return pe.transpose(2, 0, 1).expandDims(0);
	}

	/** {@code _pe_encoding}: [sin, cos] of 2*pi * ((2c - 1) @ G) for coordinates normalised to [0, 1]. */
	private NDArray fourier(final ParameterStore store, final NDArray unit, final boolean training) {
		final NDArray projected = unit.mul(2f).sub(1f).matMul(value(store, gaussian, unit, training)).mul(TWO_PI);
		return NDArrays.concat(new NDList(projected.sin(), projected.cos()), -1);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return new NDList(embedPoints(store, inputs.get(0), inputs.get(1), true, training));
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape c = inputShapes[0];
		return new Shape[] { new Shape(c.get(0), c.get(1) + 1, embedDim) };
	}
}
