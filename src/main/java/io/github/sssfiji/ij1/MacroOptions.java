package io.github.sssfiji.ij1;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.sssfiji.InvalidInputException;

/**
 * The options string of an ImageJ 1.x {@code run("Command", "key=value ...")} call as an ordered
 * map of keys to raw values.
 * <p>
 * Pairs are separated by white space. A value in square brackets may contain spaces
 * ({@code output=[/data/my results]}); a bare key stands for {@code true}, as ImageJ records a
 * ticked checkbox. Keys are kept as written: ImageJ looks keys up in lower case, so a key that differs
 * from a parameter name only in case is reported as unknown by the caller rather than silently
 * ignored.
 * </p>
 */
public final class MacroOptions {

	private MacroOptions() {
		// static utility
	}

	/**
	 * @param options the options string, e.g. from {@code ij.Macro.getOptions()}; {@code null} is empty
	 * @return keys to values in the order given
	 * @throws InvalidInputException for a key given twice, an empty key or value, or an unclosed bracket
	 */
	public static Map<String, String> parse(final String options) {
		if (options == null) return Collections.emptyMap();
		final Map<String, String> values = new LinkedHashMap<>();
		final int n = options.length();
		int i = 0;
		while (true) {
			while (i < n && Character.isWhitespace(options.charAt(i)))
				i++;
			if (i == n) return values;
			final int keyStart = i;
			while (i < n && options.charAt(i) != '=' && !Character.isWhitespace(options.charAt(i)))
				i++;
			final String key = options.substring(keyStart, i);
			final String value;
			if (i < n && options.charAt(i) == '=') {
				i++;
				if (key.isEmpty()) throw new InvalidInputException("macro options: a value without a key at position " + keyStart + " of '" + options.trim() + "'");
				if (i < n && options.charAt(i) == '[') {
					final int close = options.indexOf(']', i + 1);
					if (close < 0) throw new InvalidInputException("macro options: key '" + key + "' has an unclosed '[' in '" + options.trim() + "'");
					value = options.substring(i + 1, close);
					i = close + 1;
				}
				else {
					final int valueStart = i;
					while (i < n && !Character.isWhitespace(options.charAt(i)))
						i++;
					value = options.substring(valueStart, i);
					if (value.isEmpty()) throw new InvalidInputException("macro options: key '" + key + "' has no value (write " + key + "=[] for an empty one)");
				}
			}
			else value = "true";
			if (values.put(key, value) != null) throw new InvalidInputException("macro options: key '" + key + "' is given twice");
		}
	}
}
