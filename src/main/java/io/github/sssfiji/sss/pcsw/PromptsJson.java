package io.github.sssfiji.sss.pcsw;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonIOException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.AtomicFiles;

/**
 * Prompts as JSON: {@code {"prompts": [{"class": 1, "slice": 0, "box": [x_min, y_min, x_max, y_max], "click":
 * [x, y], "chain": 0, "score": 812.5}, ...]}}. x runs along the first image axis, y along the second, the
 * slice is the 0-based index along the third; boxes are inclusive pixel indices.
 */
public final class PromptsJson {

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

	private PromptsJson() {}

	/** The JSON text of {@code prompts}. */
	public static String toJson(final List<Prompt> prompts) {
		final JsonArray array = new JsonArray();
		for (final Prompt p : prompts) {
			final JsonObject o = new JsonObject();
			o.addProperty("class", p.classLabel());
			o.addProperty("slice", p.slice());
			o.add("box", ints(p.box()));
			o.add("click", ints(p.click()));
			o.addProperty("chain", p.chain());
			o.addProperty("score", p.score());
			array.add(o);
		}
		final JsonObject root = new JsonObject();
		root.add("prompts", array);
		return GSON.toJson(root) + "\n";
	}

	/** Writes {@code prompts} to {@code file} atomically (a temporary file in the same folder, then a move). */
	public static void write(final List<Prompt> prompts, final Path file) throws IOException {
		AtomicFiles.writeString(file, toJson(prompts));
	}

	/**
	 * Reads the prompts of {@code file}.
	 *
	 * @throws InvalidInputException naming the file, the prompt and the field when the content is not prompts
	 */
	public static List<Prompt> read(final Path file) throws IOException {
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			return parse(reader, file.toString());
		}
	}

	/** Parses JSON text; {@code source} names it in errors. */
	public static List<Prompt> fromJson(final String json, final String source) {
		try {
			return parse(new StringReader(json), source);
		}
		catch (final IOException e) {
			throw new IllegalStateException(e); // a StringReader does not fail
		}
	}

	private static List<Prompt> parse(final Reader reader, final String source) throws IOException {
		final JsonElement root;
		try {
			root = JsonParser.parseReader(reader);
		}
		catch (final JsonIOException e) {
			// the reader failed; a truncated text is a JsonSyntaxException instead
			throw e.getCause() instanceof IOException io ? io : new IOException(source + ": " + e.getMessage(), e);
		}
		catch (final JsonParseException e) {
			throw new InvalidInputException(source + ": not valid JSON (" + e.getMessage() + ")", e);
		}
		if (!root.isJsonObject() || !root.getAsJsonObject().has("prompts") || !root.getAsJsonObject().get("prompts").isJsonArray())
			throw new InvalidInputException(source + ": expected an object with a \"prompts\" array");
		final JsonArray array = root.getAsJsonObject().getAsJsonArray("prompts");
		final List<Prompt> prompts = new ArrayList<>(array.size());
		for (int k = 0; k < array.size(); k++) {
			final String where = source + ": prompt " + k;
			if (!array.get(k).isJsonObject()) throw new InvalidInputException(where + " is not an object");
			final JsonObject o = array.get(k).getAsJsonObject();
			final int classLabel = integer(o, "class", where);
			final int slice = integer(o, "slice", where);
			final int[] box = integers(o, "box", 4, where);
			final int[] click = integers(o, "click", 2, where);
			final int chain = integer(o, "chain", where);
			final double score = number(o.get("score"), "score", where);
			if (classLabel < 1) throw new InvalidInputException(where + ": class " + classLabel + " is not a foreground class");
			if (slice < 0) throw new InvalidInputException(where + ": negative slice " + slice);
			if (box[0] < 0 || box[1] < 0 || box[2] < box[0] || box[3] < box[1])
				throw new InvalidInputException(where + ": box [" + box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3] +
					"] is not [x_min, y_min, x_max, y_max] with 0 <= min <= max");
			prompts.add(new Prompt(classLabel, slice, box[0], box[1], box[2], box[3], click[0], click[1], chain, score));
		}
		return prompts;
	}

	private static JsonArray ints(final int[] values) {
		final JsonArray array = new JsonArray();
		for (final int v : values)
			array.add(v);
		return array;
	}

	private static int integer(final JsonObject o, final String field, final String where) {
		final double value = number(o.get(field), field, where);
		if (value != Math.rint(value) || Math.abs(value) > Integer.MAX_VALUE)
			throw new InvalidInputException(where + ": \"" + field + "\" = " + value + " is not an integer");
		return (int) value;
	}

	private static int[] integers(final JsonObject o, final String field, final int count, final String where) {
		final JsonElement e = o.get(field);
		if (e == null || !e.isJsonArray() || e.getAsJsonArray().size() != count)
			throw new InvalidInputException(where + ": \"" + field + "\" must be an array of " + count + " integers, got " + e);
		final int[] out = new int[count];
		final JsonObject holder = new JsonObject();
		for (int i = 0; i < count; i++) {
			holder.add(field, e.getAsJsonArray().get(i));
			out[i] = integer(holder, field, where);
		}
		return out;
	}

	private static double number(final JsonElement e, final String field, final String where) {
		if (e == null) throw new InvalidInputException(where + ": \"" + field + "\" is missing");
		if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber())
			throw new InvalidInputException(where + ": \"" + field + "\" = " + e + " is not a number");
		return e.getAsDouble();
	}
}
