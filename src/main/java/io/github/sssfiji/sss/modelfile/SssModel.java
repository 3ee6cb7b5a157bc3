package io.github.sssfiji.sss.modelfile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.Networks;

/**
 * A trained segmentation model as stored in a {@code .sss} file ({@link TensorArchive}): the
 * backbone with its weights and batch-norm buffers, the class names, the input size the slices
 * are resized to, and the intensity normalisation ({@value #NORMALISATION}: per-volume min-max to
 * [0, 1]). {@code meta.json} also keeps the training configuration and the validation scores.
 */
public final class SssModel implements AutoCloseable {

	/** Format tag in {@code meta.json}. */
	public static final String FORMAT = "sss-model";
	public static final int VERSION = 1;
	public static final String NORMALISATION = "minmax-volume";

	private final Network backbone;
	private final List<String> classNames;
	private final int inputSize;
	private final JsonObject meta;
	private NDManager ownedManager;

	private SssModel(final Network backbone, final List<String> classNames, final int inputSize, final JsonObject meta) {
		this.backbone = backbone;
		this.classNames = List.copyOf(classNames);
		this.inputSize = inputSize;
		this.meta = meta;
	}

	/**
	 * Writes {@code net} as a model file, atomically.
	 *
	 * @param extra further entries for {@code meta.json} (training configuration, scores), or null
	 */
	public static void write(final Path file, final Network net, final List<String> classNames, final int inputSize, final JsonObject extra)
		throws IOException
	{
		final JsonObject meta = extra == null ? new JsonObject() : extra.deepCopy();
		meta.addProperty("format", FORMAT);
		meta.addProperty("version", VERSION);
		meta.addProperty("backbone", net.kind());
		meta.add("architecture", net.architecture());
		final JsonArray names = new JsonArray();
		classNames.forEach(names::add);
		meta.add("classNames", names);
		meta.addProperty("inputSize", inputSize);
		meta.addProperty("normalisation", NORMALISATION);
		meta.addProperty("protocol", "each slice resized to inputSize, predicted, logits resized back");
		final TensorArchive.Writer writer = new TensorArchive.Writer(meta).add("", net.state());
		AtomicFiles.write(file, writer::writeTo);
	}

	/**
	 * Reads a model file into a new backbone under {@code parent}.
	 *
	 * @throws InvalidInputException if the file is not an SSS model or does not fit its architecture
	 */
	public static SssModel load(final Path file, final NDManager parent) throws IOException {
		final TensorArchive archive = TensorArchive.read(file);
		final JsonObject meta = archive.meta();
		if (!FORMAT.equals(string(meta, "format", file)))
			throw new InvalidInputException(file + ": not an SSS model file (format '" + string(meta, "format", file) + "')");
		if (!NORMALISATION.equals(string(meta, "normalisation", file)))
			throw new InvalidInputException(file + ": unknown normalisation '" + string(meta, "normalisation", file) + "'");
		final int size;
		final List<String> names = new ArrayList<>();
		final Network net;
		// a damaged meta.json has fields of other types or none: name the field instead of failing inside Gson
		final String[] field = { "inputSize" };
		try {
			final JsonElement sizeField = meta.get("inputSize");
			size = sizeField != null && sizeField.isJsonPrimitive() && sizeField.getAsJsonPrimitive().isNumber() &&
				sizeField.getAsDouble() == Math.rint(sizeField.getAsDouble()) && sizeField.getAsDouble() <= 1 << 16 ? sizeField.getAsInt() : -1;
			if (size < 1) throw new InvalidInputException(file + ": missing or bad inputSize " + sizeField + " in meta.json (a whole number, 1 to 65536)");
			field[0] = "classNames";
			final JsonElement classNames = meta.get("classNames");
			if (classNames == null || !classNames.isJsonArray()) throw new InvalidInputException(file + ": meta.json has no classNames list");
			for (final JsonElement e : classNames.getAsJsonArray()) {
				if (!e.isJsonPrimitive()) throw new InvalidInputException(file + ": meta.json classNames holds " + e + ", not a name");
				names.add(e.getAsString());
			}
			field[0] = "architecture";
			final JsonElement architecture = meta.get("architecture");
			if (architecture == null || !architecture.isJsonObject()) throw new InvalidInputException(file + ": meta.json has no architecture object");
			net = Networks.create(string(meta, "backbone", file), architecture.getAsJsonObject(), parent, 0, file.toString());
		}
		catch (final InvalidInputException e) {
			throw e;
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(file + ": meta.json: bad " + field[0] + " (" + e.getMessage() + ")", e);
		}
		try {
			if (names.size() != net.classes())
				throw new InvalidInputException(file + ": " + names.size() + " class names for a network of " + net.classes() + " classes");
			archive.loadInto("", net.state(), file.toString());
		}
		catch (final RuntimeException e) {
			net.close();
			throw e;
		}
		return new SssModel(net, names, size, meta);
	}

	/**
	 * Reads a model file onto {@code device}, into its own manager, which {@link #close()} frees.
	 * Predict with managers on the same device (PyTorch does not mix devices in one operation).
	 */
	public static SssModel load(final Path file, final Device device) throws IOException {
		final NDManager manager = Engines.pytorch().newBaseManager(device);
		try {
			final SssModel model = load(file, manager);
			model.ownedManager = manager;
			return model;
		}
		catch (final IOException | RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	public Network network() {
		return backbone;
	}

	public List<String> classNames() {
		return classNames;
	}

	public int inputSize() {
		return inputSize;
	}

	/** Everything {@code meta.json} holds. */
	public JsonObject meta() {
		return meta.deepCopy();
	}

	@Override
	public void close() {
		backbone.close();
		if (ownedManager != null) ownedManager.close();
	}

	private static String string(final JsonObject meta, final String key, final Path file) {
		final JsonElement e = meta.get(key);
		if (e == null || !e.isJsonPrimitive()) throw new InvalidInputException(file + ": meta.json has no '" + key + "'");
		return e.getAsString();
	}
}
