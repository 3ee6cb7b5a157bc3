package io.github.sssfiji.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that readers see either the old file or the complete new one: the content goes to
 * a temporary file in the same folder, which then replaces the target in one atomic rename. When
 * writing fails the temporary file is deleted and an existing target stays as it was. A process killed
 * while writing (kill -9, a power cut) leaves its temporary file, {@code .<name>.<pid>-<random>.tmp},
 * hidden beside the target; {@link #removeAbandoned} deletes such files when the job runs again.
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
	 * @throws IOException when the folder does not exist or writing or the rename fails (a
	 *           {@link FileWriteException} naming the target when the file system refuses: a full disk, a
	 *           read-only folder), or as {@code content} throws it; the target is then unchanged
	 */
	public static void write(final Path target, final Content content) throws IOException {
		final Path absolute = target.toAbsolutePath();
		final Path folder = absolute.getParent();
		if (!Files.isDirectory(folder)) throw new IOException("cannot write " + target + ": the folder " + folder + " does not exist");
		// not Files.createTempFile: its owner-only permissions would end up on the target
		// the writer's process id tells a later run whether the file is abandoned (see removeAbandoned)
		final Path temp = folder.resolve("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "-" +
			Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
		final FileChannel channel;
		try {
			channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		}
		catch (final IOException e) {
			throw new FileWriteException(target, e);
		}
		boolean moved = false;
		try {
			// the file system's failures (a full disk) name the file; the content's own exceptions pass as they are
			try (channel; OutputStream out = new BufferedOutputStream(new UncloseableStream(Channels.newOutputStream(channel), target), 1 << 16)) {
				content.writeTo(out);
				out.flush();
				// on disk before the rename, so a crash cannot leave a renamed but incomplete file
				try {
					channel.force(true);
				}
				catch (final IOException e) {
					throw new FileWriteException(target, e);
				}
			}
			try {
				Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (final AtomicMoveNotSupportedException e) {
				Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (final IOException e) {
				throw new FileWriteException(target, e);
			}
			moved = true;
		}
		finally {
			if (!moved) Files.deleteIfExists(temp);
		}
	}

	/**
	 * Deletes the temporary files that {@link #write} left for {@code targets} in a process that no
	 * longer runs (killed while writing): files {@code .<target name>.<pid>-<random>.tmp} in the
	 * targets' folders whose process id is not a live process of this machine. Only the given targets'
	 * files are touched, so jobs on other machines that write other files into a shared folder (the
	 * shards of a job array) keep theirs; a file of a live process (another job writing the same
	 * target now) is kept too.
	 *
	 * @return the files deleted
	 * @throws IOException if a folder cannot be listed or a file not deleted
	 */
	public static List<Path> removeAbandoned(final Collection<Path> targets) throws IOException {
		return removeTemporaries(targets, true);
	}

	/**
	 * Deletes every temporary file that {@link #write} left for {@code targets}, whichever process
	 * wrote it: for a caller that knows no writer of them runs any more, on any machine (a Spark
	 * job's driver once its tasks have ended, whose executors' process ids mean nothing here).
	 *
	 * @return the files deleted
	 * @throws IOException if a folder cannot be listed or a file not deleted
	 */
	public static List<Path> removeTemporaries(final Collection<Path> targets) throws IOException {
		return removeTemporaries(targets, false);
	}

	private static List<Path> removeTemporaries(final Collection<Path> targets, final boolean endedWritersOnly) throws IOException {
		final Map<Path, Set<String>> names = new HashMap<>();
		for (final Path target : targets) {
			final Path absolute = target.toAbsolutePath();
			names.computeIfAbsent(absolute.getParent(), f -> new HashSet<>()).add(absolute.getFileName().toString());
		}
		final List<Path> removed = new ArrayList<>();
		for (final Map.Entry<Path, Set<String>> folder : names.entrySet()) {
			if (!Files.isDirectory(folder.getKey())) continue;
			try (DirectoryStream<Path> files = Files.newDirectoryStream(folder.getKey(), ".*.tmp")) {
				for (final Path file : files) {
					final Matcher temp = TEMP.matcher(file.getFileName().toString());
					if (!temp.matches() || !folder.getValue().contains(temp.group(1))) continue;
					final long pid;
					try {
						pid = Long.parseLong(temp.group(2));
					}
					catch (final NumberFormatException e) {
						continue;
					}
					if (endedWritersOnly && ProcessHandle.of(pid).isPresent()) continue;
					if (Files.deleteIfExists(file)) removed.add(file);
				}
			}
		}
		return removed;
	}

	/** {@code .<target name>.<pid>-<random>.tmp}, as {@link #write} names its temporary files. */
	private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.([0-9]{1,19})-[0-9a-z]+\\.tmp");

	/**
	 * Lets content close its stream (e.g. to finish a GZIP trailer) without closing the channel early;
	 * a failed write (a full disk) names the target.
	 */
	private static final class UncloseableStream extends java.io.FilterOutputStream {

		private final Path target;

		UncloseableStream(final OutputStream out, final Path target) {
			super(out);
			this.target = target;
		}

		@Override
		public void write(final byte[] b, final int off, final int len) throws IOException {
			try {
				out.write(b, off, len);
			}
			catch (final FileWriteException e) {
				throw e;
			}
			catch (final IOException e) {
				throw new FileWriteException(target, e);
			}
		}

		@Override
		public void write(final int b) throws IOException {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void close() throws IOException {
			flush();
		}
	}
}
