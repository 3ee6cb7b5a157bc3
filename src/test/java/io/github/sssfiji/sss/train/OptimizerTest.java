package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import io.github.sssfiji.djl.Engines;

/** The optimiser's step and the EMA update on a thread whose libtorch grad mode is on (any thread but the one that started the engine). */
class OptimizerTest {

	@Test
	void aStepWorksOnAThreadWithAutogradOn() throws InterruptedException {
		final Engine engine = Engines.pytorch();
		final AtomicReference<Throwable> failure = new AtomicReference<>();
		final Thread thread = new Thread(() -> {
			try (NDManager root = engine.newBaseManager()) {
				// libtorch's default on a thread where DJL did not start the engine
				JniUtils.setGradMode(true);
				final NDArray w = root.create(new float[] { 1, 2, 3 });
				w.setRequiresGradient(true);
				for (final Optimizer.Kind kind : Optimizer.Kind.values())
					try (Optimizer optimizer = new Optimizer(kind, 0.9, 0.01, Map.of("w", w), root)) {
						final float[] before = w.toFloatArray();
						try (GradientCollector collector = engine.newGradientCollector()) {
							collector.backward(w.mul(w).sum());
						}
						optimizer.step(0.1);
						final float[] after = w.toFloatArray();
						for (int i = 0; i < before.length; i++)
							assertTrue(after[i] < before[i], kind + ": the weights move against the gradient");
					}
				// the EMA teacher's in-place update too
				final io.github.sssfiji.nn.ModelState from = new io.github.sssfiji.nn.ModelState(root), to = new io.github.sssfiji.nn.ModelState(root);
				from.addParameter("w", new float[] { 4, 4, 4 }, new ai.djl.ndarray.types.Shape(3));
				to.addParameter("w", new float[] { 0, 0, 0 }, new ai.djl.ndarray.types.Shape(3));
				Ema.update(to, from, 0.5);
				org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] { 2, 2, 2 }, to.get("w").toFloatArray());
				assertTrue(JniUtils.isGradMode(), "the thread's grad mode is restored");
			}
			catch (final Throwable t) {
				failure.set(t);
			}
		});
		thread.start();
		thread.join();
		if (failure.get() != null) throw new AssertionError(failure.get());
	}
}
