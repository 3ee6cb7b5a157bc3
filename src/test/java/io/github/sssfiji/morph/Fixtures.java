package io.github.sssfiji.morph;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Reads the JSON reference files that {@code make_fixtures.py} wrote with scipy. */
final class Fixtures {

	private Fixtures() {}

	static JsonObject load(final Class<?> owner, final String resource) throws IOException {
		try (InputStream in = owner.getResourceAsStream(resource)) {
			if (in == null) throw new IOException("missing test resource " + resource);
			try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
				return JsonParser.parseReader(reader).getAsJsonObject();
			}
		}
	}

	static int[] ints(final JsonArray array) {
		final int[] out = new int[array.size()];
		for (int i = 0; i < out.length; i++)
			out[i] = array.get(i).getAsInt();
		return out;
	}

	static double[] doubles(final JsonArray array) {
		final double[] out = new double[array.size()];
		for (int i = 0; i < out.length; i++)
			out[i] = array.get(i).getAsDouble();
		return out;
	}

	/** A mask written as a string of '0' and '1', x fastest. */
	static boolean[] mask(final String bits) {
		final boolean[] out = new boolean[bits.length()];
		for (int i = 0; i < out.length; i++)
			out[i] = bits.charAt(i) == '1';
		return out;
	}

	/** Parses a picture such as {@code "#.#|..#"}: rows separated by '|', '#' foreground, first row y = 0. */
	static boolean[] picture(final String rows) {
		return mask(rows.replace("|", "").replace('#', '1').replace('.', '0'));
	}
}
