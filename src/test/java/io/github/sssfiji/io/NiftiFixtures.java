package io.github.sssfiji.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * The nibabel-made NIfTI files in src/test/resources/io/github/sssfiji/io/nifti and the values
 * nibabel reported for them (expected.properties, written by make_fixtures.py).
 */
final class NiftiFixtures {

	private static final String FOLDER = "nifti/";
	private static Properties expected;

	private NiftiFixtures() {}

	static Path path(final String name) {
		final URL url = NiftiFixtures.class.getResource(FOLDER + name);
		if (url == null) throw new IllegalArgumentException("no test fixture " + name);
		try {
			return Paths.get(url.toURI());
		}
		catch (final URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	/** Names of the fixtures that expected.properties describes. */
	static List<String> described() {
		final TreeSet<String> names = new TreeSet<>();
		for (final String key : expected().stringPropertyNames())
			names.add(key.substring(0, key.lastIndexOf('.')));
		return List.copyOf(names);
	}

	static String get(final String fixture, final String field) {
		final String value = expected().getProperty(fixture + "." + field);
		if (value == null) throw new IllegalArgumentException("expected.properties has no " + fixture + "." + field);
		return value;
	}

	static int getInt(final String fixture, final String field) {
		return Integer.parseInt(get(fixture, field));
	}

	static double getDouble(final String fixture, final String field) {
		return Double.parseDouble(get(fixture, field));
	}

	/** A space-separated list; Python's {@code nan} and {@code inf} are understood. */
	static double[] getDoubles(final String fixture, final String field) {
		final String value = get(fixture, field).trim();
		if (value.isEmpty()) return new double[0];
		return Arrays.stream(value.split(" ")).mapToDouble(NiftiFixtures::parsePython).toArray();
	}

	static double parsePython(final String s) {
		switch (s) {
			case "nan": return Double.NaN;
			case "inf": return Double.POSITIVE_INFINITY;
			case "-inf": return Double.NEGATIVE_INFINITY;
			default: return Double.parseDouble(s);
		}
	}

	/** The file's bytes, decompressed when it is gzip. */
	static byte[] content(final Path file) throws IOException {
		final byte[] raw = Files.readAllBytes(file);
		if (raw.length < 2 || raw[0] != 0x1f || raw[1] != (byte) 0x8b) return raw;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
			return in.readAllBytes();
		}
	}

	private static synchronized Properties expected() {
		if (expected == null) {
			final Properties p = new Properties();
			try (InputStream in = Files.newInputStream(path("expected.properties"))) {
				p.load(in);
			}
			catch (final IOException e) {
				throw new UncheckedIOException(e);
			}
			expected = p;
		}
		return expected;
	}
}
