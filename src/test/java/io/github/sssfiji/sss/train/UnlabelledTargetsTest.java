package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.augment.CutMixBox;
import io.github.sssfiji.sss.augment.Rng;

class UnlabelledTargetsTest {

	private static final int SIZE = 16, COUNT = 3;

	/** Image, pseudo-label, confidence and ignore mask of slice i all encode i, so a mixed pixel reveals its source. */
	@Test
	void imagePseudoLabelConfidenceAndIgnoreAreMixedWithTheSameBox() {
		final int area = SIZE * SIZE;
		final float[] images = new float[COUNT * area], confidence = new float[COUNT * area];
		final int[] pseudo = new int[COUNT * area];
		final boolean[] ignore = new boolean[COUNT * area];
		for (int i = 0; i < COUNT; i++)
			for (int p = 0; p < area; p++) {
				images[i * area + p] = i;
				pseudo[i * area + p] = i;
				confidence[i * area + p] = i == 1 ? 0.5f : 0.99f;
				ignore[i * area + p] = i == 2;
			}
		final Rng rng = new Rng(11);
		final CutMixBox[] boxes = new CutMixBox[COUNT];
		for (int i = 0; i < COUNT; i++)
			boxes[i] = CutMixBox.random(SIZE, 1, 0.1, 0.4, 0.3, 1 / 0.3, rng);
		final float[] mixed = BatchSampler.mix(images, boxes, SIZE);
		final UnlabelledTargets targets = UnlabelledTargets.build(pseudo, confidence, ignore, boxes, SIZE, 0.95);
		int inside = 0;
		for (int i = 0; i < COUNT; i++)
			for (int y = 0; y < SIZE; y++)
				for (int x = 0; x < SIZE; x++) {
					final int k = i * area + y * SIZE + x;
					final int source = boxes[i].contains(x, y) ? Batch.mixSource(i, COUNT) : i;
					if (source != i) inside++;
					assertEquals(source, (int) mixed[k]);
					assertEquals(source == 2 ? UnlabelledTargets.IGNORE : source, targets.labels()[k]);
					assertEquals(source == 1 ? 0f : 1f, targets.weights()[k]);
				}
		assertTrue(inside > 0, "some pixel must come from another slice");
	}

	/** Rejected (ignored) pixels have no weight: changing their pseudo-label leaves the loss unchanged. */
	@Test
	void pcswRejectedPixelsDoNotReachTheLoss() {
		final int area = SIZE * SIZE, classes = 4;
		final Rng rng = new Rng(2);
		final int[] pseudo = new int[COUNT * area];
		final float[] confidence = new float[COUNT * area];
		final boolean[] rejected = new boolean[COUNT * area];
		for (int k = 0; k < pseudo.length; k++) {
			pseudo[k] = rng.nextInt(classes);
			confidence[k] = 0.96f;
			rejected[k] = rng.nextDouble() < 0.3;
		}
		final CutMixBox[] none = { CutMixBox.NONE, CutMixBox.NONE, CutMixBox.NONE };
		final int[] changed = pseudo.clone();
		final int[] changedOutside = pseudo.clone();
		for (int k = 0; k < pseudo.length; k++) {
			if (rejected[k]) changed[k] = (pseudo[k] + 1) % classes;
			else {
				changedOutside[k] = (pseudo[k] + 1) % classes;
				break;
			}
		}
		final float[] logits = new float[COUNT * classes * area];
		for (int k = 0; k < logits.length; k++)
			logits[k] = (float) rng.nextGaussian();
		try (NDManager manager = Engines.pytorch().newBaseManager()) {
			final NDArray x = manager.create(logits, new Shape(COUNT, classes, SIZE, SIZE));
			final double base = loss(x, pseudo, confidence, rejected, none, manager);
			assertEquals(base, loss(x, changed, confidence, rejected, none, manager), 1e-7);
			assertNotEquals(base, loss(x, changedOutside, confidence, rejected, none, manager), 1e-7);
			// without the mask the same change matters
			assertNotEquals(base, loss(x, changed, confidence, new boolean[rejected.length], none, manager), 1e-4);
		}
	}

	private static double loss(final NDArray logits, final int[] pseudo, final float[] confidence, final boolean[] ignore, final CutMixBox[] boxes,
		final NDManager manager)
	{
		final UnlabelledTargets t = UnlabelledTargets.build(pseudo, confidence, ignore, boxes, SIZE, 0.95);
		return TrainingStep.unlabelledLoss(logits, t, manager, COUNT, SIZE).getFloat();
	}
}
