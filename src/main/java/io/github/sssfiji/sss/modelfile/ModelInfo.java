package io.github.sssfiji.sss.modelfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;

/**
 * What a model file says about itself, as JSON, for {@code info MODEL} and {@code SSS Model Info}: the
 * {@code meta.json} of an SSS file ({@code .sss} model or training state: format, classes, backbone,
 * sizes, validation, provenance, architecture, training configuration), or the {@code sss-sam2.json}
 * and configuration of a SAM 2 model file ({@code .sam2.zip}). Reads no weights.
 */
public final class ModelInfo {

	/** The keys of an SSS file printed first, in this order; the rest follow as stored. */
	private static final List<String> FIRST = List.of("format", "version", "backbone", "classNames", "inputSize", "normalisation", "protocol",
		"iteration", "network", "validationDice", "provenance");

	private ModelInfo() {}

	/** Whether {@code file} is a zip holding an SSS file's {@code meta.json} or a SAM 2 model file's {@code sss-sam2.json}. */
	public static boolean isModelFile(final Path file) {
		if (!Files.isRegularFile(file)) return false;
		try (InputStream in = Files.newInputStream(file)) {
			final byte[] magic = in.readNBytes(4);
			if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4) return false;
		}
		catch (final IOException e) {
			return false;
		}
		try (ZipFile zip = new ZipFile(file.toFile())) {
			return zip.getEntry(TensorArchive.META) != null || zip.getEntry(Sam2ModelFiles.INFO) != null;
		}
		catch (final IOException e) {
			return false;
		}
	}

	/** Whether {@code file} is a trained SSS model or training state (a zip with {@code meta.json}), not a SAM 2 model file. */
	public static boolean isSssFile(final Path file) {
		if (!isModelFile(file)) return false;
		try (ZipFile zip = new ZipFile(file.toFile())) {
			return zip.getEntry(TensorArchive.META) != null && zip.getEntry(Sam2ModelFiles.INFO) == null;
		}
		catch (final IOException e) {
			return false;
		}
	}

	/**
	 * The description of a model file.
	 *
	 * @throws InvalidInputException if {@code file} is not a model file
	 */
	public static JsonObject describe(final Path file) throws IOException {
		if (!isModelFile(file)) throw new InvalidInputException(file + ": not an SSS model file (.sss or " + Sam2ModelFiles.EXTENSION + ")");
		final boolean sam2;
		try (ZipFile zip = new ZipFile(file.toFile())) {
			sam2 = zip.getEntry(Sam2ModelFiles.INFO) != null;
		}
		if (sam2) return Sam2ModelFiles.describe(file);
		final JsonObject meta = TensorArchive.readMeta(file);
		final JsonObject ordered = new JsonObject();
		for (final String key : FIRST)
			if (meta.has(key)) ordered.add(key, meta.get(key));
		for (final Map.Entry<String, JsonElement> e : meta.entrySet())
			if (!ordered.has(e.getKey())) ordered.add(e.getKey(), e.getValue());
		return ordered;
	}

	/** {@code json} pretty-printed, nulls (such as a provenance's empty {@code test} slot) and NaN included. */
	public static String toJson(final JsonElement json) {
		return new GsonBuilder().setPrettyPrinting().serializeNulls().serializeSpecialFloatingPointValues().create().toJson(json);
	}
}
