package io.github.sssfiji.model.unet;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the state-dict keys of UniMatch's PyTorch {@code UNet} (more-scenarios/medical/model/unet.py)
 * to the tensor names of {@link UNet}, so that a checkpoint trained with UniMatch can be imported.
 * <p>
 * UniMatch's {@code ConvBlock} is an {@code nn.Sequential} whose entries 0, 1, 4, 5 are conv, norm,
 * conv, norm (2 and 3 are the activation and dropout, without tensors).
 * </p>
 */
public final class UniMatchNames {

	private static final Pattern CONV_BLOCK_ENTRY = Pattern.compile("conv_conv\\.([0-9]+)\\.(.+)");
	private static final Pattern IN_CONV = Pattern.compile("encoder\\.in_conv\\.(.+)");
	private static final Pattern DOWN = Pattern.compile("encoder\\.down([1-4])\\.maxpool_conv\\.1\\.(.+)");
	private static final Pattern UP_REDUCE = Pattern.compile("decoder\\.up([1-4])\\.conv1x1\\.(.+)");
	private static final Pattern UP_BLOCK = Pattern.compile("decoder\\.up([1-4])\\.conv\\.(.+)");
	private static final Pattern OUT_CONV = Pattern.compile("decoder\\.out_conv\\.(.+)");

	private UniMatchNames() {}

	/**
	 * Our name for a UniMatch key, or {@code null} for tensors we do not keep
	 * ({@code num_batches_tracked}). A {@code module.} prefix (distributed training) is ignored.
	 *
	 * @throws IllegalArgumentException for a key that is not part of UniMatch's U-Net
	 */
	public static String toUNetName(final String uniMatchKey) {
		final String key = uniMatchKey.startsWith("module.") ? uniMatchKey.substring("module.".length()) : uniMatchKey;
		if (key.endsWith(".num_batches_tracked")) return null;
		Matcher m = IN_CONV.matcher(key);
		if (m.matches()) return convBlock("encoder.level0", m.group(1), uniMatchKey);
		m = DOWN.matcher(key);
		if (m.matches()) return convBlock("encoder.level" + m.group(1), m.group(2), uniMatchKey);
		m = UP_REDUCE.matcher(key);
		if (m.matches()) return "decoder.up" + m.group(1) + ".reduce." + m.group(2);
		m = UP_BLOCK.matcher(key);
		if (m.matches()) return convBlock("decoder.up" + m.group(1) + ".block", m.group(2), uniMatchKey);
		m = OUT_CONV.matcher(key);
		if (m.matches()) return "decoder.head." + m.group(1);
		throw new IllegalArgumentException("not a key of UniMatch's U-Net: " + uniMatchKey);
	}

	private static String convBlock(final String prefix, final String rest, final String original) {
		final Matcher m = CONV_BLOCK_ENTRY.matcher(rest);
		if (!m.matches()) throw new IllegalArgumentException("not a key of UniMatch's U-Net: " + original);
		final String layer;
		switch (m.group(1)) {
			case "0": layer = "conv1"; break;
			case "1": layer = "norm1"; break;
			case "4": layer = "conv2"; break;
			case "5": layer = "norm2"; break;
			default: throw new IllegalArgumentException("not a key of UniMatch's U-Net: " + original);
		}
		return prefix + "." + layer + "." + m.group(2);
	}
}
