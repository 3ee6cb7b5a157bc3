package io.github.sssfiji.sss;

import java.util.Locale;

import io.github.sssfiji.InvalidInputException;

/**
 * Which memories a SAM-2 backbone with memory attends to when it decodes a slice of a volume
 * ({@link Sam2Network.Sequence}); the training key and architecture key {@value Sam2Network#MEMORY_BANK}.
 */
public enum MemoryBank {
	/** SAM-2's rule: the stream's prompted slices and its up to {@code num_maskmem - 1} previous slices. */
	RECENT,
	/**
	 * Medical SAM 2's self-sorting bank with weighted resampling: the prompted slices and entries of a
	 * bank of the stream's earlier slices chosen by their image similarity to the slice
	 * ({@link io.github.sssfiji.model.sam2.predictor.SelfSortingMemoryBank}).
	 */
	SELECTIVE;

	/** The word in configurations and architecture records: the lower-case name. */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The rule named {@code key}.
	 *
	 * @param source named in the error message
	 * @throws InvalidInputException for another word
	 */
	public static MemoryBank of(final String key, final String source) {
		for (final MemoryBank rule : values())
			if (rule.key().equals(key)) return rule;
		throw new InvalidInputException(source + ": memory bank '" + key + "' is not known (available: recent, selective)");
	}
}
