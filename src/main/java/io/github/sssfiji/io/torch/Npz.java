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
					out.put(name.substring(0, name.length() - 4), Npy.parse(in.readAllBytes(), file + ":" + name));
				}
			}
		}
		catch (final ZipException e) {
			throw new InvalidInputException("NumPy archive " + file + " is not a readable zip archive (truncated or corrupt?): " + e.getMessage(), e);
		}
		return new StateDict(file.toString(), out);
	}
}
