package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.initializer.NormalInitializer;
import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.LayerNorm;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM 2's {@code PromptEncoder}: random-Fourier position encoding of points (label embeddings added,
 * label -1 = padding point), a dense embedding from a low-resolution mask prompt (or the
 * {@code no_mask_embed} broadcast), and the dense position encoding of the embedding grid.
 * Boxes are passed as two points with labels 2 and 3, as the official predictors do.
 */
public final class PromptEncoder {

	private static final float TWO_PI = (float) (2 * Math.PI);
	private static final int MASK_IN_CHANS = 16;

	private final int embedDim;
	private final int imageSize;
	private final int embeddingSize;
	private final NDArray gaussian;
	private final NDArray[] pointEmbeddings = new NDArray[4];
	private final NDArray notAPoint;
	private final Conv2d maskConv0;
	private final LayerNorm maskNorm1;
	private final Conv2d maskConv3;
	private final LayerNorm maskNorm4;
	private final Conv2d maskConv6;
	private final NDArray noMaskEmbed;

	PromptEncoder(final ModelState state, final Sam2Config config) {
		this.embedDim = config.dModel();
		this.imageSize = config.imageSize();
		this.embeddingSize = config.imageSize() / 16;
		// a buffer in PyTorch: loaded from the checkpoint, never trained
		this.gaussian = state.addBuffer("pe_layer.positional_encoding_gaussian_matrix", Sam2Init.shape(2, embedDim / 2), new NormalInitializer(1f));
		for (int i = 0; i < 4; i++)
			pointEmbeddings[i] = state.addParameter("point_embeddings." + i + ".weight", Sam2Init.shape(1, embedDim), Sam2Init.WEIGHT);
		this.notAPoint = state.addParameter("not_a_point_embed.weight", Sam2Init.shape(1, embedDim), Sam2Init.WEIGHT);
		this.noMaskEmbed = state.addParameter("no_mask_embed.weight", Sam2Init.shape(1, embedDim), Sam2Init.WEIGHT);
		this.maskConv0 = Conv2d.create(state, "mask_downscaling.0", 1, MASK_IN_CHANS / 4, 2, 2, 0, 1, Sam2Init.WEIGHT);
		this.maskNorm1 = LayerNorm.create(state, "mask_downscaling.1", MASK_IN_CHANS / 4, 1e-6f);
		this.maskConv3 = Conv2d.create(state, "mask_downscaling.3", MASK_IN_CHANS / 4, MASK_IN_CHANS, 2, 2, 0, 1, Sam2Init.WEIGHT);
		this.maskNorm4 = LayerNorm.create(state, "mask_downscaling.4", MASK_IN_CHANS, 1e-6f);
		this.maskConv6 = Conv2d.create(state, "mask_downscaling.6", MASK_IN_CHANS, embedDim, 1, 1, 0, 1, Sam2Init.WEIGHT);
	}

	/**
	 * Sparse embeddings (B, N(+1), d) of points in model-input pixels (B, N, 2) with int labels
	 * (B, N). With {@code pad} a point (0, 0) with label -1 is appended, as the official encoder does
	 * when no separate box is given.
	 */
	public NDArray embedPoints(final NDArray coords, final NDArray labels, final boolean pad)
	{
		final NDManager m = coords.getManager();
		NDArray points = coords.toType(DataType.FLOAT32, false).add(0.5f);
		NDArray lab = labels.toType(DataType.FLOAT32, false);
		if (pad) {
			final long b = points.getShape().get(0);
			points = points.concat(m.zeros(new Shape(b, 1, 2)), 1);
			lab = lab.concat(m.full(new Shape(b, 1), -1f), 1);
		}
		final NDArray pe = fourier(points.div(imageSize));
		final NDArray isPoint = lab.neq(-1f).toType(DataType.FLOAT32, false).expandDims(-1);
		NDArray out = pe.mul(isPoint);
		out = out.add(lab.eq(-1f).toType(DataType.FLOAT32, false).expandDims(-1).mul(notAPoint));
		for (int k = 0; k < 4; k++)
			out = out.add(lab.eq(k).toType(DataType.FLOAT32, false).expandDims(-1).mul(pointEmbeddings[k]));
		return out;
	}

	/** Dense embedding (B, d, S/16, S/16) of a mask prompt given as (B, 1, S/4, S/4) logits. */
	public NDArray embedMask(final NDArray mask) {
		NDArray x = maskConv0.forward(mask);
		x = Activation.gelu(maskNorm1.forwardChannelsFirst(x));
		x = maskConv3.forward(x);
		x = Activation.gelu(maskNorm4.forwardChannelsFirst(x));
		return maskConv6.forward(x);
	}

	/** The dense embedding without a mask prompt: {@code no_mask_embed} broadcast to (B, d, S/16, S/16). */
	public NDArray noMaskDense(final NDManager manager, final long batch) {
		final NDArray zeros = manager.zeros(new Shape(batch, embedDim, embeddingSize, embeddingSize));
		final NDArray embed = noMaskEmbed.reshape(1, embedDim, 1, 1);
		embed.attach(manager); // a view of the parameter would otherwise live in the model's manager
		return zeros.add(embed);
	}

	/** {@code get_dense_pe()}: (1, d, S/16, S/16) encoding of the cell centres of the embedding grid. */
	public NDArray densePositionEncoding(final NDManager manager) {
		final int h = embeddingSize, w = embeddingSize;
		final float[] grid = new float[h * w * 2];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				grid[(y * w + x) * 2] = (x + 0.5f) / w;
				grid[(y * w + x) * 2 + 1] = (y + 0.5f) / h;
			}
		final NDArray pe = fourier(manager.create(grid, new Shape(h, w, 2)));
		return pe.transpose(2, 0, 1).expandDims(0);
	}

	/** {@code _pe_encoding}: [sin, cos] of 2*pi * ((2c - 1) @ G) for coordinates normalised to [0, 1]. */
	private NDArray fourier(final NDArray unit) {
		final NDArray projected = unit.mul(2f).sub(1f).matMul(gaussian).mul(TWO_PI);
		return NDArrays.concat(new NDList(projected.sin(), projected.cos()), -1);
	}
}
