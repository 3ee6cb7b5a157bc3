package io.github.sssfiji.model.unet;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.nn.Ops;
import io.github.sssfiji.nn.Resize;

/**
 * UniMatch's U-Net {@code UpBlock} in its bilinear form (the one its decoder builds): a 1x1
 * convolution reduces the deeper features to the skip connection's channel count, bilinear
 * up-sampling by 2 with {@code align_corners=True} restores the skip's size, then
 * {@code ConvBlock(cat(skip, up))} without dropout. Tensors: {@code <name>.reduce},
 * {@code <name>.block}.
 */
public final class UpBlock {

	private final Conv2d reduce;
	private final ConvBlock block;

	private UpBlock(final Conv2d reduce, final ConvBlock block) {
		this.reduce = reduce;
		this.block = block;
	}

	/** Registers a new block joining {@code deepChannels} to a skip of {@code skipChannels}. */
	public static UpBlock create(final ModelState state, final String name, final int deepChannels,
		final int skipChannels, final int outChannels, final Random random)
	{
		final Conv2d reduce = Conv2d.create(state, name + ".reduce", deepChannels, skipChannels, 1, random);
		final ConvBlock block = ConvBlock.create(state, name + ".block", 2 * skipChannels, outChannels, 0, random);
		return new UpBlock(reduce, block);
	}

	/** Up-samples {@code deep} and merges it with {@code skip}, which has twice its height and width. */
	public NDArray forward(final NDArray deep, final NDArray skip, final boolean training) {
		final NDArray up = Resize.bilinear2xAlignCorners(reduce.forward(deep));
		return block.forward(Ops.concatChannels(skip, up), training);
	}
}
