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

	private final JsonObject meta;
	private final Map<String, float[]> values;
	private final Map<String, Shape> shapes;
	private final Map<String, byte[]> blobs;

	private TensorArchive(final JsonObject meta, final Map<String, float[]> values, final Map<String, Shape> shapes, final Map<String, byte[]> blobs) {
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
				final JsonArray dims = e.getValue().getAsJsonArray();
				final long[] shape = new long[dims.size()];
				for (int i = 0; i < shape.length; i++)
					shape[i] = dims.get(i).getAsLong();
				final Shape s = new Shape(shape);
				final ZipEntry entry = zip.getEntry(TENSORS + e.getKey());
				if (entry == null) throw new InvalidInputException(file + ": tensor '" + e.getKey() + "' is listed but missing");
				final byte[] bytes = bytes(zip, entry);
				if (bytes.length != s.size() * 4)
					throw new InvalidInputException(file + ": tensor '" + e.getKey() + "' has " + bytes.length + " bytes, shape " + s + " needs " + s.size() * 4);
				final float[] v = new float[bytes.length / 4];
				ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
				values.put(e.getKey(), v);
				shapes.put(e.getKey(), s);
			}
			final Map<String, byte[]> blobs = new LinkedHashMap<>();
			for (final var entries = zip.entries(); entries.hasMoreElements();) {
				final ZipEntry entry = entries.nextElement();
				if (!entry.getName().startsWith(TENSORS) && !entry.getName().equals(META) && !entry.getName().equals(INDEX))
					blobs.put(entry.getName(), bytes(zip, entry));
			}
			return new TensorArchive(meta, values, shapes, blobs);
		}
		catch (final java.util.zip.ZipException e) {
			throw new InvalidInputException(file + ": not a valid SSS file (" + e.getMessage() + ")", e);
		}
	}

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

	/** A binary entry, or {@code null}. */
	public byte[] blob(final String name) {
		return blobs.get(name);
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
			return JsonParser.parseString(new String(bytes(zip, entry), StandardCharsets.UTF_8)).getAsJsonObject();
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(file + ": damaged " + entry.getName() + " (" + e.getMessage() + ")", e);
		}
	}

	private static byte[] bytes(final ZipFile zip, final ZipEntry entry) throws IOException {
		try (InputStream in = zip.getInputStream(entry)) {
			final ByteArrayOutputStream out = new ByteArrayOutputStream();
			in.transferTo(out);
			return out.toByteArray();
		}
	}
}
