package io.github.sssfiji;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * The property every Jazzer fuzz test checks: a reader given any bytes either returns a result or
 * throws {@link InvalidInputException} whose message names the file (what the CLI turns into its one
 * {@code error:} line with exit 2). Any other exception or error (an {@code IOException}, a runtime
 * exception from a library, {@code StackOverflowError}, {@code OutOfMemoryError}) and a call that runs
 * longer than {@link #HANG} propagate to Jazzer as a finding.
 */
public final class FuzzProperty {

	/** A call on a fuzz input (at most a few KiB) that takes longer than this is a hang. */
	public static final long HANG_SECONDS = 10;

	private static ExecutorService worker = newWorker();

	/** A reader call. */
	public interface Read {
		void run() throws Exception;
	}

	private FuzzProperty() {}

	/**
	 * Runs {@code read}; passes when it returns or throws {@link InvalidInputException} naming
	 * {@code file}'s name ({@code file} null: any non-blank message).
	 */
	public static void readsOrRefuses(final Path file, final Read read) throws Throwable {
		final Future<?> call = worker.submit(() -> {
			read.run();
			return null;
		});
		try {
			call.get(HANG_SECONDS, TimeUnit.SECONDS);
		}
		catch (final TimeoutException e) {
			call.cancel(true);
			// the stuck thread stays behind; the next input gets a fresh one
			worker.shutdownNow();
			worker = newWorker();
			throw new AssertionError("hang: no result or error after " + HANG_SECONDS + " s" + (file == null ? "" : " reading " + file));
		}
		catch (final ExecutionException e) {
			final Throwable cause = e.getCause();
			if (!(cause instanceof InvalidInputException)) throw cause;
			final String message = cause.getMessage();
			if (message == null || message.isBlank()) throw new AssertionError("an InvalidInputException without a message", cause);
			if (file != null && !message.contains(file.getFileName().toString()))
				throw new AssertionError("the error does not name the file " + file.getFileName() + ": " + message, cause);
		}
	}

	/** Overwrites up to {@code maxPatches} runs of bytes of {@code bytes} at offsets chosen by {@code data}, then maybe cuts it. */
	public static byte[] damage(final byte[] bytes, final FuzzedDataProvider data, final int maxPatches) {
		byte[] b = bytes.clone();
		final int patches = data.consumeInt(0, maxPatches);
		for (int i = 0; i < patches && b.length > 0; i++) {
			final int at = data.consumeInt(0, b.length - 1);
			final byte[] with = data.consumeBytes(Math.min(8, b.length - at));
			System.arraycopy(with, 0, b, at, with.length);
		}
		if (data.consumeBoolean()) b = java.util.Arrays.copyOf(b, data.consumeInt(0, b.length));
		return b;
	}

	/**
	 * A zip of {@code entries} (name to bytes, in order) after entry-level damage chosen by
	 * {@code data}: entries dropped, replaced by fuzz bytes or damaged, stored or deflated; the zip
	 * bytes themselves are then maybe damaged too. Damage inside a compressed zip only breaks its CRC,
	 * so the readers behind the zip layer are reached through the entries.
	 */
	public static byte[] damagedZip(final java.util.Map<String, byte[]> entries, final FuzzedDataProvider data) {
		final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
			zip.setLevel(data.consumeBoolean() ? java.util.zip.Deflater.NO_COMPRESSION : java.util.zip.Deflater.BEST_SPEED);
			for (final java.util.Map.Entry<String, byte[]> e : entries.entrySet()) {
				final int change = data.consumeInt(0, 5);
				if (change == 1) continue;
				final byte[] content = change == 2 ? data.consumeBytes(data.consumeInt(0, 512)) : change == 3 ? damage(e.getValue(), data, 4) : e.getValue();
				zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
				zip.write(content);
				zip.closeEntry();
			}
			if (data.consumeBoolean()) {
				zip.putNextEntry(new java.util.zip.ZipEntry(data.consumeString(40)));
				zip.write(data.consumeBytes(256));
				zip.closeEntry();
			}
		}
		catch (final java.io.IOException | IllegalArgumentException e) {
			// a duplicate or unencodable fuzzed entry name: the zip so far
		}
		return data.consumeBoolean() ? damage(bytes.toByteArray(), data, 3) : bytes.toByteArray();
	}

	/** The entries (name to bytes, in order) of a zip. */
	public static java.util.Map<String, byte[]> entries(final byte[] zip) throws java.io.IOException {
		final java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
		try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
			for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null;)
				entries.put(e.getName(), in.readAllBytes());
		}
		return entries;
	}

	private static ExecutorService newWorker() {
		return Executors.newSingleThreadExecutor(r -> {
			final Thread t = new Thread(r, "fuzz-target");
			t.setDaemon(true);
			return t;
		});
	}
}
