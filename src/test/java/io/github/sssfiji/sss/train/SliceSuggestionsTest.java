package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.train.SliceSuggestions.Suggestion;

class SliceSuggestionsTest {

	private static final int N = 32, SLICES = 5;

	/**
	 * A square through all five slices; on slice 1 an 8 x 8 grey patch (x = 0.5: probability 1/2,
	 * the highest entropy), on slice 3 an isolated 6 x 6 blob that PCSW rejects. With the
	 * {@link PcswRefreshTest.Threshold} network slice 1's uncertainty is 64 / 1024 (plus the near-zero
	 * entropy of the confident pixels) and slice 3's rejected fraction 36 / 1024; nothing is prompted.
	 */
	@Test
	void slicesAreScoredByUncertaintyAndRejectedPixels() {
		final List<TrainingSlice> volume = new ArrayList<>();
		for (int z = 0; z < SLICES; z++) {
			final float[] image = new float[N * N];
			for (int y = 4; y < 12; y++)
				for (int x = 4; x < 12; x++)
					image[y * N + x] = 1;
			if (z == 1)
				for (int y = 20; y < 28; y++)
					for (int x = 20; x < 28; x++)
						image[y * N + x] = 0.5f;
			if (z == 3)
				for (int y = 20; y < 26; y++)
					for (int x = 22; x < 28; x++)
						image[y * N + x] = 1;
			volume.add(new TrainingSlice("v#" + z, image, null, N, N));
		}
		final List<Suggestion> scored;
		try (NDManager root = Engines.pytorch().newBaseManager(); PcswRefreshTest.Threshold net = new PcswRefreshTest.Threshold(root)) {
			scored = SliceSuggestions.score(net, List.of(volume), N, 4, PcswParameters.defaults(), root);
		}
		assertEquals(SLICES, scored.size());
		// a confident pixel (logit +-10) has entropy 4.99e-4 nats, / ln 2 per pixel
		final double confident = (Math.log1p(Math.exp(-10)) + 10 * Math.exp(-10) / (1 + Math.exp(-10))) / Math.log(2);
		for (int z = 0; z < SLICES; z++) {
			final Suggestion s = scored.get(z);
			assertEquals("v#" + z, s.name());
			assertEquals(z, s.slice());
			assertEquals(z == 1 ? (64 + 960 * confident) / 1024 : confident, s.entropy(), 1e-5, "slice " + z);
			assertEquals(z == 3 ? 36 / 1024.0 : 0, s.rejected(), 1e-12, "slice " + z);
			assertEquals(0, s.disagreement(), 0);
			assertEquals(s.entropy() + s.rejected(), s.score(), 1e-12);
		}
		// the three others tie (by name then): slice 0 comes next, unless neighbours of slices 1 and 3 are kept apart
		assertEquals(List.of(1, 3, 0), SliceSuggestions.pick(scored, 3, 0).stream().map(Suggestion::slice).toList());
		assertEquals(List.of(1, 3), SliceSuggestions.pick(scored, 3, 1).stream().map(Suggestion::slice).toList());
	}

	/** The best slices first; a slice within {@code spacing} of a taken one of the same volume is passed over, one of another volume is not. */
	@Test
	void suggestionsKeepTheirDistanceWithinAVolume() {
		final List<Suggestion> scored = List.of(new Suggestion("a5", 0, 5, 0.9, 0, 0, 0), new Suggestion("a6", 0, 6, 0.8, 0, 0, 0),
			new Suggestion("b6", 1, 6, 0.7, 0, 0, 0), new Suggestion("a8", 0, 8, 0.6, 0, 0, 0), new Suggestion("a3", 0, 3, 0.5, 0, 0, 0));
		assertEquals(List.of("a5", "b6", "a8"), SliceSuggestions.pick(scored, 3, 2).stream().map(Suggestion::name).toList());
		assertEquals(List.of("a5", "a6", "b6"), SliceSuggestions.pick(scored, 3, 0).stream().map(Suggestion::name).toList());
		assertEquals(List.of("a5", "b6"), SliceSuggestions.pick(scored, 5, 3).stream().map(Suggestion::name).toList());
	}
}
