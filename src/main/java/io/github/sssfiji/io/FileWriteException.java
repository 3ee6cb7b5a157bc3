package io.github.sssfiji.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file could not be written because of the machine, not the input: the disk or quota is full, the
 * folder is read-only, a file size limit. The message is one line for the user, naming the file and
 * the system's reason ({@code cannot write /data/run/last.sss: No space left on device}); the file
 * that was there before is unchanged ({@link AtomicFiles}).
 */
public final class FileWriteException extends IOException {

	private static final long serialVersionUID = 1L;

	public FileWriteException(final Path target, final IOException cause) {
		super("cannot write " + target + ": " + reason(cause), cause);
	}

	/** The system's words: {@code No space left on device}; for the exceptions that carry only a path, their kind. */
	private static String reason(final IOException e) {
		if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
		if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) return fs.getReason();
		return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
	}
}
