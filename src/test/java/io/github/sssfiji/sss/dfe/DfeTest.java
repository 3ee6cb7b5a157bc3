package io.github.sssfiji.sss.dfe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import io.github.sssfiji.djl.Engines;

class DfeTest {

	@Test
	void isTheIdentityAtInitialisation() {
		try (NDManager root = Engines.pytorch().newBaseManager(); Dfe dfe = Dfe.create(new int[] { 4, 8 }, root, 1);
			NDManager step = root.newSubManager())
		{
			step.getEngine().setRandomSeed(3);
			final NDList weak = new NDList(step.randomNormal(new Shape(2, 4, 8, 8)), step.randomNormal(new Shape(2, 8, 4, 4)));
			final NDList strong = new NDList(step.randomNormal(new Shape(2, 4, 8, 8)), step.randomNormal(new Shape(2, 8, 4, 4)));
			final NDList out = dfe.enhance(weak, strong);
			for (int k = 0; k < 2; k++)
				assertArrayEquals(strong.get(k).toFloatArray(), out.get(k).toFloatArray(), 0f);
			assertEquals(2 * 6, dfe.state().parameters().size());
		}
	}

	@Test
	void receivesGradientsAndThenChangesTheFeatures() {
		try (NDManager root = Engines.pytorch().newBaseManager(); Dfe dfe = Dfe.create(new int[] { 4 }, root, 1);
			NDManager step = root.newSubManager())
		{
			step.getEngine().setRandomSeed(4);
			final NDList weak = new NDList(step.randomNormal(new Shape(2, 4, 8, 8)));
			final NDList strong = new NDList(step.randomNormal(new Shape(2, 4, 8, 8)));
			final NDArray target = step.randomNormal(new Shape(2, 4, 8, 8));
			dfe.state().zeroGradients();
			try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
				collector.backward(dfe.enhance(weak, strong).get(0).mul(target).sum());
			}
			final NDArray out = dfe.state().get("level0.out.weight");
			try (NDArray g = out.getGradient()) {
				assertTrue(g.abs().sum().getFloat() > 0, "the zero-initialised output convolution gets a gradient");
				out.subi(g.mul(0.1));
			}
			final float[] before = strong.get(0).toFloatArray(), after = dfe.enhance(weak, strong).get(0).toFloatArray();
			double change = 0;
			for (int i = 0; i < before.length; i++)
				change += Math.abs(after[i] - before[i]);
			assertTrue(change > 0);
		}
	}

	/**
	 * The single-view form ({@code phi(concat(S, 0))}, half the reduce convolution) agrees with the
	 * general form given the view as its own reference, also at a pixel whose features are all zero.
	 */
	@Test
	void selfEnhancementIsTheGeneralFormWithTheViewAsItsReference() {
		try (NDManager root = Engines.pytorch().newBaseManager(); Dfe dfe = Dfe.create(new int[] { 4, 8 }, root, 1);
			NDManager step = root.newSubManager())
		{
			step.getEngine().setRandomSeed(6);
			for (final String level : new String[] { "level0", "level1" }) {
				final NDArray out = dfe.state().get(level + ".out.weight");
				out.set(step.randomNormal(out.getShape()).toFloatArray());
			}
			final float[] values = step.randomNormal(new Shape(2, 4, 8, 8)).toFloatArray();
			for (int c = 0; c < 4; c++)
				values[c * 64 + 9] = 0;
			final NDList features = new NDList(step.create(values, new Shape(2, 4, 8, 8)), step.randomNormal(new Shape(2, 8, 4, 4)));
			final NDList general = dfe.enhance(features, features), self = dfe.enhanceSelf(features);
			for (int k = 0; k < 2; k++) {
				final float[] expected = general.get(k).toFloatArray(), actual = self.get(k).toFloatArray();
				assertArrayEquals(expected, actual, 1e-5f, "level " + k);
				final float[] input = features.get(k).toFloatArray();
				double change = 0;
				for (int i = 0; i < input.length; i++)
					change += Math.abs(expected[i] - input[i]);
				assertTrue(change > 1, "DFE acts, so the comparison is not between two identities");
			}
		}
	}

	/** A strong-view pixel whose features are all zero (a dead pixel) gives finite gradients, not 0 / 0. */
	@Test
	void zeroFeatureVectorsKeepGradientsFinite() {
		try (NDManager root = Engines.pytorch().newBaseManager(); Dfe dfe = Dfe.create(new int[] { 4 }, root, 1);
			NDManager step = root.newSubManager())
		{
			step.getEngine().setRandomSeed(5);
			// a trained-looking DFE: non-zero output weights, so gradients reach the normalisation
			dfe.state().get("level0.out.weight").set(step.randomNormal(new Shape(4, 4, 1, 1)).toFloatArray());
			final NDList weak = new NDList(step.randomNormal(new Shape(1, 4, 4, 4)));
			final float[] values = step.randomNormal(new Shape(1, 4, 4, 4)).toFloatArray();
			for (int c = 0; c < 4; c++)
				values[c * 16 + 5] = 0; // pixel (1, 1) is zero in every channel
			final NDArray strong = step.create(values, new Shape(1, 4, 4, 4));
			strong.setRequiresGradient(true);
			try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
				collector.backward(dfe.enhance(weak, new NDList(strong)).get(0).square().sum());
			}
			for (final float g : strong.getGradient().toFloatArray())
				assertTrue(Float.isFinite(g), "gradient " + g);
		}
	}
}
