package io.github.sssfiji.sss;

import java.nio.file.Path;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.dfe.DfeForm;
import io.github.sssfiji.sss.dfe.DfeScope;

/**
 * The one factory of SSS networks: a new network from what a training run asks for ({@link Spec}),
 * or the network a model file's architecture record describes. DFE, when asked for, wraps the
 * backbone here and nowhere else ({@link DfeNetwork}).
 */
public final class Networks {

	private Networks() {}

	/**
	 * What a training run asks for.
	 *
	 * @param kind {@value UNetNetwork#KIND} or a SAM-2 kind ({@link Sam2Network#KINDS})
	 * @param classes output classes, background included
	 * @param size the training crop (SAM-2's input size)
	 * @param pretrained an imported SAM-2 model file to start from, or {@code null}
	 * @param memory SAM-2 decodes runs of slices with its memory
	 * @param memoryBank which memories a slice attends to (SAM-2 with memory; {@link MemoryBank#RECENT} otherwise)
	 * @param dfe DFE's scope, or {@code null} for a network without DFE
	 * @param dfeForm DFE's form (read only with DFE)
	 * @param dfeLevels the deepest levels DFE acts on, {@link io.github.sssfiji.sss.dfe.Dfe#ALL_LEVELS} for all (read only with DFE)
	 * @param prompts the U-Net reads prompts ({@link PromptMaps}); SAM-2 always does
	 */
	public record Spec(String kind, int classes, int size, Path pretrained, boolean memory, MemoryBank memoryBank, DfeScope dfe, DfeForm dfeForm, int dfeLevels, boolean prompts) {}

	/**
	 * A new network for {@code spec}, weights drawn from {@code seed} (DFE's from {@code seed + 1}).
	 *
	 * @throws InvalidInputException for an unknown kind
	 */
	public static Network create(final Spec spec, final NDManager parent, final long seed) {
		final Network net;
		if (UNetNetwork.KIND.equals(spec.kind()))
			net = UNetNetwork.create(UNetConfig.uniMatch(1, spec.classes()).withPromptChannels(spec.prompts() ? PromptMaps.channels(spec.classes()) : 0), parent,
				seed);
		else if (Sam2Network.KINDS.contains(spec.kind()))
			net = Sam2Network.create(spec.kind(), spec.classes(), spec.size(), spec.pretrained(), spec.memory(), spec.memoryBank(), parent, seed);
		else throw unknown(spec.kind(), "backbone");
		return spec.dfe() == null ? net : DfeNetwork.wrap(net, spec.dfe(), spec.dfeForm(), spec.dfeLevels(), seed + 1);
	}

	/**
	 * The network a model file's architecture record describes, with weights drawn from {@code seed}
	 * (the file's weights are loaded over them), wrapped in a {@link DfeNetwork} when the record says
	 * {@code "dfe": true}.
	 *
	 * @param source named in error messages (a file or option)
	 * @throws InvalidInputException for an unknown kind or architecture
	 */
	public static Network create(final String kind, final JsonObject architecture, final NDManager parent, final long seed,
		final String source)
	{
		if (DfeNetwork.describes(architecture))
			return DfeNetwork.wrap(create(kind, DfeNetwork.innerArchitecture(architecture), parent, seed, source),
				DfeNetwork.scope(architecture, source), DfeNetwork.form(architecture, source), DfeNetwork.levels(architecture, source), seed + 1);
		if (UNetNetwork.KIND.equals(kind)) return UNetNetwork.create(UNetNetwork.config(architecture, source), parent, seed);
		if (Sam2Network.KINDS.contains(kind)) return Sam2Network.create(kind, architecture, parent, seed, source);
		throw unknown(kind, source);
	}

	private static InvalidInputException unknown(final String kind, final String source) {
		return new InvalidInputException(source + ": backbone '" + kind + "' is not supported (available: " + UNetNetwork.KIND + ", " +
			String.join(", ", Sam2Network.KINDS) + ")");
	}
}
