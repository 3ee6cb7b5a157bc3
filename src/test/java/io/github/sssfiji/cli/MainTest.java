package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MainTest {

	/** Output and exit code of one CLI run. */
	static final class Run {
		final int code;
		final String out, err;

		Run(final String... args) {
			final ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
			code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
			out = o.toString(StandardCharsets.UTF_8);
			err = e.toString(StandardCharsets.UTF_8);
		}
	}

	@Test
	void unknownCommandIsAUsageError() {
		final Run run = new Run("frobnicate");
		assertEquals(2, run.code);
		assertTrue(run.err.startsWith("error: unknown command 'frobnicate'"), run.err);
		assertEquals(1, run.err.strip().lines().count());
	}

	@Test
	void noArgumentsPrintsUsage() {
		final Run run = new Run();
		assertEquals(2, run.code);
		assertTrue(run.err.contains("usage: java -jar sss-app.jar COMMAND"), run.err);
	}
}
