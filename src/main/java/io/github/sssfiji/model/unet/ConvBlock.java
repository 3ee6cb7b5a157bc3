package io.github.sssfiji.model.unet;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import io.github.sssfiji.nn.BatchNorm2d;
import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.nn.Ops;

/**
 * UniMatch's (and SSL4MIS's) U-Net {@code ConvBlock}: conv3x3, batch norm, LeakyReLU, dropout,
 * conv3x3, batch norm, LeakyReLU. Tensors are named {@code <name>.conv1}, {@code <name>.norm1},
 * {@code <name>.conv2}, {@code <name>.norm2}.
 */
public final class ConvBlock {

	private final Conv2d conv1;
	private final BatchNorm2d norm1;
	private final double dropout;
	private final Conv2d conv2;
	private final BatchNorm2d norm2;

	private ConvBlock(final Conv2d conv1, final BatchNorm2d norm1, final double dropout,
		final Conv2d conv2, final BatchNorm2d norm2)
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
			Conv2d.create(state, name + ".conv1", inChannels, outChannels, 3, random),
			BatchNorm2d.create(state, name + ".norm1", outChannels),
			dropout,
			Conv2d.create(state, name + ".conv2", outChannels, outChannels, 3, random),
			BatchNorm2d.create(state, name + ".norm2", outChannels));
	}

	/** Applies the block; dropout and batch statistics only in training. */
	public NDArray forward(final NDArray x, final boolean training) {
		NDArray y = Ops.leakyRelu(norm1.forward(conv1.forward(x), training));
		y = Ops.dropout(y, dropout, training);
		return Ops.leakyRelu(norm2.forward(conv2.forward(y), training));
	}
}
