package io.github.sssfiji.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;

/** The engine starts offline and a small conv net trains on CPU. */
class EnginesTest {

	@Test
	void startsOfflineWithoutTracking() {
		final Engine engine = Engines.pytorch();
		assertEquals("PyTorch", engine.getEngineName());
		assertEquals("true", System.getProperty("ai.djl.offline"));
		assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
		assertTrue(ai.djl.util.Utils.isOfflineMode());
		assertEquals("cpu()", engine.defaultDevice().toString());
	}

	@Test
	void smallConvNetLearnsOnCpu() {
		final Engine engine = Engines.pytorch();
		try (NDManager root = engine.newBaseManager()) {
			final SequentialBlock net = new SequentialBlock()
				.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build())
				.add(Activation::relu)
				.add(Pool.globalAvgPool2dBlock())
				.add(Blocks.batchFlattenBlock())
				.add(Linear.builder().setUnits(2).build());
			// seeded before the initialisation too: other tests in this JVM leave the generator anywhere
			root.getEngine().setRandomSeed(7);
			net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
			net.initialize(root, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(4, 1, 8, 8));
			final Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build();
			final ParameterStore store = new ParameterStore(root, false);
			final Loss loss = Loss.softmaxCrossEntropyLoss();
			float first = Float.NaN, last = Float.NaN;
			for (int step = 0; step < 30; step++) {
				try (NDManager sub = root.newSubManager()) {
					// class 1: bright images, class 0: dark ones
					final NDArray labels = sub.create(new float[] { 0, 1, 0, 1 });
					final NDArray x = sub.randomUniform(0, 1, new Shape(4, 1, 8, 8)).add(labels.reshape(4, 1, 1, 1).mul(2));
					try (GradientCollector collector = engine.newGradientCollector()) {
						final NDArray logits = net.forward(store, new NDList(x), true).singletonOrThrow();
						final NDArray l = loss.evaluate(new NDList(labels), new NDList(logits));
						collector.backward(l);
						if (step == 0) first = l.getFloat();
						last = l.getFloat();
					}
					for (final Pair<String, Parameter> p : net.getParameters()) {
						final NDArray w = p.getValue().getArray();
						try (NDArray g = w.getGradient()) {
							adam.update(p.getKey(), w, g);
						}
					}
				}
			}
			assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
		}
	}

	/** Grad mode is per thread: on in a new thread, off inside the guard, restored (also when nested) on close. */
	@Test
	void noGradTurnsAutogradOffOnTheCallingThreadAndRestoresIt() throws Exception {
		Engines.pytorch();
		final List<Boolean> modes = FreshThreads.call(() -> {
			final List<Boolean> seen = new ArrayList<>();
			seen.add(JniUtils.isGradMode());
			try (Engines.NoGrad outer = Engines.noGrad()) {
				seen.add(JniUtils.isGradMode());
				try (Engines.NoGrad inner = Engines.noGrad()) {
					seen.add(JniUtils.isGradMode());
				}
				seen.add(JniUtils.isGradMode());
			}
			seen.add(JniUtils.isGradMode());
			return seen;
		});
		assertEquals(List.of(true, false, false, false, true), modes);
	}
}
