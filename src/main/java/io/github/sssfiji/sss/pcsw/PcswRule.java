package io.github.sssfiji.sss.pcsw;

import java.util.Arrays;
import java.util.Locale;

import io.github.sssfiji.InvalidInputException;

/**
 * Which rule PCSW applies to a volume's pseudo-masks (SSS-DESIGN.md, sections 5 and 7). The word of a rule (its
 * name in lower case) is its value in the CLI ({@code --rule}), the macro key {@code rule} and the training key
 * {@code pcswRule}.
 */
public enum PcswRule {

	/**
	 * Ours (section 5, the default): per-slice components linked along z under physical constraints, judged with a
	 * sliding window, chains by depth-first search; unsupported components are rejected; prompts every
	 * {@code promptFrequency} slices of each kept chain.
	 */
	CHAINS,
	/**
	 * The authors' released rule (section 7): per class, the first window whose largest 3-D component holds at least
	 * {@link Pcsw#CONTINUITY_THRESHOLD} of its foreground gives one prompted slice; nothing is rejected. See
	 * {@link ContinuityRule}.
	 */
	CONTINUITY;

	/** The rule's word: {@code chains} or {@code continuity}. */
	public String word() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The words of all rules, comma-separated, for messages. */
	public static String words() {
		return String.join(", ", Arrays.stream(values()).map(PcswRule::word).toList());
	}

	/**
	 * The rule named {@code word} (surrounding blanks ignored; lower case, as the CLI and the training key).
	 *
	 * @param what the option or key the word came from, named in the error
	 * @throws InvalidInputException naming {@code what}, the word and the accepted ones when no rule has that word
	 */
	public static PcswRule of(final String what, final String word) {
		final String w = word == null ? "" : word.trim();
		for (final PcswRule rule : values())
			if (rule.word().equals(w)) return rule;
		throw new InvalidInputException(what + ": '" + word + "' is not a PCSW rule (one of " + words() + ")");
	}

	@Override
	public String toString() {
		return word();
	}
}
