package io.github.sssfiji.sss.dfe;

import java.util.Locale;

import io.github.sssfiji.InvalidInputException;

/**
 * The form of DFE: ours (SSS design, section 3) or the authors' released one (section 7). The form is
 * part of a network's architecture record ({@code "dfeForm"}; a record without it is ours).
 */
public enum DfeForm {

	/**
	 * Per pixel: cosine similarity of the two views over the channels, a residual correction that starts
	 * at zero, so DFE starts as the identity ({@link OurDfe}). The default.
	 */
	OURS,
	/**
	 * The authors' released sketch: a 256-channel projection, a shared 3x3 alignment, one cosine
	 * similarity of the pooled views per sample weighting a per-pixel MLP of each view, and a projection
	 * back to the level's channels ({@link ReleasedDfe}). Does not start as the identity.
	 */
	RELEASED;

	/** The name in configurations and model files: {@code ours} or {@code released}. */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The form named {@code key}; {@code source} is named in the error for any other value. */
	public static DfeForm of(final String key, final String source) {
		for (final DfeForm form : values())
			if (form.key().equals(key)) return form;
		throw new InvalidInputException(source + ": dfeForm '" + key + "' is not one of ours, released");
	}
}
