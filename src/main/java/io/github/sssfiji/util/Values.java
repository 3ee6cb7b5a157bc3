package io.github.sssfiji.util;

import java.util.Arrays;

import io.github.sssfiji.InvalidInputException;

/** Parsing of parameter values given as text (CLI options, macro keys). */
public final class Values {

	private Values() {}

	/**
	 * A comma-separated list of integers such as {@code 1,2,3}; null for null or blank text.
	 *
	 * @param what names the parameter in the error, e.g. {@code option --classes}
	 */
	public static int[] intList(final String what, final String text) {
		if (text == null || text.isBlank()) return null;
		try {
			return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
		}
		catch (final NumberFormatException e) {
			throw new InvalidInputException(what + ": '" + text + "' is not a comma-separated list of integers");
		}
	}
}
