package io.github.sssfiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Reads {@code medpy_reference.json}, written by {@code medpy_reference.py}. */
final class EvalFixtures {

	/** Relative tolerance against medpy: only summation order differs (numpy sums pairwise). */
	static final double RELATIVE = 1e-9;

	private EvalFixtures() {}

	/** One reference case: label volumes and medpy's scores per class. */
	record MedpyCase(int[] dims, double[] spacing, int[] prediction, int[] reference, Map<Integer, ClassMetrics> scores) {}

	static JsonObject load(final Class<?> owner, final String resource) throws IOException {
		try (InputStream in = owner.getResourceAsStream(resource)) {
			if (in == null) throw new IOException("missing test resource " + resource);
			try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
				return JsonParser.parseReader(reader).getAsJsonObject();
			}
		}
	}

	static MedpyCase medpyCase(final JsonObject c) {
		final JsonArray dimsJson = c.getAsJsonArray("dims"), spacingJson = c.getAsJsonArray("spacing");
		final int[] dims = new int[dimsJson.size()];
		final double[] spacing = new double[spacingJson.size()];
		for (int d = 0; d < dims.length; d++) {
			dims[d] = dimsJson.get(d).getAsInt();
			spacing[d] = spacingJson.get(d).getAsDouble();
		}
		final Map<Integer, ClassMetrics> scores = new TreeMap<>();
		for (final Map.Entry<String, com.google.gson.JsonElement> e : c.getAsJsonObject("scores").entrySet()) {
			final JsonObject s = e.getValue().getAsJsonObject();
			scores.put(Integer.parseInt(e.getKey()), new ClassMetrics(s.get("dice").getAsDouble(), s.get("jaccard").getAsDouble(),
				s.get("hd95").getAsDouble(), s.get("asd").getAsDouble(), s.get("assd").getAsDouble()));
		}
		return new MedpyCase(dims, spacing, digits(c.get("prediction").getAsString()), digits(c.get("reference").getAsString()), scores);
	}

	static void assertClose(final ClassMetrics expected, final ClassMetrics actual, final String what) {
		assertEquals(expected.dice(), actual.dice(), RELATIVE * expected.dice(), what + " dice");
		assertEquals(expected.jaccard(), actual.jaccard(), RELATIVE * expected.jaccard(), what + " jaccard");
		assertEquals(expected.hd95(), actual.hd95(), RELATIVE * expected.hd95(), what + " hd95");
		assertEquals(expected.asd(), actual.asd(), RELATIVE * expected.asd(), what + " asd");
		assertEquals(expected.assd(), actual.assd(), RELATIVE * expected.assd(), what + " assd");
	}

	private static int[] digits(final String s) {
		final int[] out = new int[s.length()];
		for (int i = 0; i < out.length; i++)
			out[i] = s.charAt(i) - '0';
		return out;
	}
}
