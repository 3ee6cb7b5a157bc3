package io.github.sssfiji.model.sam2.modeling.layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * The dotted PyTorch names of a block tree's parameters. DJL stores the i-th child under
 * {@code String.format("%02d%s", i, name)}; the prefix is removed again here, so a block built with
 * official child names yields keys such as {@code image_encoder.trunk.blocks.0.attn.qkv.weight}.
 */
public final class ParameterNames {

	private ParameterNames() {}

	/** Every parameter of {@code root} under its dotted name, in registration order. */
	public static Map<String, Parameter> collect(final Block root) {
		final Map<String, Parameter> out = new LinkedHashMap<>();
		collect(root, "", out);
		return out;
	}

	private static void collect(final Block block, final String prefix, final Map<String, Parameter> out) {
		for (final Pair<String, Parameter> p : block.getDirectParameters()) out.put(prefix + p.getKey(), p.getValue());
		final List<String> keys = block.getChildren().keys();
		final List<Block> children = block.getChildren().values();
		for (int i = 0; i < children.size(); i++) {
			final String stored = keys.get(i);
			final String index = String.format(Locale.ROOT, "%02d", i + 1);
			final String name = stored.startsWith(index) ? stored.substring(index.length()) : stored;
			collect(children.get(i), prefix + name + ".", out);
		}
	}
}
