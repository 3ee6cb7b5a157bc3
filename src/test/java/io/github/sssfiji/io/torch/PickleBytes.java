package io.github.sssfiji.io.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes raw pickle opcodes, and torch-style zip archives around them: the one pickle writer of the
 * tests (reader tests, official-checkpoint fixtures, the fuzz tests and the CLI's bad-input corpus).
 */
public final class PickleBytes {

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	public PickleBytes op(final int opcode) {
		out.write(opcode);
		return this;
	}

	public PickleBytes proto() {
		return op(0x80).op(2);
	}

	public PickleBytes mark() {
		return op('(');
	}

	public PickleBytes emptyDict() {
		return op('}');
	}

	public PickleBytes emptyTuple() {
		return op(')');
	}

	public PickleBytes tuple() {
		return op('t');
	}

	public PickleBytes reduce() {
		return op('R');
	}

	public PickleBytes setItems() {
		return op('u');
	}

	public PickleBytes build() {
		return op('b');
	}

	public PickleBytes binPersId() {
		return op('Q');
	}

	public PickleBytes newFalse() {
		return op(0x89);
	}

	public PickleBytes stop() {
		return op('.');
	}

	public PickleBytes integer(final int v) {
		op('J');
		out.write(v & 0xff);
		out.write(v >>> 8 & 0xff);
		out.write(v >>> 16 & 0xff);
		out.write(v >>> 24 & 0xff);
		return this;
	}

	public PickleBytes string(final String s) {
		final byte[] b = s.getBytes(StandardCharsets.UTF_8);
		op('X');
		out.write(b.length & 0xff);
		out.write(b.length >>> 8 & 0xff);
		out.write(b.length >>> 16 & 0xff);
		out.write(b.length >>> 24 & 0xff);
		out.write(b, 0, b.length);
		return this;
	}

	public PickleBytes global(final String module, final String name) {
		op('c');
		final byte[] b = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
		out.write(b, 0, b.length);
		return this;
	}

	public PickleBytes ints(final int... values) {
		mark();
		for (final int v : values) integer(v);
		return tuple();
	}

	/** {@code _rebuild_tensor_v2(storage(type, key, numel), offset, size, stride, False, OrderedDict())}. */
	public PickleBytes tensor(final String storageType, final String key, final int numel, final int offset, final int[] size,
		final int[] stride)
	{
		global("torch._utils", "_rebuild_tensor_v2");
		mark();
		mark().string("storage").global("torch", storageType).string(key).string("cpu").integer(numel).tuple().binPersId();
		integer(offset);
		ints(size);
		ints(stride);
		newFalse();
		global("collections", "OrderedDict").emptyTuple().reduce();
		tuple();
		return reduce();
	}

	public byte[] bytes() {
		return out.toByteArray();
	}

	/** The entries of a torch-style archive: {@code <prefix>/data.pkl} (unless null), {@code <prefix>/data/<key>} and {@code <prefix>/version}. */
	public static Map<String, byte[]> archiveEntries(final String prefix, final byte[] pickle, final Map<String, byte[]> storages) {
		final Map<String, byte[]> entries = new LinkedHashMap<>();
		if (pickle != null) entries.put(prefix + "/data.pkl", pickle);
		for (final Map.Entry<String, byte[]> s : storages.entrySet()) entries.put(prefix + "/data/" + s.getKey(), s.getValue());
		entries.put(prefix + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
		return entries;
	}

	/** Writes {@link #archiveEntries} to {@code file} as a zip. */
	static void writeArchive(final Path file, final String prefix, final byte[] pickle, final Map<String, byte[]> storages)
		throws IOException
	{
		try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
			for (final Map.Entry<String, byte[]> e : archiveEntries(prefix, pickle, storages).entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey()));
				zip.write(e.getValue());
				zip.closeEntry();
			}
		}
	}
}
