package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.cli.BadInputCorpus.Case;
import io.github.sssfiji.cli.BadInputCorpus.Invocation;

/**
 * Runs every case of the {@link BadInputCorpus} in this JVM: exit code 2, exactly one {@code error:}
 * line on standard error naming the file or option and the problem, no stack trace, no file left
 * behind, done within {@link #TIMEOUT}, and fewer than {@link #ALLOCATION_BOUND} bytes allocated.
 */
class BadInputCorpusTest {

	/** Per case: a reader that hangs or loops fails here instead of stalling the build. */
	static final Duration TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Per case: bytes the case's thread allocates, garbage included. A reader that inflates a 256 MiB
	 * zip or gzip bomb, or allocates what a header declares before checking it, goes far beyond this.
	 * Allocation is counted rather than peak heap use because it is an upper bound on the case's own
	 * heap growth that does not depend on when the collector runs, on the heap size of the machine,
	 * or on what other threads allocate meanwhile; a peak-heap bound passed here and failed on CI.
	 */
	static final long ALLOCATION_BOUND = 160L << 20;

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

	private static final Map<String, Integer> PER_CATEGORY = new TreeMap<>();
	private static long largestAllocation;
	private static String largestAllocationCase = "";
	private static long started;

	@Test
	void theCorpusHasAtLeast300Cases() {
		final List<Case> cases = BadInputCorpus.cases();
		assertTrue(cases.size() >= 300, "only " + cases.size() + " cases");
		final Set<String> names = new TreeSet<>();
		for (final Case c : cases)
			assertTrue(names.add(c.toString()), "two cases named " + c);
	}

	@TestFactory
	Stream<DynamicTest> corpus() throws IOException {
		final Path root = Files.createTempDirectory("sss-bad-input");
		started = System.nanoTime();
		final List<Case> cases = BadInputCorpus.cases();
		int index = 0;
		final List<DynamicTest> tests = new java.util.ArrayList<>();
		for (final Case c : cases) {
			final int n = index++;
			tests.add(DynamicTest.dynamicTest(c.toString(), () -> {
				final Path dir = Files.createDirectories(root.resolve(String.format(Locale.ROOT, "case%03d", n)));
				try {
					check(c, dir);
				}
				finally {
					delete(dir);
				}
			}));
		}
		return tests.stream().onClose(() -> delete(root));
	}

	private static void check(final Case c, final Path dir) throws IOException {
		final Invocation invocation = c.fixture().make(dir);
		final Set<Path> before = files(dir);
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final long[] allocated = new long[1];
		final int code = assertTimeoutPreemptively(TIMEOUT, () -> {
			final long start = THREADS.getCurrentThreadAllocatedBytes();
			try {
				return run(invocation, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
			}
			finally {
				allocated[0] = THREADS.getCurrentThreadAllocatedBytes() - start;
			}
		}, "hang: " + c);
		final long allocation = allocated[0];
		final String o = out.toString(StandardCharsets.UTF_8), e = err.toString(StandardCharsets.UTF_8);
		synchronized (PER_CATEGORY) {
			PER_CATEGORY.merge(c.category(), 1, Integer::sum);
			if (allocation > largestAllocation) {
				largestAllocation = allocation;
				largestAllocationCase = c.toString();
			}
		}
		final String both = c + "\nstdout: " + o + "\nstderr: " + e;
		assertFalse(e.contains("\tat ") || o.contains("\tat "), "stack trace: " + both);
		assertFalse(e.contains("Exception") || o.contains("Exception"), "an exception's name in the output: " + both);
		assertEquals(2, code, "exit code: " + both);
		assertTrue(e.startsWith("error: "), "no error line: " + both);
		assertEquals(1, e.strip().lines().count(), "one error line: " + both);
		for (final String word : invocation.expected())
			assertTrue(e.contains(word), c + ": '" + word + "' in: " + e);
		assertEquals(before, files(dir), "files left behind or removed");
		assertTrue(allocation < ALLOCATION_BOUND, "allocated " + (allocation >> 20) + " MiB: " + c);
	}

	/** Runs the command line, or the reader call reported as {@link Main#run} reports. */
	private static int run(final Invocation invocation, final PrintStream out, final PrintStream err) {
		if (invocation.argv() != null) return Main.run(invocation.argv(), out, err);
		try {
			invocation.call().run();
			out.println("read without error");
			return 0;
		}
		catch (final InvalidInputException e) {
			err.println("error: " + Main.oneLine(e.getMessage()));
			return 2;
		}
		catch (final Exception | StackOverflowError | OutOfMemoryError e) {
			err.println("error: failed: " + e);
			e.printStackTrace(err);
			return 1;
		}
	}

	@AfterAll
	static void summary() {
		if (PER_CATEGORY.isEmpty()) return;
		final int total = PER_CATEGORY.values().stream().mapToInt(Integer::intValue).sum();
		System.out.printf(Locale.ROOT, "bad-input corpus: %d cases in %.1f s; largest allocation %d MiB (%s)%n", total,
			(System.nanoTime() - started) / 1e9, largestAllocation >> 20, largestAllocationCase);
		PER_CATEGORY.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-24s %d%n", k, v));
	}

	private static Set<Path> files(final Path dir) throws IOException {
		try (Stream<Path> walk = Files.walk(dir)) {
			return walk.map(dir::relativize).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
		}
	}

	private static void delete(final Path dir) {
		if (!Files.exists(dir)) return;
		try (Stream<Path> walk = Files.walk(dir)) {
			walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (final IOException e) {
			// a temporary folder; the OS cleans up what remains
		}
	}
}
