package io.github.sssfiji.model.sam2.predictor;

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
 * The pointer temporal encoding ({@code get_1d_sine_pe}, used with {@code add_tpos_enc_to_obj_ptrs};
 * reference from torch 1.13 in {@code sine_pe_reference.json}) and torch's first-maximum argmax.
 */
class Sam2TrackStepTest {

	@Test
	void sinePositionsMatchTorch() throws IOException {
		try (Reader r = new InputStreamReader(getClass().getResourceAsStream("sine_pe_reference.json"), StandardCharsets.UTF_8)) {
			int cases = 0;
			for (final JsonElement e : JsonParser.parseReader(r).getAsJsonObject().getAsJsonArray("cases")) {
				final JsonObject c = e.getAsJsonObject();
				final JsonArray p = c.getAsJsonArray("positions");
				final int[] positions = new int[p.size()];
				for (int i = 0; i < positions.length; i++) positions[i] = p.get(i).getAsInt();
				final float[] actual = Sam2TrackStep.sinePositions(positions, c.get("t_diff_max").getAsInt(), c.get("dim").getAsInt());
				final JsonArray expected = c.getAsJsonArray("output");
				assertEquals(expected.size(), actual.length);
				for (int i = 0; i < actual.length; i++) assertEquals(Float.parseFloat(expected.get(i).getAsString()), actual[i], 1e-6, "value " + i);
				cases++;
			}
			assertEquals(2, cases);
		}
	}

	@Test
	void argMaxTakesTheFirstMaximum() {
		assertEquals(1, Sam2TrackStep.argMax(new float[] { 0.1f, 0.3f, 0.3f }));
		assertEquals(0, Sam2TrackStep.argMax(new float[] { 0.5f }));
		assertEquals(2, Sam2TrackStep.argMax(new float[] { -3f, -2f, -1f }));
	}
}
