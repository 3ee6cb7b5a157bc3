package io.github.sssfiji.model.sam2.parity;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.torch.Npz;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;

/**
 * A folder of the SAM 2 parity-fixture form: {@code config.json} (the official constructor
 * arguments), {@code weights.pt} or {@code weights.npz}, {@code manifest.json} (every data file with
 * its shape, dtype and meaning) and the {@code .npy} files it lists.
 */
public final class ParityFolder {

	private final Path dir;
	private final Sam2Config config;
	private final Path weights;
	private final Map<String, JsonObject> manifest;

	private ParityFolder(final Path dir, final Sam2Config config, final Path weights, final Map<String, JsonObject> manifest) {
		this.dir = dir;
		this.config = config;
		this.weights = weights;
		this.manifest = manifest;
	}

	/** Opens and checks a folder; a missing or malformed part is an error naming the file. */
	public static ParityFolder open(final Path dir) throws IOException {
		if (!Files.isDirectory(dir)) throw new InvalidInputException("parity folder " + dir + " does not exist or is not a folder");
		final Path configFile = require(dir, "config.json");
		final Path manifestFile = require(dir, "manifest.json");
		final Path weights = Files.isRegularFile(dir.resolve("weights.pt")) ? dir.resolve("weights.pt") : dir.resolve("weights.npz");
		if (!Files.isRegularFile(weights)) throw new InvalidInputException("parity folder " + dir + " has neither weights.pt nor weights.npz");
		final Map<String, JsonObject> entries = new LinkedHashMap<>();
		try (Reader r = Files.newBufferedReader(manifestFile, StandardCharsets.UTF_8)) {
			final JsonElement root = JsonParser.parseReader(r);
			final JsonArray files = root.isJsonObject() && root.getAsJsonObject().has("files") ? root.getAsJsonObject().getAsJsonArray("files")
				: null;
			if (files == null) throw new InvalidInputException("manifest " + manifestFile + " has no 'files' list");
			for (final JsonElement e : files) {
				final JsonObject entry = e.getAsJsonObject();
				if (!entry.has("file")) throw new InvalidInputException("manifest " + manifestFile + ": an entry has no 'file': " + entry);
				entries.put(entry.get("file").getAsString(), entry);
			}
		}
		catch (final JsonParseException | IllegalStateException | ClassCastException e) {
			throw new InvalidInputException("manifest " + manifestFile + " is not valid JSON of the form {\"files\": [{\"file\": ...}]}: " +
				e.getMessage(), e);
		}
		return new ParityFolder(dir, Sam2Config.parse(configFile), weights, entries);
	}

	private static Path require(final Path dir, final String name) {
		final Path file = dir.resolve(name);
		if (!Files.isRegularFile(file)) throw new InvalidInputException("parity folder " + dir + " has no " + name);
		return file;
	}

	public Path dir() {
		return dir;
	}

	public Sam2Config config() {
		return config;
	}

	/** {@code weights.pt}, or {@code weights.npz} when there is no .pt. */
	public Path weightsFile() {
		return weights;
	}

	/** The state dict of the weights file. */
	public StateDict readWeights() throws IOException {
		return weights.getFileName().toString().endsWith(".npz") ? Npz.read(weights) : TorchCheckpoint.readStateDict(weights);
	}

	/** The manifest's data files (paths relative to the folder, '/'-separated), in manifest order. */
	public List<String> files() {
		return Collections.unmodifiableList(new ArrayList<>(manifest.keySet()));
	}

	/** Whether the manifest lists {@code file}. */
	public boolean lists(final String file) {
		return manifest.containsKey(file);
	}

	/** The manifest entry of {@code file}; an unlisted file is an error. */
	public JsonObject entry(final String file) {
		final JsonObject e = manifest.get(file);
		if (e == null) throw new InvalidInputException("manifest of " + dir + " does not list " + file);
		return e;
	}

	/** The meaning text of a manifest entry ("" when absent). */
	public String meaning(final String file) {
		final JsonObject e = entry(file);
		return e.has("meaning") ? e.get("meaning").getAsString() : "";
	}

	/** The {@code unpacked_shape} of a bit-packed mask entry, or its {@code shape}. */
	public long[] unpackedShape(final String file) {
		final JsonObject e = entry(file);
		final JsonArray a = e.has("unpacked_shape") ? e.getAsJsonArray("unpacked_shape") : e.getAsJsonArray("shape");
		final long[] out = new long[a.size()];
		for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsLong();
		return out;
	}

	/** Reads a listed {@code .npy} file. */
	public TensorData read(final String file) throws IOException {
		entry(file);
		final Path path = dir.resolve(file);
		if (!Files.isRegularFile(path)) throw new InvalidInputException("parity folder " + dir + ": manifest lists " + file + " but it is missing");
		return Npy.read(path);
	}
}
