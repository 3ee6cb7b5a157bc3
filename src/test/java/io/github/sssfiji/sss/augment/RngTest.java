package io.github.sssfiji.sss.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class RngTest {

	@Test
	void restoredStateContinuesTheSequence() {
		final Rng a = new Rng(42);
		a.nextDouble();
		a.nextInt(7);
		final Rng b = new Rng(0).restore(a.state());
		for (int i = 0; i < 100; i++) {
			assertEquals(a.nextLong(), b.nextLong());
			assertEquals(a.nextGaussian(), b.nextGaussian());
		}
	}

	@Test
	void iterationStreamsArePureFunctionsOfTheirArguments() {
		assertEquals(Rng.forIteration(3, 10, 1).nextLong(), Rng.forIteration(3, 10, 1).nextLong());
		assertNotEquals(Rng.forIteration(3, 10, 1).nextLong(), Rng.forIteration(3, 11, 1).nextLong());
		assertNotEquals(Rng.forIteration(3, 10, 1).nextLong(), Rng.forIteration(3, 10, 2).nextLong());
		assertNotEquals(Rng.forIteration(3, 10, 1).nextLong(), Rng.forIteration(4, 10, 1).nextLong());
	}

	@Test
	void uniformDoublesHaveTheRightMean() {
		final Rng rng = new Rng(1);
		double sum = 0;
		for (int i = 0; i < 100_000; i++)
			sum += rng.nextDouble();
		assertEquals(0.5, sum / 100_000, 0.01);
	}
}
