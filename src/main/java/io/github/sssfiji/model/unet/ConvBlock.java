package io.github.sssfiji.model.unet;

import java.util.Random;

import ai.djl.ndarray.NDArray;

/**
 * UniMatch's (and SSL4MIS's) U-Net {@code ConvBlock}: conv3x3, batch norm, LeakyReLU, dropout,
 * conv3x3, batch norm, LeakyReLU. Tensors are named {@code <name>.conv1}, {@code <name>.norm1},
 * {@code <name>.conv2}, {@code <name>.norm2}.
 */
public final class ConvBlock {

	private final Conv2dLayer conv1;
	private final BatchNorm2dLayer norm1;
	private final double dropout;
	private final Conv2dLayer conv2;
	private final BatchNorm2dLayer norm2;

	private ConvBlock(final Conv2dLayer conv1, final BatchNorm2dLayer norm1, final double dropout,
		final Conv2dLayer conv2, final BatchNorm2dLayer norm2)
	{
		this.conv1 = conv1;
		this.norm1 = norm1;
		this.dropout = dropout;
		this.conv2 = conv2;
		this.norm2 = norm2;
	}

	/** Registers a new block; {@code dropout} is the element-wise dropout probability between the convolutions. */
	public static ConvBlock create(final ModelState state, final String name, final int inChannels,
		final int outChannels, final double dropout, final Random random)
	{
		if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException(name + ": dropout must be in [0, 1), got " + dropout);
		return new ConvBlock(
			Conv2dLayer.create(state, name + ".conv1", inChannels, outChannels, 3, random),
			BatchNorm2dLayer.create(state, name + ".norm1", outChannels),
			dropout,
			Conv2dLayer.create(state, name + ".conv2", outChannels, outChannels, 3, random),
			BatchNorm2dLayer.create(state, name + ".norm2", outChannels));
	}

	/** Applies the block; dropout and batch statistics only in training. */
	public NDArray forward(final NDArray x, final boolean training) {
		NDArray y = TorchOps.leakyRelu(norm1.forward(conv1.forward(x), training));
		y = TorchOps.dropout(y, dropout, training);
		return TorchOps.leakyRelu(norm2.forward(conv2.forward(y), training));
	}
}
