package io.github.sssfiji.model.unet;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.nn.Ops;

/**
 * UniMatch's medical (ACDC) U-Net on DJL: a five-level encoder of {@link ConvBlock}s with 2x2 max
 * pooling between levels, and a decoder of four bilinear {@link UpBlock}s and a 3x3 output
 * convolution.
 * <p>
 * It follows the backbone contract of the SSS design: {@link #encode} returns the multi-scale
 * features (the five encoder levels, full resolution first), {@link #decode} turns such features
 * into class logits. Between the two the trainer may perturb the features (UniMatch's feature
 * perturbation, complementary channel dropout: see {@link FeaturePerturbation}).
 * </p>
 * <p>
 * Tensor names: {@code encoder.level<k>.{conv1,norm1,conv2,norm2}.*} for k = 0..4,
 * {@code decoder.up<k>.reduce.*} and {@code decoder.up<k>.block.{conv1,norm1,conv2,norm2}.*} for
 * k = 1..4 (up1 is the deepest), {@code decoder.head.*}, and for a U-Net that reads prompts
 * {@code prompt.level<k>.weight}. {@link UniMatchNames} maps UniMatch's
 * PyTorch state-dict keys to these.
 * </p>
 * <p>
 * Height and width of the input must be divisible by 16. Every result of {@code encode} and
 * {@code decode} belongs to the manager of the input array, so a per-step sub-manager frees them.
 * </p>
 */
public final class UNet implements AutoCloseable {

	private final UNetConfig config;
	private final ModelState state;
	private final ConvBlock[] encoder = new ConvBlock[UNetConfig.LEVELS];
	private final UpBlock[] decoder = new UpBlock[UNetConfig.LEVELS - 1];
	private final Conv2d head;
	/** Per level, the projection of the prompt maps added to its features; empty without prompts. */
	private final Conv2d[] prompt;

	private UNet(final UNetConfig config, final NDManager parent, final long seed) {
		this.config = config;
		this.state = new ModelState(parent);
		final Random random = new Random(seed);
		for (int level = 0; level < UNetConfig.LEVELS; level++) {
			final int in = level == 0 ? config.inChannels() : config.channels(level - 1);
			encoder[level] = ConvBlock.create(state, "encoder.level" + level, in, config.channels(level),
				config.dropout(level), random);
		}
		for (int up = 1; up < UNetConfig.LEVELS; up++) {
			final int deepLevel = UNetConfig.LEVELS - up;
			final int skip = config.channels(deepLevel - 1);
			decoder[up - 1] = UpBlock.create(state, "decoder.up" + up, config.channels(deepLevel), skip, skip, random);
		}
		head = Conv2d.create(state, "decoder.head", config.channels(0), config.classes(), 3, random);
		// after every random draw, so that the other weights do not depend on whether the network reads prompts
		prompt = new Conv2d[config.promptChannels() > 0 ? UNetConfig.LEVELS : 0];
		for (int level = 0; level < prompt.length; level++)
			// zero and without bias: the network starts as the one without prompts, and an absent prompt (zero maps) adds nothing
			prompt[level] = Conv2d.of(state.addParameter("prompt.level" + level + ".weight", new float[config.channels(level) * config.promptChannels()],
				new Shape(config.channels(level), config.promptChannels(), 1, 1)), null, 1, 0, 1);
	}

	/**
	 * A new network with PyTorch-default initialisation drawn from {@code seed}; its tensors live in
	 * a sub-manager of {@code parent}.
	 */
	public static UNet create(final UNetConfig config, final NDManager parent, final long seed) {
		return new UNet(config, parent, seed);
	}

	public UNetConfig config() {
		return config;
	}

	/** The network's named parameters and buffers. */
	public ModelState state() {
		return state;
	}

	/**
	 * The encoder features of {@code x} (batch, inChannels, height, width): five arrays, level k of
	 * shape (batch, channels(k), height / 2^k, width / 2^k).
	 *
	 * @param training batch statistics (updating the running ones) and dropout when true
	 * @throws InvalidInputException if the input's rank, channels or size do not fit
	 */
	public NDList encode(final NDArray x, final boolean training) {
		checkInput(x);
		final NDList features = new NDList(UNetConfig.LEVELS);
		NDArray level = encoder[0].forward(x, training);
		features.add(level);
		for (int k = 1; k < UNetConfig.LEVELS; k++) {
			level = encoder[k].forward(Ops.maxPool2(level), training);
			features.add(level);
		}
		return features;
	}

	/**
	 * Class logits (batch, classes, height, width) from the five encoder levels of {@link #encode}
	 * (possibly perturbed).
	 *
	 * @throws IllegalArgumentException if there are not five feature arrays
	 */
	public NDArray decode(final NDList features, final boolean training) {
		return decode(features, null, training);
	}

	/**
	 * Class logits from the five encoder levels with prompts: {@code prompts} holds, per level, the
	 * prompt maps (batch, promptChannels, height / 2^k, width / 2^k), each projected by a 1x1
	 * convolution and added to the level's features; {@code null} decodes without prompts, as does a
	 * U-Net without prompt channels.
	 *
	 * @throws IllegalArgumentException if there are not five feature arrays or prompt levels
	 */
	public NDArray decode(final NDList features, final NDList prompts, final boolean training) {
		if (features.size() != UNetConfig.LEVELS)
			throw new IllegalArgumentException("decode needs " + UNetConfig.LEVELS + " feature levels, got " + features.size());
		NDList levels = features;
		if (prompts != null && prompt.length > 0) {
			if (prompts.size() != UNetConfig.LEVELS)
				throw new IllegalArgumentException("decode needs " + UNetConfig.LEVELS + " prompt levels, got " + prompts.size());
			levels = new NDList(UNetConfig.LEVELS);
			for (int k = 0; k < UNetConfig.LEVELS; k++)
				levels.add(features.get(k).add(prompt[k].forward(prompts.get(k))));
		}
		NDArray x = levels.get(UNetConfig.LEVELS - 1);
		for (int up = 1; up < UNetConfig.LEVELS; up++)
			x = decoder[up - 1].forward(x, levels.get(UNetConfig.LEVELS - 1 - up), training);
		return head.forward(x);
	}

	/** {@code decode(encode(x))}. */
	public NDArray forward(final NDArray x, final boolean training) {
		return decode(encode(x, training), training);
	}

	/** Frees every tensor of the network. */
	@Override
	public void close() {
		state.close();
	}

	private void checkInput(final NDArray x) {
		final long[] shape = x.getShape().getShape();
		if (shape.length != 4)
			throw new InvalidInputException("U-Net input must be (batch, channels, height, width), got shape " + x.getShape());
		if (shape[1] != config.inChannels())
			throw new InvalidInputException("U-Net input has " + shape[1] + " channels, the network expects " + config.inChannels());
		final int factor = 1 << (UNetConfig.LEVELS - 1);
		if (shape[2] % factor != 0 || shape[3] % factor != 0)
			throw new InvalidInputException("U-Net input height and width must be multiples of " + factor + ", got " +
				shape[2] + " x " + shape[3]);
	}
}
