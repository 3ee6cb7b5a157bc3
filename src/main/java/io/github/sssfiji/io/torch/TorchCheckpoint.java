package io.github.sssfiji.io.torch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import io.github.sssfiji.InvalidInputException;
import net.razorvine.pickle.PickleException;

/**
 * Reads PyTorch zip checkpoints ({@code torch.save}, format of torch 1.6 and later) without Python and
 * without executing anything from the file.
 * <p>
 * The archive holds {@code <name>/data.pkl} (a pickle) and {@code <name>/data/<key>} raw storages.
 * The pickle is read by a whitelist unpickler that accepts only tensor rebuilding, storage types and
 * {@code collections.OrderedDict}; any other Python global is refused with an error naming it.
 * </p>
 */
public final class TorchCheckpoint {

	private static final String PICKLE = "data.pkl";

	private TorchCheckpoint() {}

	/**
	 * Reads the whole pickled object: dicts become {@link Map}s, tuples {@code Object[]}, lists
	 * {@link List}s, tensors {@link TensorData}.
	 */
	public static Object read(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new InvalidInputException("checkpoint " + file + " does not exist or is not a file");
		if (isLegacyPickle(file))
			throw new InvalidInputException("checkpoint " + file + " uses the legacy (pre-1.6) torch.save format; " +
				"re-save it with a current PyTorch (zip format)");
		try (ZipFile zip = new ZipFile(file.toFile())) {
			final String prefix = findPrefix(zip, file);
			final boolean bigEndian = readByteOrder(zip, prefix, file);
			final Map<String, StorageRef> storages = new LinkedHashMap<>();
			final WhitelistUnpickler unpickler = new WhitelistUnpickler(file.toString(),
				pid -> storage(zip, prefix, file, pid, bigEndian, storages));
			// read whole (it is small, and limited) so that an IOException of the unpickler can only mean a cut-off pickle
			final byte[] pickle;
			try (InputStream in = limited(zip.getInputStream(zip.getEntry(prefix + PICKLE)), file)) {
				pickle = in.readAllBytes();
			}
			try {
				return unpickler.load(new java.io.ByteArrayInputStream(pickle));
			}
			catch (final IOException e) {
				throw new InvalidInputException("checkpoint " + file + ": its data.pkl is truncated or damaged (" + e.getMessage() + ")", e);
			}
			catch (final InvalidInputException e) {
				throw e;
			}
			catch (final UncheckedIOException e) {
				throw e.getCause();
			}
			catch (final IndexOutOfBoundsException e) {
				// razorvine's stack underflow (a DUP, POP or SETITEMS with too few values before it) is a plain list index error
				throw new InvalidInputException("checkpoint " + file + ": its data.pkl is damaged (an operation finds fewer values than it needs)", e);
			}
			catch (final RuntimeException e) {
				// razorvine reports other damage with its PickleException and with plain runtime exceptions; the tensor rebuilding
				// adds ClassCast and Arithmetic ones
				throw new InvalidInputException(message(e, file), e);
			}
		}
		catch (final ZipException | java.io.EOFException e) {
			throw new InvalidInputException("checkpoint " + file + " is not a readable zip archive (truncated or corrupt?): " + e.getMessage(), e);
		}
	}

	/**
	 * Reads a state_dict: the top-level dict when all its values are tensors, otherwise the tensor
	 * dict under {@code "model"} (official SAM 2 checkpoints) or {@code "state_dict"}.
	 */
	public static StateDict readStateDict(final Path file) throws IOException {
		final Object top = read(file);
		if (!(top instanceof Map)) throw new InvalidInputException("checkpoint " + file + " does not hold a dict but " + typeName(top));
		final Map<?, ?> map = (Map<?, ?>) top;
		if (allTensors(map)) return toStateDict(map, file);
		for (final String key : new String[] { "model", "state_dict" }) {
			final Object inner = map.get(key);
			if (inner instanceof Map && allTensors((Map<?, ?>) inner)) return toStateDict((Map<?, ?>) inner, file);
		}
		throw new InvalidInputException("checkpoint " + file + " has no state_dict: top-level keys " + map.keySet() +
			" (expected a dict of tensors, or one under 'model' or 'state_dict')");
	}

	private static boolean allTensors(final Map<?, ?> map) {
		if (map.isEmpty()) return false;
		for (final Map.Entry<?, ?> e : map.entrySet())
			if (!(e.getKey() instanceof String) || !(e.getValue() instanceof TensorData)) return false;
		return true;
	}

	private static StateDict toStateDict(final Map<?, ?> map, final Path file) {
		final Map<String, TensorData> out = new LinkedHashMap<>();
		for (final Map.Entry<?, ?> e : map.entrySet()) out.put((String) e.getKey(), (TensorData) e.getValue());
		return new StateDict(file.toString(), out);
	}

	private static StorageRef storage(final ZipFile zip, final String prefix, final Path file, final Object[] pid,
		final boolean bigEndian, final Map<String, StorageRef> cache)
	{
		if (pid.length != 5 || !"storage".equals(pid[0]) || !(pid[1] instanceof WhitelistUnpickler.StorageTypeMarker) ||
			!(pid[2] instanceof String))
			throw new PickleException("unexpected persistent id (expected ('storage', type, key, location, numel))");
		final TensorType type = ((WhitelistUnpickler.StorageTypeMarker) pid[1]).type;
		final String key = (String) pid[2];
		final long numel = TorchTensors.toLong(pid[4], "storage numel");
		if (numel < 0 || numel > (Integer.MAX_VALUE - 8) / type.bytes())
			throw new PickleException("storage " + key + " declares " + numel + " " + type + " elements, more than SSS can hold");
		return cache.computeIfAbsent(key, k -> {
			final ZipEntry entry = zip.getEntry(prefix + "data/" + k);
			if (entry == null) throw new PickleException("storage data/" + k + " is missing from the archive");
			return new StorageRef(type, k, numel, () -> {
				try (InputStream in = zip.getInputStream(entry)) {
					// at most one byte more than declared: enough to see that the entry does not fit
					return in.readNBytes((int) Math.min(numel * type.bytes() + 1, Integer.MAX_VALUE - 8));
				}
				catch (final IOException e) {
					throw new UncheckedIOException(e);
				}
			}, bigEndian);
		});
	}

	/**
	 * The largest data.pkl read: the pickle holds names and tensor descriptions, not the tensors (an
	 * official SAM 2 checkpoint's is well under a megabyte); a larger one is damaged or hostile.
	 */
	static final long MAX_PICKLE_BYTES = 8L << 20;

	private static InputStream limited(final InputStream in, final Path file) {
		return new java.io.FilterInputStream(in) {

			private long read;

			@Override
			public int read() throws IOException {
				final int b = super.read();
				if (b >= 0) count(1);
				return b;
			}

			@Override
			public int read(final byte[] b, final int off, final int len) throws IOException {
				final int n = super.read(b, off, len);
				if (n > 0) count(n);
				return n;
			}

			private void count(final long n) {
				read += n;
				if (read > MAX_PICKLE_BYTES)
					throw new InvalidInputException("checkpoint " + file + ": its data.pkl is larger than " + MAX_PICKLE_BYTES + " bytes (damaged, or a zip bomb)");
			}
		};
	}

	private static String findPrefix(final ZipFile zip, final Path file) {
		final List<String> candidates = new ArrayList<>();
		final Enumeration<? extends ZipEntry> entries = zip.entries();
		while (entries.hasMoreElements()) {
			final String name = entries.nextElement().getName();
			final int slash = name.indexOf('/');
			if (slash > 0 && name.substring(slash + 1).equals(PICKLE)) candidates.add(name.substring(0, slash + 1));
		}
		if (candidates.size() != 1)
			throw new InvalidInputException("checkpoint " + file + (candidates.isEmpty() ? " has no <archive>/data.pkl entry"
				: " has several data.pkl entries " + candidates) + "; it is not a torch.save zip checkpoint");
		return candidates.get(0);
	}

	private static boolean readByteOrder(final ZipFile zip, final String prefix, final Path file) throws IOException {
		final ZipEntry entry = zip.getEntry(prefix + "byteorder");
		if (entry == null) return false; // torch wrote little-endian before it started recording the order
		try (InputStream in = zip.getInputStream(entry)) {
			final String order = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
			if (order.equals("little")) return false;
			if (order.equals("big")) return true;
			throw new InvalidInputException("checkpoint " + file + " declares an unknown byte order '" + order + "'");
		}
	}

	private static boolean isLegacyPickle(final Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			final int first = in.read();
			return first == 0x80; // a pickle PROTO opcode, where a zip starts with 'PK'
		}
	}

	private static String message(final Exception e, final Path file) {
		final String m = e.getMessage();
		return m != null && m.contains(file.toString()) ? m : "cannot read checkpoint " + file + ": " + m;
	}

	private static String typeName(final Object o) {
		return o == null ? "None" : o.getClass().getSimpleName();
	}
}
