package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScheduleTest {

	@Test
	void progressIsTheFurtherOfIterationsAndBudget() {
		assertEquals(0.25, Schedule.progress(250, 1000, 1e6, 0), 1e-12, "no budget: iterations only");
		assertEquals(0.5, Schedule.progress(250, 1000, 300, 10), 1e-12, "5 of 10 minutes");
		assertEquals(0.25, Schedule.progress(250, 1000, 60, 10), 1e-12, "1 of 10 minutes, a quarter of the iterations");
		assertEquals(1, Schedule.progress(10, 1000, 900, 10), 1e-12, "past the budget");
	}

	@Test
	void learningRateIsPoly() {
		final TrainingConfig config = TrainingConfig.defaults().with("lr", 0.01).with("polyPower", 0.9);
		assertEquals(0.01, Schedule.learningRate(config, 0), 1e-15);
		assertEquals(0.01 * Math.pow(0.5, 0.9), Schedule.learningRate(config, 0.5), 1e-15);
		assertEquals(0, Schedule.learningRate(config, 1), 1e-15);
	}

	@Test
	void unlabelledWeightStartsLateAndRampsUp() {
		final TrainingConfig config = TrainingConfig.defaults().with("unlabelledStart", 0.1).with("unlabelledRampUp", 0.2);
		assertEquals(0, Schedule.unlabelledWeight(config, 0), 0);
		assertEquals(0, Schedule.unlabelledWeight(config, 0.0999), 0);
		assertEquals(Math.exp(-5), Schedule.unlabelledWeight(config, 0.1), 1e-12);
		assertEquals(Math.exp(-5 * 0.25), Schedule.unlabelledWeight(config, 0.2), 1e-12, "half-way up");
		assertEquals(1, Schedule.unlabelledWeight(config, 0.3), 1e-12);
		assertEquals(1, Schedule.unlabelledWeight(config, 0.9), 1e-12);
		assertEquals(1, Schedule.unlabelledWeight(config.with("unlabelledStart", 0).with("unlabelledRampUp", 0), 0), 0, "no ramp");
		assertEquals(0, Schedule.unlabelledWeight(config.with("mode", "supervised"), 0.9), 0, "supervised mode");
	}
}
