package io.github.sssfiji.io.torch;

import java.util.function.Supplier;

/**
 * One storage of a torch zip checkpoint ({@code <archive>/data/<key>}), decoded on first use and then
 * shared by every tensor view onto it.
 */
final class StorageRef {

	final TensorType type;
	final String key;
	final long numel;
	private final Supplier<byte[]> bytes;
	private final boolean bigEndian;
	private Object decoded;

	StorageRef(final TensorType type, final String key, final long numel, final Supplier<byte[]> bytes, final boolean bigEndian) {
		this.type = type;
		this.key = key;
		this.numel = numel;
		this.bytes = bytes;
		this.bigEndian = bigEndian;
	}

	/** The storage as float[] (floating types) or long[] (integer types), decoded once. */
	synchronized Object values() {
		if (decoded == null) {
			final byte[] raw = bytes.get();
			if (raw.length != numel * type.bytes())
				throw new IllegalArgumentException("storage " + key + " holds " + raw.length + " bytes, expected " + numel + " " +
					type + " elements (" + numel * type.bytes() + " bytes)");
			decoded = ElementDecoder.decode(raw, 0, (int) numel, type, bigEndian);
		}
		return decoded;
	}
}
