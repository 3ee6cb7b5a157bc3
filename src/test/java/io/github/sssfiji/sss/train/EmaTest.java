package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.nn.ModelState;

class EmaTest {

	@Test
	void momentumFollowsUniMatchV2() {
		assertEquals(0, Ema.momentum(0, 0.996));
		assertEquals(0.5, Ema.momentum(1, 0.996));
		assertEquals(0.99, Ema.momentum(99, 0.996), 1e-12);
		assertEquals(0.996, Ema.momentum(249, 0.996), 1e-12);
		assertEquals(0.996, Ema.momentum(100_000, 0.996));
		assertEquals(0, Ema.momentum(199, 0.996, 200));
		assertEquals(0, Ema.momentum(200, 0.996, 200));
		assertEquals(0.5, Ema.momentum(201, 0.996, 200));
	}

	@Test
	void updatesParametersAndBuffersInPlace() {
		try (NDManager root = Engines.pytorch().newBaseManager(); ModelState teacher = new ModelState(root); ModelState student = new ModelState(root)) {
			teacher.addParameter("w", new float[] { 1, 2 }, new Shape(2));
			teacher.addBuffer("running_mean", new float[] { 10 }, new Shape(1));
			student.addParameter("w", new float[] { 3, -2 }, new Shape(2));
			student.addBuffer("running_mean", new float[] { 0 }, new Shape(1));
			final var before = teacher.get("w");
			Ema.update(teacher, student, 0.75);
			// 0.75 * teacher + 0.25 * student
			assertArrayEquals(new float[] { 1.5f, 1f }, teacher.get("w").toFloatArray(), 1e-6f);
			assertArrayEquals(new float[] { 7.5f }, teacher.get("running_mean").toFloatArray(), 1e-6f);
			assertEquals(before, teacher.get("w"));
			Ema.update(teacher, student, Ema.momentum(0, 0.996));
			assertArrayEquals(new float[] { 3, -2 }, teacher.get("w").toFloatArray(), 0f);
			// the student is untouched and the temporaries are gone
			assertArrayEquals(new float[] { 3, -2 }, student.get("w").toFloatArray(), 0f);
			assertEquals(2, student.manager().getManagedArrays().size());
		}
	}
}
