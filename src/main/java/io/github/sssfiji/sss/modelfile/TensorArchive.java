package io.github.sssfiji.sss.modelfile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.nn.ModelState;

/**
 * The file format of SSS model and training-state files: a zip holding {@code meta.json} (what the
 * file is), {@code tensors.json} (name to shape) and one entry {@code tensors/<name>} per tensor of
 * raw little-endian float32 values in C order, plus optional binary entries. No pickle, nothing
 * executable: {@code numpy.frombuffer(zip.read("tensors/" + name), "<f4").reshape(shape)} reads a
 * tensor in Python.
 */
public final class TensorArchive {

	static final String META = "meta.json", INDEX = "tensors.json", TENSORS = "tensors/";

	private final Path file;
	private final JsonObject meta;
	private final Map<String, float[]> values;
	private final Map<String, Shape> shapes;
	private final Map<String, byte[]> blobs;

	private TensorArchive(final Path file, final JsonObject meta, final Map<String, float[]> values, final Map<String, Shape> shapes, final Map<String, byte[]> blobs) {
		this.file = file;
		this.meta = meta;
		this.values = values;
		this.shapes = shapes;
		this.blobs = blobs;
	}

	/** Collects tensors and metadata for writing. */
	public static final class Writer {

		private final JsonObject meta;
		private final Map<String, float[]> values = new LinkedHashMap<>();
		private final Map<String, Shape> shapes = new LinkedHashMap<>();
		private final Map<String, byte[]> blobs = new LinkedHashMap<>();

		public Writer(final JsonObject meta) {
			this.meta = meta;
		}

		/** Adds every parameter and buffer of {@code state}, names prefixed with {@code prefix}. */
		public Writer add(final String prefix, final ModelState state) {
			add(prefix, state.parameters());
			return add(prefix, state.buffers());
		}

		/** Adds the arrays (copied now), names prefixed with {@code prefix}. */
		public Writer add(final String prefix, final Map<String, NDArray> arrays) {
			for (final Map.Entry<String, NDArray> e : arrays.entrySet()) {
				final String name = prefix + e.getKey();
				if (values.containsKey(name)) throw new IllegalArgumentException("tensor '" + name + "' added twice");
				values.put(name, e.getValue().toFloatArray());
				shapes.put(name, e.getValue().getShape());
			}
			return this;
		}

		/** Adds a binary entry {@code name} (outside {@code tensors/}). */
		public Writer blob(final String name, final byte[] bytes) {
			blobs.put(name, bytes);
			return this;
		}

		/** Writes the zip (level 1 deflate: weights hardly compress, speed matters). */
		public void writeTo(final OutputStream out) throws IOException {
			final ZipOutputStream zip = new ZipOutputStream(out);
			zip.setLevel(1);
			entry(zip, META, meta.toString().getBytes(StandardCharsets.UTF_8));
			final JsonObject index = new JsonObject();
			for (final Map.Entry<String, Shape> e : shapes.entrySet()) {
				final JsonArray shape = new JsonArray();
				for (final long d : e.getValue().getShape())
					shape.add(d);
				index.add(e.getKey(), shape);
			}
			entry(zip, INDEX, index.toString().getBytes(StandardCharsets.UTF_8));
			for (final Map.Entry<String, float[]> e : values.entrySet()) {
				final ByteBuffer bytes = ByteBuffer.allocate(e.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
				bytes.asFloatBuffer().put(e.getValue());
				entry(zip, TENSORS + e.getKey(), bytes.array());
			}
			for (final Map.Entry<String, byte[]> e : blobs.entrySet())
				entry(zip, e.getKey(), e.getValue());
			zip.finish();
		}

		private static void entry(final ZipOutputStream zip, final String name, final byte[] bytes) throws IOException {
			zip.putNextEntry(new ZipEntry(name));
			zip.write(bytes);
			zip.closeEntry();
		}
	}

	/**
	 * Reads an archive.
	 *
	 * @throws InvalidInputException if it is not an SSS archive or an entry is damaged
	 */
	public static TensorArchive read(final Path file) throws IOException {
		try (ZipFile zip = new ZipFile(file.toFile())) {
			final ZipEntry metaEntry = zip.getEntry(META), indexEntry = zip.getEntry(INDEX);
			if (metaEntry == null || indexEntry == null) throw new InvalidInputException(file + ": not an SSS file (no " + META + " or " + INDEX + ")");
			final JsonObject meta = json(zip, metaEntry, file);
			final JsonObject index = json(zip, indexEntry, file);
			final Map<String, float[]> values = new LinkedHashMap<>();
			final Map<String, Shape> shapes = new LinkedHashMap<>();
			for (final Map.Entry<String, JsonElement> e : index.entrySet()) {
				final Shape s = shape(e.getKey(), e.getValue(), file);
				final ZipEntry entry = zip.getEntry(TENSORS + e.getKey());
				if (entry == null) throw new InvalidInputException(file + ": tensor '" + e.getKey() + "' is listed but missing");
				// the shape bounds what is read: an entry that inflates to more is damaged (or a zip bomb)
				final byte[] bytes = bytes(zip, entry, s.size() * 4, file);
				if (bytes.length != s.size() * 4)
					throw new InvalidInputException(file + ": tensor '" + e.getKey() + "' has " + (bytes.length > s.size() * 4 ? "more than " : "") +
						bytes.length + " bytes, shape " + s + " needs " + s.size() * 4);
				final float[] v = new float[bytes.length / 4];
				ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
				values.put(e.getKey(), v);
				shapes.put(e.getKey(), s);
			}
			// binary entries are read when asked for: a model load never inflates them
			final Map<String, byte[]> blobs = new LinkedHashMap<>();
			for (final var entries = zip.entries(); entries.hasMoreElements();) {
				final ZipEntry entry = entries.nextElement();
				if (!entry.getName().startsWith(TENSORS) && !entry.getName().equals(META) && !entry.getName().equals(INDEX))
					blobs.put(entry.getName(), null);
			}
			return new TensorArchive(file, meta, values, shapes, blobs);
		}
		catch (final java.util.zip.ZipException | java.io.EOFException e) {
			throw new InvalidInputException(file + ": not a valid SSS file (" + e.getMessage() + ")", e);
		}
	}

	/** The shape listed for tensor {@code name} in tensors.json: non-negative extents, at most 2 GiB of float32 in all. */
	private static Shape shape(final String name, final JsonElement value, final Path file) {
		final String problem = file + ": tensors.json: tensor '" + name + "' ";
		if (!value.isJsonArray()) throw new InvalidInputException(problem + "has the shape " + value + ", not a list of extents");
		final JsonArray dims = value.getAsJsonArray();
		final long[] shape = new long[dims.size()];
		long size = 1;
		for (int i = 0; i < shape.length; i++) {
			final JsonElement d = dims.get(i);
			if (!d.isJsonPrimitive() || !d.getAsJsonPrimitive().isNumber() || d.getAsDouble() != Math.rint(d.getAsDouble()) || d.getAsDouble() < 0)
				throw new InvalidInputException(problem + "has the shape " + value + ": an extent must be a whole number of at least 0");
			shape[i] = d.getAsLong();
			if (shape[i] > MAX_TENSOR_BYTES / 4 || (size *= Math.max(shape[i], 1)) > MAX_TENSOR_BYTES / 4)
				throw new InvalidInputException(problem + "has the shape " + value + ", more than " + MAX_TENSOR_BYTES + " bytes of float32");
		}
		return new Shape(shape);
	}

	/** The largest tensor entry read (the largest Java array). */
	private static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;

	/**
	 * The largest meta.json or tensors.json read. A 6,900-iteration run's meta.json, curves
	 * included, is 0.2 MiB; reading up to this limit allocates about twice it, so a zip bomb in
	 * either entry is refused cheaply.
	 */
	private static final long MAX_JSON_BYTES = 16L << 20;

	public JsonObject meta() {
		return meta;
	}

	/**
	 * Reads only {@code meta.json} of an archive (no tensors).
	 *
	 * @throws InvalidInputException if it is not an SSS archive
	 */
	public static JsonObject readMeta(final Path file) throws IOException {
		try (ZipFile zip = new ZipFile(file.toFile())) {
			final ZipEntry metaEntry = zip.getEntry(META);
			if (metaEntry == null || zip.getEntry(INDEX) == null) throw new InvalidInputException(file + ": not an SSS file (no " + META + " or " + INDEX + ")");
			return json(zip, metaEntry, file);
		}
		catch (final java.util.zip.ZipException e) {
			throw new InvalidInputException(file + ": not a valid SSS file (" + e.getMessage() + ")", e);
		}
	}

	/** A binary entry (read from the file now), or {@code null}. */
	public byte[] blob(final String name) throws IOException {
		if (!blobs.containsKey(name)) return null;
		try (ZipFile zip = new ZipFile(file.toFile())) {
			final ZipEntry entry = zip.getEntry(name);
			if (entry == null) throw new InvalidInputException(file + ": entry " + name + " is gone (was the file replaced?)");
			return bytes(zip, entry, MAX_TENSOR_BYTES, file);
		}
		catch (final java.util.zip.ZipException | java.io.EOFException e) {
			throw new InvalidInputException(file + ": not a valid SSS file (" + e.getMessage() + ")", e);
		}
	}

	/**
	 * Copies every tensor named {@code prefix + name} into the matching tensor of {@code state}.
	 *
	 * @param source named in error messages
	 * @throws InvalidInputException if a tensor of the state is missing or has another shape
	 */
	public void loadInto(final String prefix, final ModelState state, final String source) {
		load(prefix, state.parameters(), source);
		load(prefix, state.buffers(), source);
	}

	/** Whether a tensor's name starts with {@code prefix}. */
	public boolean has(final String prefix) {
		return values.keySet().stream().anyMatch(name -> name.startsWith(prefix));
	}

	/**
	 * Makes every tensor {@code from + rest} readable as {@code to + rest} as well, for reading files
	 * written in an older layout; the file is not changed.
	 */
	public void alias(final String from, final String to) {
		for (final String name : new ArrayList<>(values.keySet()))
			if (name.startsWith(from)) {
				values.put(to + name.substring(from.length()), values.get(name));
				shapes.put(to + name.substring(from.length()), shapes.get(name));
			}
	}

	/** Copies {@code prefix + name} into each array of {@code arrays}, in place. */
	public void load(final String prefix, final Map<String, NDArray> arrays, final String source) {
		for (final Map.Entry<String, NDArray> e : arrays.entrySet()) {
			final String name = prefix + e.getKey();
			final float[] v = values.get(name);
			if (v == null) throw new InvalidInputException(source + ": tensor '" + name + "' missing");
			if (!shapes.get(name).equals(e.getValue().getShape()))
				throw new InvalidInputException(source + ": tensor '" + name + "' has shape " + shapes.get(name) + ", expected " + e.getValue().getShape());
			e.getValue().set(v);
		}
	}

	private static JsonObject json(final ZipFile zip, final ZipEntry entry, final Path file) throws IOException {
		try {
			final byte[] bytes = bytes(zip, entry, MAX_JSON_BYTES, file);
			if (bytes.length > MAX_JSON_BYTES) throw new InvalidInputException(file + ": " + entry.getName() + " inflates to more than " + MAX_JSON_BYTES +
				" bytes (damaged, or a zip bomb)");
			final JsonElement json = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
			if (!json.isJsonObject()) throw new InvalidInputException(file + ": damaged " + entry.getName() + " (" + json + " is not a JSON object)");
			return json.getAsJsonObject();
		}
		catch (final InvalidInputException e) {
			throw e;
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(file + ": damaged " + entry.getName() + " (" + e.getMessage() + ")", e);
		}
	}

	/** The entry's bytes, at most {@code limit} + 1 of them (one more than allowed tells the caller that there are more). */
	private static byte[] bytes(final ZipFile zip, final ZipEntry entry, final long limit, final Path file) throws IOException {
		try (InputStream in = zip.getInputStream(entry)) {
			return in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
		}
	}
}
