package io.github.sssfiji.model.unet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Test helper: reads a NumPy {@code .npz} fixture with DJL's own decoder ({@link NDList#decode}),
 * keyed by entry name. Minimal on purpose; the product's weight import lives in {@code io.torch}.
 */
public final class NpzFixture {

	private NpzFixture() {}

	/** The arrays of a class-path resource next to {@code anchor}. */
	public static Map<String, NDArray> resource(final Class<?> anchor, final String name, final NDManager manager) {
		try (InputStream in = anchor.getResourceAsStream(name)) {
			if (in == null) throw new IllegalStateException("test fixture missing: " + name);
			return decode(in, manager);
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** The arrays of a file. */
	public static Map<String, NDArray> file(final Path path, final NDManager manager) {
		try (InputStream in = Files.newInputStream(path)) {
			return decode(in, manager);
		}
		catch (final IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static Map<String, NDArray> decode(final InputStream in, final NDManager manager) throws IOException {
		final Map<String, NDArray> arrays = new LinkedHashMap<>();
		for (final NDArray array : NDList.decode(manager, in))
			arrays.put(array.getName(), array);
		return arrays;
	}
}
