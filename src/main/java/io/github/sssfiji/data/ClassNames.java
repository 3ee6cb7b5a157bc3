package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import io.github.sssfiji.InvalidInputException;

/**
 * Class names by label value (index 0 = background), from a {@code classes.txt}, from the
 * {@code labels} entry of an nnU-Net {@code dataset.json}, or made up from the largest label value.
 */
public final class ClassNames {

	/** Name given to value 0 when names are made up. */
	public static final String BACKGROUND = "background";

	private ClassNames() {}

	/**
	 * One class name per line in label-value order, the first line being the background (value 0).
	 * Trailing blank lines are allowed, blank lines between names are not (they would shift values).
	 */
	public static List<String> fromTextFile(final Path file) throws IOException {
		final List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
		while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank())
			lines.remove(lines.size() - 1);
		final List<String> names = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			final String name = lines.get(i).strip();
			if (name.isEmpty()) throw new InvalidInputException(file + ": line " + (i + 1) + " is blank; write one class name per line, background first");
			names.add(name);
		}
		return checked(names, file);
	}

	/**
	 * The {@code labels} entry of an nnU-Net {@code dataset.json}: name to value (nnU-Net v2, e.g.
	 * {@code {"background": 0, "RV": 1}}) or value to name (v1, e.g. {@code {"0": "background"}}).
	 * Values must run from 0 without gaps; region-based labels (lists of values) are refused.
	 */
	public static List<String> fromNnUnetLabels(final JsonElement labels, final Path file) {
		if (labels == null || !labels.isJsonObject())
			throw new InvalidInputException(file + ": 'labels' must be an object mapping class names to values (or values to names)");
		final JsonObject object = labels.getAsJsonObject();
		final TreeMap<Integer, String> byValue = new TreeMap<>();
		for (final Map.Entry<String, JsonElement> entry : object.entrySet()) {
			final JsonElement value = entry.getValue();
			final String name;
			final int label;
			if (isNumber(value)) {
				name = entry.getKey();
				label = integer(value.getAsJsonPrimitive(), file, entry.getKey());
			}
			else if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() && entry.getKey().strip().matches("\\d+")) {
				name = value.getAsString();
				label = Integer.parseInt(entry.getKey().strip());
			}
			else if (value.isJsonArray())
				throw new InvalidInputException(file + ": label '" + entry.getKey() + "' is a region (a list of values); SSS needs one value per class");
			else throw new InvalidInputException(file + ": label entry '" + entry.getKey() + "': " + value + " is neither a label value nor a class name");
			final String previous = byValue.put(label, name.strip());
			if (previous != null) throw new InvalidInputException(file + ": label value " + label + " is given to both '" + previous + "' and '" + name + "'");
		}
		final List<String> names = new ArrayList<>();
		for (final Map.Entry<Integer, String> entry : byValue.entrySet()) {
			if (entry.getKey() != names.size())
				throw new InvalidInputException(file + ": label values must run 0, 1, 2, ... without gaps; found " + byValue.keySet());
			names.add(entry.getValue());
		}
		return checked(names, file);
	}

	/** {@code background}, {@code class 1}, ..., {@code class maxLabel}. */
	public static List<String> numbered(final int maxLabel) {
		if (maxLabel < 1) throw new IllegalArgumentException("maxLabel " + maxLabel + " < 1");
		final List<String> names = new ArrayList<>();
		names.add(BACKGROUND);
		for (int value = 1; value <= maxLabel; value++)
			names.add("class " + value);
		return names;
	}

	private static boolean isNumber(final JsonElement element) {
		return element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber();
	}

	private static int integer(final JsonPrimitive value, final Path file, final String key) {
		final double number = value.getAsDouble();
		if (number != Math.rint(number) || number < 0 || number > 255)
			throw new InvalidInputException(file + ": label '" + key + "' has value " + value + "; values must be whole numbers 0..255");
		return (int) number;
	}

	private static List<String> checked(final List<String> names, final Path file) {
		if (names.size() < 2)
			throw new InvalidInputException(file + ": declares " + names.size() + " class(es); need the background and at least one class");
		final HashSet<String> seen = new HashSet<>();
		for (final String name : names)
			if (!seen.add(name)) throw new InvalidInputException(file + ": class name '" + name + "' appears twice");
		return List.copyOf(names);
	}
}
