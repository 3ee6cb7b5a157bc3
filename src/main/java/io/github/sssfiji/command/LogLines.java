package io.github.sssfiji.command;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.scijava.log.LogService;

/**
 * A {@link PrintStream} whose lines go to the {@link LogService} at info level with a prefix, so
 * that the progress lines of the training and prediction code (written for the CLI) appear in
 * Fiji's log.
 */
final class LogLines extends OutputStream {

	private final LogService log;
	private final String prefix;
	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private LogLines(final LogService log, final String prefix) {
		this.log = log;
		this.prefix = prefix;
	}

	/** A stream logging each line as {@code prefix + line}, or {@code null} without a log service. */
	static PrintStream to(final LogService log, final String prefix) {
		return log == null ? null : new PrintStream(new LogLines(log, prefix), true, StandardCharsets.UTF_8);
	}

	@Override
	public synchronized void write(final int b) {
		if (b == '\n') flushLine();
		else if (b != '\r') line.write(b);
	}

	@Override
	public synchronized void flush() {
		// PrintStream flushes after every println: only complete lines are logged
	}

	@Override
	public synchronized void close() {
		if (line.size() > 0) flushLine();
	}

	private void flushLine() {
		log.info(prefix + line.toString(StandardCharsets.UTF_8));
		line.reset();
	}
}
