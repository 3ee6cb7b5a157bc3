package io.github.sssfiji.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.util.Values;

/**
 * The arguments of one CLI command: positional values and {@code --key value} options. Every
 * accessor that reads an option marks it as known; {@link #rejectUnknown()} then reports any option
 * the command did not ask for.
 */
public final class CliArguments {

	private final List<String> positional = new ArrayList<>();
	private final Map<String, String> options = new LinkedHashMap<>();
	private final Set<String> asked = new HashSet<>();
	private boolean positionalAsked;

	private CliArguments() {}

	/**
	 * Parses {@code args}. An option is {@code --key value} or {@code --key=value}; a {@code --flag}
	 * followed by another option or nothing is {@code true}.
	 */
	public static CliArguments parse(final String... args) {
		final CliArguments out = new CliArguments();
		for (int i = 0; i < args.length; i++) {
			final String arg = args[i];
			if (arg.startsWith("--") && arg.length() > 2) {
				String key = arg.substring(2);
				String value;
				final int eq = key.indexOf('=');
				if (eq >= 0) {
					value = key.substring(eq + 1);
					key = key.substring(0, eq);
				}
				else if (i + 1 < args.length && !args[i + 1].startsWith("--")) value = args[++i];
				else value = "true";
				if (out.options.put(key, value) != null) throw new CliException("option --" + key + " given twice");
			}
			else out.positional.add(arg);
		}
		return out;
	}

	public List<String> positional() {
		positionalAsked = true;
		return Collections.unmodifiableList(positional);
	}

	/** The only positional argument, named {@code what} in the error when it is missing or repeated. */
	public String singlePositional(final String what) {
		positionalAsked = true;
		if (positional.size() != 1)
			throw new CliException(positional.isEmpty() ? "missing " + what : "expected one " + what + ", got " + positional);
		return positional.get(0);
	}

	public boolean has(final String key) {
		asked.add(key);
		return options.containsKey(key);
	}

	public String get(final String key, final String fallback) {
		asked.add(key);
		return options.getOrDefault(key, fallback);
	}

	public String require(final String key) {
		asked.add(key);
		final String value = options.get(key);
		if (value == null) throw new CliException("missing option --" + key);
		return value;
	}

	public int getInt(final String key, final int fallback) {
		final String value = get(key, null);
		if (value == null) return fallback;
		try {
			return Integer.parseInt(value.trim());
		}
		catch (final NumberFormatException e) {
			throw new CliException("option --" + key + ": '" + value + "' is not an integer");
		}
	}

	/** {@code true} or {@code false} (any case); a bare {@code --key} is {@code true}. */
	public boolean getBoolean(final String key, final boolean fallback) {
		final String value = get(key, null);
		if (value == null) return fallback;
		if (value.trim().equalsIgnoreCase("true")) return true;
		if (value.trim().equalsIgnoreCase("false")) return false;
		throw new CliException("option --" + key + ": '" + value + "' is not true or false");
	}

	public double getDouble(final String key, final double fallback) {
		final String value = get(key, null);
		if (value == null) return fallback;
		try {
			final double d = Double.parseDouble(value.trim());
			if (!Double.isFinite(d)) throw new NumberFormatException();
			return d;
		}
		catch (final NumberFormatException e) {
			throw new CliException("option --" + key + ": '" + value + "' is not a finite number");
		}
	}

	/** A comma-separated list of integers, e.g. {@code 1,2,3}; null when the option is absent. */
	public int[] getIntList(final String key) {
		try {
			return Values.intList("option --" + key, get(key, null));
		}
		catch (final InvalidInputException e) {
			throw new CliException(e.getMessage());
		}
	}

	/** The path of an option that must name an existing file or folder. */
	public Path existingPath(final String key) {
		return existing("--" + key, require(key));
	}

	/** {@code value} as a path, checked to exist; {@code what} names it in the error. */
	public static Path existing(final String what, final String value) {
		final Path path = Paths.get(value);
		if (!Files.exists(path)) throw new CliException(what + ": " + value + " does not exist");
		return path;
	}

	/** Fails on options that no accessor asked for. */
	public void rejectUnknown() {
		for (final String key : options.keySet())
			if (!asked.contains(key)) throw new CliException("unknown option --" + key);
		// a command that takes no positional argument must not ignore one (a forgotten option name, a second file)
		if (!positionalAsked && !positional.isEmpty())
			throw new CliException("unexpected argument '" + positional.get(0) + "' (options are written --key value)");
	}
}
