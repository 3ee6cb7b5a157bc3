package io.github.sssfiji.model.sam2.files;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TensorType;

/**
 * The safetensors format for float32 tensors, streamed: an 8-byte little-endian header length, a
 * JSON header ({@code name -> {dtype, shape, data_offsets}} plus {@code __metadata__}) padded with
 * spaces to 8 bytes, then the raw little-endian values. Files written here are read by the
 * {@code safetensors} Python package and by DJL's {@code NDList.decode}; no pickle is involved.
 */
public final class Safetensors {

	/** Headers larger than this are refused rather than allocated (a corrupt length field). */
	private static final long MAX_HEADER = 100L << 20;

	private Safetensors() {}

	/** Writes {@code tensors} (all floating, stored as F32) in map order, with string metadata. */
	public static void write(final OutputStream out, final Map<String, TensorData> tensors, final Map<String, String> metadata)
		throws IOException
	{
		final JsonObject header = new JsonObject();
		if (!metadata.isEmpty()) {
			final JsonObject meta = new JsonObject();
			metadata.forEach(meta::addProperty);
			header.add("__metadata__", meta);
		}
		long offset = 0;
		for (final Map.Entry<String, TensorData> e : tensors.entrySet()) {
			final TensorData t = e.getValue();
			if (!t.isFloating()) throw new IllegalArgumentException("tensor " + e.getKey() + " is " + t.sourceType() + "; only float32 is stored");
			final JsonObject entry = new JsonObject();
			entry.addProperty("dtype", "F32");
			final JsonArray shape = new JsonArray();
			for (final long d : t.shape()) shape.add(d);
			entry.add("shape", shape);
			final JsonArray offsets = new JsonArray();
			offsets.add(offset);
			offset += 4L * t.numel();
			offsets.add(offset);
			entry.add("data_offsets", offsets);
			header.add(e.getKey(), entry);
		}
		byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
		final int padded = (json.length + 7) / 8 * 8;
		if (padded != json.length) {
			final byte[] spaced = new byte[padded];
			System.arraycopy(json, 0, spaced, 0, json.length);
			for (int i = json.length; i < padded; i++) spaced[i] = ' ';
			json = spaced;
		}
		out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
		out.write(json);
		final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
		for (final TensorData t : tensors.values()) {
			for (final float v : t.floats()) {
				if (!buffer.hasRemaining()) {
					out.write(buffer.array(), 0, buffer.position());
					buffer.clear();
				}
				buffer.putFloat(v);
			}
		}
		out.write(buffer.array(), 0, buffer.position());
	}

	/** The tensors and metadata of a safetensors stream. */
	public static final class Contents {

		private final StateDict tensors;
		private final Map<String, String> metadata;

		Contents(final StateDict tensors, final Map<String, String> metadata) {
			this.tensors = tensors;
			this.metadata = metadata;
		}

		/** The tensors in header order. */
		public StateDict tensors() {
			return tensors;
		}

		/** The {@code __metadata__} strings (empty when absent). */
		public Map<String, String> metadata() {
			return metadata;
		}
	}

	/**
	 * Reads F32 tensors from a stream of {@code length} bytes (negative when unknown); {@code source}
	 * names the data in errors. Offsets must lie inside the data and must not overlap.
	 */
	public static Contents read(final InputStream in, final long length, final String source) throws IOException {
		final ByteBuffer lengthBytes = ByteBuffer.wrap(readFully(in, 8, source, "header length")).order(ByteOrder.LITTLE_ENDIAN);
		final long headerLength = lengthBytes.getLong();
		if (headerLength <= 0 || headerLength > MAX_HEADER || length >= 0 && headerLength > length - 8)
			throw new InvalidInputException(source + " is not a safetensors file: header length " + headerLength + " is impossible");
		final JsonObject header;
		try {
			final JsonElement parsed = JsonParser.parseString(new String(readFully(in, (int) headerLength, source, "header"), StandardCharsets.UTF_8));
			if (!parsed.isJsonObject()) throw new JsonParseException("the header is not a JSON object");
			header = parsed.getAsJsonObject();
		}
		catch (final JsonParseException e) {
			throw new InvalidInputException(source + " has a corrupt safetensors header: " + e.getMessage(), e);
		}
		final Map<String, String> metadata = new LinkedHashMap<>();
		final List<Entry> entries = new ArrayList<>();
		for (final Map.Entry<String, JsonElement> e : header.entrySet()) {
			if (e.getKey().equals("__metadata__")) {
				if (!e.getValue().isJsonObject()) throw new InvalidInputException(source + ": its __metadata__ is " + e.getValue() + ", not an object of strings");
				for (final Map.Entry<String, JsonElement> m : e.getValue().getAsJsonObject().entrySet()) {
					if (!m.getValue().isJsonPrimitive())
						throw new InvalidInputException(source + ": its __metadata__ entry '" + m.getKey() + "' is " + m.getValue() + ", not a string");
					metadata.put(m.getKey(), m.getValue().getAsString());
				}
				continue;
			}
			entries.add(Entry.parse(e.getKey(), e.getValue(), source));
		}
		final long dataLength = length < 0 ? -1 : length - 8 - headerLength;
		final List<Entry> byOffset = new ArrayList<>(entries);
		byOffset.sort(Comparator.comparingLong(x -> x.begin));
		long position = 0;
		final Map<String, float[]> values = new LinkedHashMap<>();
		for (final Entry e : byOffset) {
			if (e.begin < position) throw new InvalidInputException(source + ": tensor '" + e.name + "' overlaps the tensor before it");
			if (dataLength >= 0 && e.end > dataLength)
				throw new InvalidInputException(source + ": tensor '" + e.name + "' ends at byte " + e.end + " of " + dataLength + " data bytes (truncated?)");
			skipFully(in, e.begin - position, source);
			values.put(e.name, readFloats(in, (int) ((e.end - e.begin) / 4), source, e.name));
			position = e.end;
		}
		final Map<String, TensorData> tensors = new LinkedHashMap<>();
		for (final Entry e : entries) tensors.put(e.name, TensorData.ofFloats(TensorType.FLOAT32, e.shape, values.get(e.name)));
		return new Contents(new StateDict(source, tensors), metadata);
	}

	/** One header entry. */
	private static final class Entry {

		final String name;
		final long[] shape;
		final long begin;
		final long end;

		private Entry(final String name, final long[] shape, final long begin, final long end) {
			this.name = name;
			this.shape = shape;
			this.begin = begin;
			this.end = end;
		}

		static Entry parse(final String name, final JsonElement value, final String source) {
			try {
				final JsonObject o = value.getAsJsonObject();
				final String dtype = o.get("dtype").getAsString();
				if (!dtype.equals("F32"))
					throw new InvalidInputException(source + ": tensor '" + name + "' has dtype " + dtype + "; this format stores F32 only");
				final JsonArray s = o.getAsJsonArray("shape");
				final long[] shape = new long[s.size()];
				long numel = 1;
				for (int i = 0; i < shape.length; i++) {
					shape[i] = s.get(i).getAsLong();
					if (shape[i] < 0) throw new InvalidInputException(source + ": tensor '" + name + "' has a negative dimension");
					numel = Math.multiplyExact(numel, shape[i]);
				}
				final JsonArray off = o.getAsJsonArray("data_offsets");
				final long begin = off.get(0).getAsLong(), end = off.get(1).getAsLong();
				if (begin < 0 || end - begin != 4 * numel || numel > Integer.MAX_VALUE)
					throw new InvalidInputException(source + ": tensor '" + name + "' has data offsets [" + begin + ", " + end + ") for " + numel +
						" float32 values");
				return new Entry(name, shape, begin, end);
			}
			catch (final IllegalStateException | NullPointerException | UnsupportedOperationException | ClassCastException |
				IndexOutOfBoundsException | NumberFormatException | ArithmeticException e)
			{
				throw new InvalidInputException(source + ": header entry of tensor '" + name + "' is malformed: " + value, e);
			}
		}
	}

	private static float[] readFloats(final InputStream in, final int count, final String source, final String name) throws IOException {
		final float[] out = new float[count];
		final byte[] chunk = new byte[1 << 16];
		final ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
		int done = 0;
		while (done < count) {
			final int n = Math.min(chunk.length / 4, count - done);
			readFully(in, chunk, 4 * n, source, "tensor '" + name + "'");
			view.clear();
			for (int i = 0; i < n; i++) out[done + i] = view.getFloat();
			done += n;
		}
		return out;
	}

	private static byte[] readFully(final InputStream in, final int n, final String source, final String what) throws IOException {
		final byte[] b = new byte[n];
		readFully(in, b, n, source, what);
		return b;
	}

	private static void readFully(final InputStream in, final byte[] b, final int n, final String source, final String what) throws IOException {
		int off = 0;
		while (off < n) {
			final int r = in.read(b, off, n - off);
			if (r < 0) throw new InvalidInputException(source + " ends inside the " + what + " (truncated file)", new EOFException());
			off += r;
		}
	}

	private static void skipFully(final InputStream in, final long n, final String source) throws IOException {
		long left = n;
		while (left > 0) {
			final long r = in.skip(left);
			if (r <= 0) {
				if (in.read() < 0) throw new InvalidInputException(source + " ends inside the tensor data (truncated file)");
				left--;
			}
			else left -= r;
		}
	}
}
