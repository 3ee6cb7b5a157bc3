package io.github.sssfiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code main} class run in a new JVM with this test JVM's class path and engine settings, for tests
 * that kill a job (kill -9) or run it under an operating-system limit; its output goes to a log file.
 */
public final class ChildJvm {

	private final Process process;
	private final Path log;

	private ChildJvm(final Process process, final Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts {@code main} with {@code args}; with {@code fileSizeLimitKiB > 0} under
	 * {@code ulimit -f} (no file the JVM writes may grow beyond it: the write fails with "File too large").
	 */
	public static ChildJvm start(final Path log, final long fileSizeLimitKiB, final Class<?> main, final String... args) throws IOException {
		final List<String> command = new ArrayList<>();
		if (fileSizeLimitKiB > 0) command.addAll(List.of("bash", "-c", "ulimit -f " + fileSizeLimitKiB + " && exec \"$@\"", "child"));
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx512m");
		// the engine as in this JVM: offline, the same thread count (so that results compare exactly)
		for (final Map.Entry<Object, Object> property : System.getProperties().entrySet()) {
			final String key = property.getKey().toString();
			if (key.startsWith("ai.djl.") || key.equals("java.awt.headless") || key.equals("sss.shared.dir"))
				command.add("-D" + key + "=" + property.getValue());
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
		command.addAll(List.of(args));
		final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new ChildJvm(process, log);
	}

	/** Kills the JVM as kill -9 does (no shutdown hooks, no finally blocks) and waits until it is gone. */
	public void kill() throws InterruptedException {
		process.destroyForcibly();
		if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("the child JVM did not end after kill -9");
	}

	/**
	 * A moment of a job that writes {@code .nii.gz} outputs into a folder, told by the folder's files
	 * (so it is the same on a fast and a slow machine): while an output is written (its hidden temporary
	 * file exists), or once {@code count} outputs are complete.
	 */
	public record Moment(boolean whileWriting, int count) {

		/** While the first output is written. */
		public static Moment writing() {
			return new Moment(true, 0);
		}

		/** Once {@code count} outputs are complete. */
		public static Moment written(final int count) {
			return new Moment(false, count);
		}

		boolean reached(final Path folder) throws IOException {
			if (!Files.isDirectory(folder)) return false;
			try (Stream<Path> files = Files.list(folder)) {
				final List<String> names = files.map(p -> p.getFileName().toString()).toList();
				return whileWriting ? names.stream().anyMatch(n -> n.startsWith(".") && n.endsWith(".tmp"))
					: names.stream().filter(n -> n.endsWith(".nii.gz") && !n.startsWith(".")).count() >= count;
			}
		}

		@Override
		public String toString() {
			return whileWriting ? "while the first output was written" : "once " + count + " outputs were complete";
		}
	}

	/** Waits until {@code folder} shows {@code moment} (or the JVM ended by itself), and kills the JVM with kill -9. */
	public void killAt(final Path folder, final Moment moment) throws Exception {
		final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
		while (process.isAlive() && !moment.reached(folder)) {
			if (System.nanoTime() > deadline) throw new AssertionError("not " + moment + " in " + folder + " after 2 minutes:\n" + output());
			// a write of a small output takes a few milliseconds
			Thread.sleep(1);
		}
		kill();
	}

	public boolean isAlive() {
		return process.isAlive();
	}

	public long pid() {
		return process.pid();
	}

	/** Waits for the JVM to end by itself and returns its exit code. */
	public int waitFor(final long seconds) throws InterruptedException, IOException {
		if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("the child JVM did not finish in " + seconds + " s:\n" + output());
		}
		return process.exitValue();
	}

	/** What the JVM printed so far (stdout and stderr). */
	public String output() throws IOException {
		return Files.readString(log);
	}
}
