package io.github.sssfiji.sss.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.unet.NpzFixture;

/**
 * Cross-entropy, Dice and CE+Dice against hand-computed cases and against the PyTorch reference
 * values and logit gradients in {@code losses.npz} (made by
 * {@code bench/unet/unet_torch.py losses}, which also cross-checks its Dice with UniMatch's literal
 * boolean-indexing form and its CE with {@code F.cross_entropy}).
 */
class SegmentationLossTest {

	@Test
	void uniformLogitsGiveHandComputedValues() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			// two classes, equal logits: p = 0.5 everywhere; three pixels labelled 0, 1, ignored
			final NDArray logits = m.zeros(new Shape(1, 2, 1, 3));
			final NDArray target = m.create(new long[] { 0, 1, 255 }, new Shape(1, 1, 3));
			assertEquals(Math.log(2), CrossEntropyLoss.of(logits, target).getFloat(), 1e-6);
			// per class: intersect 0.5, target sum 1, probability sum 2 * 0.25 -> dice = (1 + s) / (1.5 + s)
			final double s = DiceLoss.SMOOTH;
			final double dice = 1 - (1 + s) / (1.5 + s);
			assertEquals(dice, DiceLoss.of(logits, target).getFloat(), 1e-6);
			assertEquals((Math.log(2) + dice) / 2, CeDiceLoss.of(logits, target).getFloat(), 1e-6);
			// weights: only the first pixel counts in the numerator, the denominator counts 2 labelled pixels
			final NDArray weights = m.create(new float[] { 1, 0, 1 }, new Shape(1, 1, 3));
			assertEquals(Math.log(2) / 2, CrossEntropyLoss.of(logits, target, weights).getFloat(), 1e-6);
			// class 0: (2*0.5 + s) / (1 + 0.25 + s); class 1: s / (0 + 0.25 + s)
			final double dice0 = 1 - (1 + s) / (1.25 + s);
			final double dice1 = 1 - s / (0.25 + s);
			assertEquals((dice0 + dice1) / 2, DiceLoss.of(logits, target, weights, true).getFloat(), 1e-6);
			assertEquals(dice1, DiceLoss.of(logits, target, weights, false).getFloat(), 1e-6);
		}
	}

	@Test
	void perfectPredictionHasNearZeroLossAndAllIgnoredGivesZero() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			final NDArray target = m.create(new int[] { 0, 1, 2, 2 }, new Shape(1, 2, 2));
			final NDArray logits = target.toType(DataType.INT64, false).oneHot(3).transpose(0, 3, 1, 2).mul(50f);
			assertTrue(CeDiceLoss.of(logits, target).getFloat() < 1e-5);
			final NDArray ignored = m.full(new Shape(1, 2, 2), 255, DataType.INT32);
			assertEquals(0f, CrossEntropyLoss.of(logits, ignored).getFloat());
		}
	}

	@Test
	void matchesPyTorchValuesAndGradients() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			final Map<String, NDArray> f = NpzFixture.resource(SegmentationLossTest.class, "losses.npz", m);
			final NDArray target = f.get("target");
			final NDArray mask = f.get("mask");
			check(f, "ce", z -> CrossEntropyLoss.of(z, target));
			check(f, "ce_soft", z -> CrossEntropyLoss.of(z, target, f.get("soft")));
			check(f, "dice", z -> DiceLoss.of(z, target));
			check(f, "dice_mask", z -> DiceLoss.of(z, target, mask, true));
			check(f, "dice_mask_nobg", z -> DiceLoss.of(z, target, mask, false));
			check(f, "cedice_mask", z -> CeDiceLoss.of(z, target, mask));
		}
	}

	@Test
	void rejectsBadArguments() {
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			final NDArray logits = m.zeros(new Shape(1, 3, 2, 2));
			final NDArray badLabel = m.create(new int[] { 0, 1, 3, 0 }, new Shape(1, 2, 2));
			assertThrows(IllegalArgumentException.class, () -> CrossEntropyLoss.of(logits, badLabel));
			assertThrows(IllegalArgumentException.class, () -> DiceLoss.of(logits, m.zeros(new Shape(1, 2, 3), DataType.INT32)));
			assertThrows(IllegalArgumentException.class, () -> CrossEntropyLoss.of(logits, m.zeros(new Shape(1, 2, 2))));
			assertThrows(IllegalArgumentException.class,
				() -> CeDiceLoss.of(logits, m.zeros(new Shape(1, 2, 2), DataType.INT32), m.ones(new Shape(1, 2))));
		}
	}

	private static void check(final Map<String, NDArray> f, final String name, final Function<NDArray, NDArray> loss) {
		final NDArray logits = f.get("logits").duplicate();
		logits.setRequiresGradient(true);
		final float value;
		try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
			final NDArray l = loss.apply(logits);
			value = l.getFloat();
			collector.backward(l);
		}
		assertEquals(f.get("value." + name).getFloat(), value, 1e-5, name + " value");
		final float[] expected = f.get("grad." + name).toFloatArray();
		final float[] actual = logits.getGradient().toFloatArray();
		for (int i = 0; i < expected.length; i++)
			assertEquals(expected[i], actual[i], 1e-6, name + " gradient " + i);
	}
}
