package io.github.sssfiji.spark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The exit code and output of one {@link SparkMain} job run in the test's JVM, and the Spark settings the
 * embedded ({@code local[k]}) tests share: no web UI, no progress bars, the driver on the loopback
 * address.
 */
record SparkRun(int code, String out, String err) {

	private static final List<String> PROPERTIES = List.of("spark.ui.enabled=false", "spark.driver.host=127.0.0.1",
		"spark.driver.bindAddress=127.0.0.1", "spark.ui.showConsoleProgress=false");

	/** Runs {@code sss-spark.jar}'s main with {@code args}, capturing what it prints. */
	static SparkRun of(final String... args) {
		final ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
		final int code = SparkMain.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
		return new SparkRun(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
	}

	/** Sets the shared settings as system properties (a test class's {@code @BeforeAll}). */
	static void quiet() {
		for (final String p : PROPERTIES)
			System.setProperty(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
	}

	/** Clears them again (the class's {@code @AfterAll}), so that later tests in this JVM do not inherit them. */
	static void forgetQuiet() {
		for (final String p : PROPERTIES)
			System.clearProperty(p.substring(0, p.indexOf('=')));
	}

	@Override
	public String toString() {
		return "exit " + code + "\n" + out + err;
	}
}
