package io.github.sssfiji.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes files so that readers see either the old file or the complete new one: the content goes to
 * a temporary file in the same folder, which then replaces the target in one atomic rename. When
 * writing fails the temporary file is deleted and an existing target stays as it was.
 */
public final class AtomicFiles {

	private static final SecureRandom RANDOM = new SecureRandom();

	private AtomicFiles() {}

	/** Writes the content of a file to a stream. */
	@FunctionalInterface
	public interface Content {

		void writeTo(OutputStream out) throws IOException;
	}

	/** Writes {@code text} as UTF-8 to {@code target} atomically. */
	public static void writeString(final Path target, final String text) throws IOException {
		write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Writes {@code target} atomically. The stream given to {@code content} is buffered; closing it is
	 * not needed (and harmless).
	 *
	 * @throws IOException when the folder does not exist or writing or the rename fails; the target
	 *           is then unchanged
	 */
	public static void write(final Path target, final Content content) throws IOException {
		final Path absolute = target.toAbsolutePath();
		final Path folder = absolute.getParent();
		if (!Files.isDirectory(folder)) throw new IOException("cannot write " + target + ": the folder " + folder + " does not exist");
		// not Files.createTempFile: its owner-only permissions would end up on the target
		final Path temp = folder.resolve("." + absolute.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
		final FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		boolean moved = false;
		try {
			try (channel; OutputStream out = new BufferedOutputStream(new UncloseableStream(Channels.newOutputStream(channel)), 1 << 16)) {
				content.writeTo(out);
				out.flush();
				// on disk before the rename, so a crash cannot leave a renamed but incomplete file
				channel.force(true);
			}
			try {
				Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (final AtomicMoveNotSupportedException e) {
				Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
			}
			moved = true;
		}
		finally {
			if (!moved) Files.deleteIfExists(temp);
		}
	}

	/**
	 * Deletes the temporary files that {@link #write} left in {@code folder} for the targets named
	 * {@code targetNames}: only a JVM killed while writing leaves one (a failed write deletes its own).
	 * Call it when no other writer of those targets runs.
	 *
	 * @return the files deleted
	 */
	public static List<Path> deleteTemporaries(final Path folder, final Set<String> targetNames) throws IOException {
		if (!Files.isDirectory(folder)) return List.of();
		final List<Path> deleted = new ArrayList<>();
		try (Stream<Path> files = Files.list(folder)) {
			for (final Path file : (Iterable<Path>) files::iterator) {
				final String name = file.getFileName().toString();
				if (!name.startsWith(".") || !name.endsWith(".tmp")) continue;
				// .<target>.<random>.tmp
				final String inner = name.substring(1, name.length() - ".tmp".length());
				final int dot = inner.lastIndexOf('.');
				if (dot > 0 && targetNames.contains(inner.substring(0, dot)) && Files.deleteIfExists(file)) deleted.add(file);
			}
		}
		return deleted;
	}

	/** Lets content close its stream (e.g. to finish a GZIP trailer) without closing the channel early. */
	private static final class UncloseableStream extends java.io.FilterOutputStream {

		UncloseableStream(final OutputStream out) {
			super(out);
		}

		@Override
		public void write(final byte[] b, final int off, final int len) throws IOException {
			out.write(b, off, len);
		}

		@Override
		public void close() throws IOException {
			flush();
		}
	}
}
