package io.github.sssfiji;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A small file system of its own (tmpfs) mounted on a folder, to fill a disk in a test: mounting
 * needs root, or sudo without a password (as on CI runners). Where neither is allowed, the test that
 * asks for one is aborted with the reason printed; the tests that limit file sizes with
 * {@code ulimit -f} ({@link ChildJvm}) cover the same writes without mounting.
 */
public final class SmallDisk implements AutoCloseable {

	private final Path folder;
	private final boolean sudo;

	private SmallDisk(final Path folder, final boolean sudo) {
		this.folder = folder;
		this.sudo = sudo;
	}

	/** Mounts a tmpfs of {@code megabytes} on {@code folder} (created), or aborts the test with the reason. */
	public static SmallDisk mount(final Path folder, final int megabytes) throws IOException, InterruptedException {
		Files.createDirectories(folder);
		final List<String> mount = List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=1777", "tmpfs", folder.toString());
		final String asUser = run(mount, false);
		if (asUser == null) return new SmallDisk(folder, false);
		final String withSudo = run(mount, true);
		if (withSudo == null) return new SmallDisk(folder, true);
		final String reason = "cannot mount a small tmpfs to fill (not root, no password-free sudo): " + asUser + "; sudo: " + withSudo;
		System.out.println("ABORTED, not passed: " + reason);
		Assumptions.abort(reason);
		throw new AssertionError("unreachable");
	}

	public Path folder() {
		return folder;
	}

	/** Fills the disk with a file until only about {@code freeBytes} are left. */
	public void fillUpTo(final long freeBytes) throws IOException {
		final long fill = Files.getFileStore(folder).getUsableSpace() - freeBytes;
		if (fill > 0) {
			final byte[] block = new byte[1 << 16];
			try (var out = Files.newOutputStream(folder.resolve("filler.bin"))) {
				for (long written = 0; written < fill; written += block.length)
					out.write(block, 0, (int) Math.min(block.length, fill - written));
			}
		}
	}

	@Override
	public void close() throws IOException, InterruptedException {
		final String failed = run(List.of("umount", folder.toString()), sudo);
		if (failed != null) throw new IOException("umount " + folder + ": " + failed);
	}

	/** Runs a command; {@code null} when it succeeded, else its output (or why it could not start). */
	private static String run(final List<String> command, final boolean sudo) throws InterruptedException {
		final List<String> full = new ArrayList<>(sudo ? List.of("sudo", "-n") : List.of());
		full.addAll(command);
		try {
			final Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return String.join(" ", full) + " did not end in 30 s";
			}
			final String output = new String(process.getInputStream().readAllBytes()).trim();
			return process.exitValue() == 0 ? null : String.join(" ", full) + ": exit " + process.exitValue() + " " + output;
		}
		catch (final IOException e) {
			return String.join(" ", full) + ": " + e.getMessage();
		}
	}
}
