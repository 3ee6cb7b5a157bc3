package io.github.sssfiji.io.torch;

/**
 * Element types a checkpoint tensor can arrive in, with their width in bytes. Floating types are
 * widened (or, for float64, narrowed) to float32 when read; integer and boolean types become int64.
 */
public enum TensorType {
	FLOAT32(4, true), FLOAT16(2, true), BFLOAT16(2, true), FLOAT64(8, true),
	INT64(8, false), INT32(4, false), INT16(2, false), INT8(1, false), UINT8(1, false), BOOL(1, false);

	private final int bytes;
	private final boolean floating;

	TensorType(final int bytes, final boolean floating) {
		this.bytes = bytes;
		this.floating = floating;
	}

	/** Bytes per element in the file. */
	public int bytes() {
		return bytes;
	}

	/** Whether values are read as float32 (otherwise as int64). */
	public boolean isFloating() {
		return floating;
	}
}
