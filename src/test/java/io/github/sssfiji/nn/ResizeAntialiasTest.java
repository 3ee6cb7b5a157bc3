package io.github.sssfiji.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;


/**
 * Antialiased bilinear resizing against torch 1.13 ({@code antialias_reference.json}, made by
 * {@code make_fixtures.py} in the test resources): a +-10 mask downsampled by 4 as in
 * {@code _use_mask_as_output}, and non-integer factors down and up. Within 1e-6 abs + 1e-6 rel.
 */
class ResizeAntialiasTest {

	@Test
	void matchesTorchAntialiasedBilinear() throws IOException {
		try (Reader r = new InputStreamReader(getClass().getResourceAsStream("antialias_reference.json"), StandardCharsets.UTF_8)) {
			final JsonObject root = JsonParser.parseReader(r).getAsJsonObject();
			int cases = 0;
			for (final JsonElement e : root.getAsJsonArray("cases")) {
				final JsonObject c = e.getAsJsonObject();
				final JsonArray in = c.getAsJsonArray("in_shape");
				final JsonArray size = c.getAsJsonArray("out_size");
				final float[] input = floats(c.getAsJsonArray("input"));
				final float[] expected = floats(c.getAsJsonArray("output"));
				final float[] actual = Resize.bilinear(input, in.get(1).getAsInt(), in.get(2).getAsInt(), in.get(3).getAsInt(),
					size.get(0).getAsInt(), size.get(1).getAsInt(), true);
				assertEquals(expected.length, actual.length);
				for (int i = 0; i < expected.length; i++)
					assertEquals(expected[i], actual[i], 1e-6 + 1e-6 * Math.abs(expected[i]), c.get("name").getAsString() + " value " + i);
				cases++;
			}
			assertEquals(3, cases);
		}
	}

	private static float[] floats(final JsonArray a) {
		final float[] out = new float[a.size()];
		for (int i = 0; i < out.length; i++) out[i] = Float.parseFloat(a.get(i).getAsString());
		return out;
	}
}
