package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.nn.Resize;

/**
 * The Hiera trunk of SAM 2 ({@code sam2.modeling.backbones.hieradet.Hiera}): a 7x7 stride-4 patch
 * embedding, a position embedding (background bicubically resized plus a tiled window embedding),
 * then the multi-scale blocks. Input NCHW image, output one NCHW feature map per stage, finest first.
 */
final class Hiera {

	private final Sam2Config config;
	private final Conv2d patchEmbed;
	private final NDArray posEmbed;
	private final NDArray posEmbedWindow;
	private final List<MultiScaleBlock> blocks = new ArrayList<>();
	private final int[] stageEnds;

	Hiera(final ModelState state, final Sam2Config config) {
		this.config = config;
		final int embed = config.embedDim();
		final int[] bkg = config.windowPosEmbedBkgSpatialSize();
		final int[] windows = config.windowSpec();
		// a module registers its own tensors before its submodules (the order random initialisation draws them in)
		this.posEmbed = state.addParameter("pos_embed", Sam2Init.shape(1, embed, bkg[0], bkg[1]), Sam2Init.constant(0f));
		this.posEmbedWindow = state.addParameter("pos_embed_window", Sam2Init.shape(1, embed, windows[0], windows[0]), Sam2Init.constant(0f));
		this.patchEmbed = Conv2d.create(state, "patch_embed.proj", 3, embed, 7, 4, 3, 1, Sam2Init.WEIGHT);
		final int[] stages = config.stages();
		stageEnds = new int[stages.length];
		for (int i = 0, sum = 0; i < stages.length; i++) {
			sum += stages[i];
			stageEnds[i] = sum - 1;
		}
		final int depth = config.depth();
		int dim = embed;
		int heads = config.numHeads();
		int stage = 1;
		for (int i = 0; i < depth; i++) {
			int dimOut = dim;
			// the first block of a stage still uses the previous stage's window (as in the official constructor)
			int window = windows[stage - 1];
			if (contains(config.globalAttBlocks(), i)) window = 0;
			if (contains(stageEnds, i - 1)) {
				dimOut = (int) (dim * config.dimMul());
				heads = (int) (heads * config.headMul());
				stage++;
			}
			final boolean pools = isQueryPoolBlock(i);
			blocks.add(new MultiScaleBlock(state.scope("blocks." + i), dim, dimOut, heads, config.mlpRatio(), pools ? config.qStride() : null, window));
			dim = dimOut;
		}
	}

	private boolean isQueryPoolBlock(final int block) {
		for (int s = 0; s < Math.min(config.qPool(), stageEnds.length - 1); s++)
			if (stageEnds[s] + 1 == block) return true;
		return false;
	}

	/**
	 * The per-stage outputs (B, C_s, H_s, W_s), in the manager of {@code image}. Each block runs in its
	 * own sub-manager and only its output is kept: DJL frees an intermediate only when its manager
	 * closes, so without this a 1024 x 1024 forward held every intermediate of all blocks (about 6 GB
	 * for Hiera-T). Autograd keeps what backward needs on its own, so training is unaffected.
	 */
	NDList forward(final NDArray image) {
		final NDManager outer = image.getManager();
		NDArray x;
		try (NDManager scope = outer.newSubManager()) {
			image.tempAttach(scope);
			final NDArray embedded = patchEmbed.forward(image).transpose(0, 2, 3, 1);
			x = embedded.add(positionEmbedding(embedded, outer));
			x.attach(outer);
		}
		final NDList outputs = new NDList();
		for (int i = 0; i < blocks.size(); i++) {
			final NDArray previous = x;
			try (NDManager scope = outer.newSubManager()) {
				previous.tempAttach(scope);
				x = blocks.get(i).forward(previous);
				x.attach(outer);
				if (contains(stageEnds, i)) {
					final NDArray stage = x.transpose(0, 3, 1, 2);
					stage.attach(outer);
					outputs.add(stage);
				}
			}
			// a block input that is no stage output is not needed any more
			if (i == 0 || !contains(stageEnds, i - 1)) previous.close();
		}
		return outputs;
	}

	/**
	 * (1, H, W, C): {@code interpolate(pos_embed, (H, W), bicubic)} plus {@code pos_embed_window} tiled
	 * over the grid. The results are attached to the manager of {@code like}, since their first operand
	 * is a long-lived parameter. The resize matrices go to {@code constants}, which must stay open until
	 * the backward pass: DJL backs an array made from Java values by a direct buffer that the tensor does
	 * not own, so once the array is closed and collected, backward reads freed memory (the gradient of
	 * {@code pos_embed} became NaN at random in training runs while the block's scope closed them).
	 */
	NDArray positionEmbedding(final NDArray like, final NDManager constants) {
		final long h = like.getShape().get(1), w = like.getShape().get(2);
		final NDArray background = posEmbed;
		final NDArray window = posEmbedWindow;
		final long wh = window.getShape().get(2), ww = window.getShape().get(3);
		if (h % wh != 0 || w % ww != 0)
			throw new IllegalArgumentException("feature grid " + h + "x" + w + " is not a multiple of the window embedding " + wh + "x" + ww);
		// DJL's interpolation(mode 3) is not torch's bicubic, so the resize is two matrix products
		// (exact torch weights, differentiable); the step's matrix comes first to own the result
		final NDManager step = constants;
		final long bh = background.getShape().get(2), bw = background.getShape().get(3);
		final NDArray rows = step.create(Resize.bicubicMatrix((int) bh, (int) h), new Shape(h, bh));
		final NDArray colsT = step.create(Resize.bicubicMatrix((int) bw, (int) w), new Shape(w, bw)).transpose();
		final NDArray resized = rows.matMul(background).matMul(colsT);
		final NDArray tiled = window.tile(new long[] { 1, 1, h / wh, w / ww });
		tiled.attach(like.getManager());
		return resized.add(tiled).transpose(0, 2, 3, 1);
	}

	private static boolean contains(final int[] values, final int v) {
		for (final int x : values) if (x == v) return true;
		return false;
	}
}
