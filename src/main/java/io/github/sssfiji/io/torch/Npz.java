package io.github.sssfiji.io.torch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import io.github.sssfiji.InvalidInputException;

/**
 * Reads NumPy {@code .npz} archives ({@code numpy.savez}, stored or deflated): one {@code <name>.npy}
 * entry per array, returned in archive order under {@code <name>}.
 */
public final class Npz {

	/** A .npy header is at most 12 + 2^16 bytes in practice (version 1 limits it to 2^16). */
	private static final int MAX_HEADER_BYTES = 12 + (1 << 16);

	private Npz() {}

	public static StateDict read(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new InvalidInputException("NumPy archive " + file + " does not exist or is not a file");
		final Map<String, TensorData> out = new LinkedHashMap<>();
		try (ZipFile zip = new ZipFile(file.toFile())) {
			final Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				final ZipEntry entry = entries.nextElement();
				if (entry.isDirectory()) continue;
				final String name = entry.getName();
				if (!name.endsWith(".npy"))
					throw new InvalidInputException("NumPy archive " + file + " holds '" + name + "', which is not a .npy entry");
				try (InputStream in = zip.getInputStream(entry)) {
					// the header says how long the entry is: read no more than that (and one byte to notice more)
					final byte[] prefix = in.readNBytes(MAX_HEADER_BYTES);
					final long length = Npy.declaredLength(prefix, file + ":" + name);
					final byte[] rest = in.readNBytes((int) Math.max(0, Math.min(length + 1 - prefix.length, Integer.MAX_VALUE - 8 - prefix.length)));
					final byte[] bytes = java.util.Arrays.copyOf(prefix, prefix.length + rest.length);
					System.arraycopy(rest, 0, bytes, prefix.length, rest.length);
					out.put(name.substring(0, name.length() - 4), Npy.parse(bytes, file + ":" + name));
				}
			}
		}
		catch (final ZipException | java.io.EOFException e) {
			// an EOFException: a deflated entry that ends early
			throw new InvalidInputException("NumPy archive " + file + " is not a readable zip archive (truncated or corrupt?): " + e.getMessage(), e);
		}
		return new StateDict(file.toString(), out);
	}
}
