package io.github.sssfiji.sss;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;

/** Creates {@link Backbone}s by kind, from a configuration or a model file's architecture record. */
public final class Backbones {

	private Backbones() {}

	/**
	 * A new backbone with weights drawn from {@code seed}: {@value UNetBackbone#KIND} or a SAM-2 kind
	 * ({@link Sam2Backbone#KINDS}; its architecture may name a {@code pretrained} SAM-2 model file), wrapped in a
	 * {@link DfeBackbone} when the record says {@code "dfe": true}.
	 *
	 * @param source named in error messages (a file or option)
	 * @throws InvalidInputException for an unknown kind or architecture
	 */
	public static Backbone create(final String kind, final JsonObject architecture, final NDManager parent, final long seed,
		final String source)
	{
		if (DfeBackbone.describes(architecture))
			return DfeBackbone.wrap(create(kind, DfeBackbone.innerArchitecture(architecture), parent, seed, source), parent, seed + 1);
		if (UNetBackbone.KIND.equals(kind)) return UNetBackbone.create(UNetBackbone.config(architecture, source), parent, seed);
		if (Sam2Backbone.KINDS.contains(kind)) return Sam2Backbone.create(kind, architecture, parent, seed, source);
		throw new InvalidInputException(source + ": backbone '" + kind + "' is not supported (available: " + UNetBackbone.KIND + ", " +
			String.join(", ", Sam2Backbone.KINDS) + ")");
	}
}
