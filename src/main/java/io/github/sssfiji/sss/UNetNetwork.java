package io.github.sssfiji.sss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.model.unet.UNet;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.nn.ModelState;

/**
 * The {@link Network} view of UniMatch's medical {@link UNet}: five feature levels, full resolution
 * first. With prompt channels ({@link UNetConfig#promptChannels()}) it reads prompts as
 * {@link PromptMaps}: the promptable U-Net of the SSS method.
 */
public final class UNetNetwork implements Network {

	/** The backbone's name in configurations and model files. */
	public static final String KIND = "unet";

	private final UNet net;

	private UNetNetwork(final UNet net) {
		this.net = net;
	}

	/** A new U-Net with weights drawn from {@code seed}. */
	public static UNetNetwork create(final UNetConfig config, final NDManager parent, final long seed) {
		return new UNetNetwork(UNet.create(config, parent, seed));
	}

	/** The wrapped network. */
	public UNet net() {
		return net;
	}

	@Override
	public String kind() {
		return KIND;
	}

	@Override
	public int classes() {
		return net.config().classes();
	}

	@Override
	public int inputChannels() {
		return net.config().inChannels();
	}

	@Override
	public int sizeMultiple() {
		return 1 << (UNetConfig.LEVELS - 1);
	}

	@Override
	public int[] featureChannels() {
		final int[] channels = new int[UNetConfig.LEVELS];
		for (int level = 0; level < channels.length; level++)
			channels[level] = net.config().channels(level);
		return channels;
	}

	@Override
	public NDList encode(final NDArray x, final boolean training) {
		return net.encode(x, training);
	}

	@Override
	public NDArray decode(final NDList features, final boolean training) {
		return net.decode(features, training);
	}

	@Override
	public boolean usesPrompts() {
		return net.config().promptChannels() > 0;
	}

	/**
	 * Class logits with prompts: their {@link PromptMaps}, averaged down to each feature level, are
	 * projected and added to the features (see {@link UNet#decode(NDList, NDList, boolean)}).
	 */
	@Override
	public NDArray decode(final NDList features, final SlicePrompts prompts, final boolean training) {
		if (prompts == null || !usesPrompts()) return decode(features, training);
		final NDArray full = features.get(0);
		return net.decode(features, PromptMaps.pyramid(prompts, (int) full.getShape().get(2), UNetConfig.LEVELS, full.getManager()), training);
	}

	@Override
	public ModelState state() {
		return net.state();
	}

	@Override
	public JsonObject architecture() {
		final UNetConfig c = net.config();
		final JsonObject json = new JsonObject();
		json.addProperty("inChannels", c.inChannels());
		json.addProperty("classes", c.classes());
		final JsonArray channels = new JsonArray(), dropout = new JsonArray();
		for (int level = 0; level < UNetConfig.LEVELS; level++) {
			channels.add(c.channels(level));
			dropout.add(c.dropout(level));
		}
		json.add("channels", channels);
		json.add("dropout", dropout);
		// absent for a U-Net without prompts, so that its model files stay as they were
		if (c.promptChannels() > 0) json.addProperty("promptChannels", c.promptChannels());
		return json;
	}

	/**
	 * The configuration written by {@link #architecture()}.
	 *
	 * @param source named in error messages
	 */
	public static UNetConfig config(final JsonObject json, final String source) {
		try {
			final JsonArray channels = json.getAsJsonArray("channels"), dropout = json.getAsJsonArray("dropout");
			final int[] c = new int[channels.size()];
			final double[] d = new double[dropout.size()];
			for (int i = 0; i < c.length; i++)
				c[i] = channels.get(i).getAsInt();
			for (int i = 0; i < d.length; i++)
				d[i] = dropout.get(i).getAsDouble();
			return new UNetConfig(json.get("inChannels").getAsInt(), json.get("classes").getAsInt(), c, d,
				json.has("promptChannels") ? json.get("promptChannels").getAsInt() : 0);
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(source + ": invalid U-Net architecture " + json + " (" + e.getMessage() + ")", e);
		}
	}

	@Override
	public Network newInstance(final NDManager parent, final long seed) {
		return create(net.config(), parent, seed);
	}

	@Override
	public void close() {
		net.close();
	}
}
