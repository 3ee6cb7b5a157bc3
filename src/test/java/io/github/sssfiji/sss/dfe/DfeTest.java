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
}
