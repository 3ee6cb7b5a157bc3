package io.github.sssfiji.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and bytes, as lower-case hex: the one place SSS hashes with it. */
public final class Sha256 {

	private Sha256() {}

	/** A new SHA-256 digest. */
	public static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is not available", e);
		}
	}

	/** The SHA-256 of a file's bytes, read once in 64 KiB blocks. */
	public static String file(final Path file) throws IOException {
		final MessageDigest digest = digest();
		final byte[] buffer = new byte[1 << 16];
		try (InputStream in = Files.newInputStream(file)) {
			for (int n; (n = in.read(buffer)) > 0;)
				digest.update(buffer, 0, n);
		}
		return hex(digest.digest());
	}

	/** Lower-case hex of {@code bytes}, e.g. of a finished digest. */
	public static String hex(final byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}
}
