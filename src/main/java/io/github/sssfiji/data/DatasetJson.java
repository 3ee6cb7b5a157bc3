package io.github.sssfiji.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;

/**
 * What SSS takes from an nnU-Net {@code dataset.json} (v1 or v2): class names, channel names
 * ({@code channel_names} in v2, {@code modality} in v1), the file ending and {@code numTraining}.
 */
final class DatasetJson {

	final Path file;
	/** Class names by value, or null when the file has no {@code labels}. */
	final List<String> classNames;
	/** Channel names by channel index; empty when not stated. */
	final List<String> channelNames;
	/** E.g. {@code .nii.gz}, or null when not stated (v1). */
	final String fileEnding;
	/** {@code numTraining}, or -1 when not stated. */
	final int numTraining;

	private DatasetJson(final Path file, final List<String> classNames, final List<String> channelNames, final String fileEnding,
		final int numTraining)
	{
		this.file = file;
		this.classNames = classNames;
		this.channelNames = channelNames;
		this.fileEnding = fileEnding;
		this.numTraining = numTraining;
	}

	static DatasetJson read(final Path file) throws IOException {
		final JsonObject json;
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			final JsonElement parsed = JsonParser.parseReader(reader);
			if (!parsed.isJsonObject()) throw new InvalidInputException(file + ": not a JSON object");
			json = parsed.getAsJsonObject();
		}
		catch (final JsonParseException e) {
			throw new InvalidInputException(file + ": not valid JSON (" + e.getMessage() + ")", e);
		}
		final List<String> classNames = json.has("labels") ? ClassNames.fromNnUnetLabels(json.get("labels"), file) : null;
		final JsonElement channels = json.has("channel_names") ? json.get("channel_names") : json.get("modality");
		final String fileEnding = json.has("file_ending") ? string(json, "file_ending", file) : null;
		if (fileEnding != null && fileEnding.isEmpty()) throw new InvalidInputException(file + ": 'file_ending' is empty");
		final int numTraining = json.has("numTraining") ? count(json, "numTraining", file) : -1;
		return new DatasetJson(file, classNames, channelNames(channels, file), fileEnding, numTraining);
	}

	private static List<String> channelNames(final JsonElement channels, final Path file) {
		if (channels == null) return List.of();
		if (!channels.isJsonObject()) throw new InvalidInputException(file + ": 'channel_names'/'modality' must map channel numbers to names");
		final TreeMap<Integer, String> byIndex = new TreeMap<>();
		for (final Map.Entry<String, JsonElement> entry : channels.getAsJsonObject().entrySet()) {
			if (!entry.getKey().strip().matches("\\d+") || !entry.getValue().isJsonPrimitive())
				throw new InvalidInputException(file + ": channel entry '" + entry.getKey() + "': " + entry.getValue() + " is not 'number': 'name'");
			byIndex.put(Integer.parseInt(entry.getKey().strip()), entry.getValue().getAsString());
		}
		if (!byIndex.isEmpty() && (byIndex.firstKey() != 0 || byIndex.lastKey() != byIndex.size() - 1))
			throw new InvalidInputException(file + ": channel numbers must run 0, 1, 2, ...; found " + byIndex.keySet());
		return List.copyOf(byIndex.values());
	}

	private static String string(final JsonObject json, final String key, final Path file) {
		final JsonElement value = json.get(key);
		if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString())
			throw new InvalidInputException(file + ": '" + key + "' must be a string, not " + value);
		return value.getAsString();
	}

	private static int count(final JsonObject json, final String key, final Path file) {
		final JsonElement value = json.get(key);
		if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber() || value.getAsDouble() != Math.rint(value.getAsDouble()) ||
			value.getAsDouble() < 0) throw new InvalidInputException(file + ": '" + key + "' must be a whole number, not " + value);
		return value.getAsInt();
	}
}
