package io.github.sssfiji.sss.pcsw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * PCSW on the benchmark's 4-class 20 x 256 x 256 probability volume: every structure is kept whole, every
 * noise blob is rejected, and every prompt lies on its structure.
 */
class PcswSyntheticVolumeTest {

	@Test
	void keepsStructuresAndRejectsNoise() {
		final SyntheticProbabilities volume = SyntheticProbabilities.cardiacLike(256, 256, 20, 7);
		final PcswResult r = Pcsw.fromProbabilities(volume.probabilities, volume.dims(), new double[] { 1.4, 1.4, 10 }, PcswParameters.defaults());
		// structures span slices 3..16 (class 3: 3..14 and 5..16; class 2 starts at 4)
		assertEquals(List.of("1:3-16", "2:4-16", "3:3-14", "3:5-16"),
			r.chains().stream().map(c -> c.classLabel() + ":" + c.firstSlice() + "-" + c.lastSlice()).toList());
		final int nx = volume.nx, ny = volume.ny, n = nx * ny * volume.nz;
		int rejectedNoise = 0;
		for (int i = 0; i < n; i++) {
			final int x = i % nx;
			final boolean noiseBand = x >= 195;
			final int label = argmax(volume, i, n);
			final boolean confident = volume.probabilities[label * n + i] >= 0.95f;
			if (noiseBand && label > 0 && confident) {
				if (!r.rejected()[i] || r.labels()[i] != 0) fail("noise voxel " + i + " kept");
				rejectedNoise++;
			}
			if (!noiseBand) {
				if (r.rejected()[i] || r.labels()[i] != label) fail("structure voxel " + i + " rejected");
			}
		}
		assertTrue(rejectedNoise > 1000, "the volume has noise: " + rejectedNoise);
		for (final Chain c : r.chains()) {
			final List<Prompt> prompts = r.prompts().stream().filter(p -> p.chain() == c.id()).toList();
			assertEquals((c.span() + 1) / 2, prompts.size());
			for (final Prompt p : prompts) {
				final int i = (p.slice() * ny + p.clickY()) * nx + p.clickX();
				assertEquals(c.classLabel(), r.labels()[i], "click on its structure");
				assertTrue(p.xMin() < p.clickX() && p.clickX() < p.xMax() && p.yMin() < p.clickY() && p.clickY() < p.yMax());
			}
		}
	}

	private static int argmax(final SyntheticProbabilities v, final int i, final int n) {
		int best = 0;
		for (int c = 1; c < v.classes; c++)
			if (v.probabilities[c * n + i] > v.probabilities[best * n + i]) best = c;
		return best;
	}
}
