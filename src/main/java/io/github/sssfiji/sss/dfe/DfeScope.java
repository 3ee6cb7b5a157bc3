package io.github.sssfiji.sss.dfe;

import java.util.Locale;

import io.github.sssfiji.InvalidInputException;

/**
 * Where the decoder of a network with DFE reads enhanced features. DFE is always trained on the
 * strong views (each against the other); the scope says whether the other branches and prediction
 * see enhanced features too.
 */
public enum DfeScope {

	/** Only the strong views: labelled slices, the teacher and prediction decode the encoder's own features. */
	STRONG,
	/** Every branch and prediction, a single view being its own reference ({@link Dfe#enhanceSelf}). */
	ALL;

	/** The name in configurations and model files: {@code strong} or {@code all}. */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The scope named {@code key}; {@code source} is named in the error for any other value. */
	public static DfeScope of(final String key, final String source) {
		for (final DfeScope scope : values())
			if (scope.key().equals(key)) return scope;
		throw new InvalidInputException(source + ": dfeScope '" + key + "' is not one of strong, all");
	}
}
