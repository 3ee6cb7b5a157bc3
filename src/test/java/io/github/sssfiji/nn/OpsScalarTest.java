package io.github.sssfiji.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sssfiji.djl.Engines;

class OpsScalarTest {

	/**
	 * The gradient of {@code sum(w * s)} is s everywhere, and of {@code sum(w / s)} 1 / s, also when
	 * the garbage collector runs and small direct buffers full of NaN are allocated between the
	 * forward and the backward pass: the memory a Java-buffer-backed scalar would have lived in is
	 * then freed and reused (with DJL's {@code mul(Number)} this test reads NaN or another number).
	 */
	@Test
	void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() {
		check(Ops::mul, 3f, 3f);
		check(Ops::div, 4f, 0.25f);
	}

	private static void check(final BiFunction<NDArray, Float, NDArray> op, final float scalar, final float expected) {
		final Engine engine = Engines.pytorch();
		final float[] want = new float[64];
		java.util.Arrays.fill(want, expected);
		try (NDManager root = engine.newBaseManager()) {
			for (int round = 0; round < 20; round++) {
				try (NDManager step = root.newSubManager()) {
					final NDArray w = step.ones(new Shape(64));
					w.setRequiresGradient(true);
					try (GradientCollector collector = engine.newGradientCollector()) {
						final NDArray loss = op.apply(w, scalar).sum();
						churn();
						collector.backward(loss);
					}
					assertArrayEquals(want, w.getGradient().toFloatArray(), 0f, "round " + round);
				}
			}
		}
	}

	/** Frees what is unreachable and hands the freed small blocks out again, filled with NaN. */
	private static void churn() {
		System.gc();
		final List<ByteBuffer> keep = new ArrayList<>();
		for (int i = 0; i < 256; i++) {
			final ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
			b.putFloat(0, Float.NaN);
			keep.add(b);
		}
	}
}
