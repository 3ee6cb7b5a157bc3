package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * Hiera's tensor reshuffles on channels-last (B, H, W, C) arrays: window partition with zero padding
 * and its inverse, and 2D max pooling.
 */
final class WindowOps {

	private WindowOps() {}

	/** Padding that makes {@code size} a multiple of {@code window}. */
	static long pad(final long size, final int window) {
		return (window - size % window) % window;
	}

	/**
	 * Zero-pads H and W to multiples of {@code window}, then cuts (B, Hp, Wp, C) into
	 * (B * Hp/ws * Wp/ws, ws, ws, C) windows, row-major over the window grid.
	 */
	static NDArray partition(final NDArray x, final int window) {
		final Shape s = x.getShape();
		final long b = s.get(0), h = s.get(1), w = s.get(2), c = s.get(3);
		final long ph = pad(h, window), pw = pad(w, window);
		final NDArray padded = ph > 0 || pw > 0 ? x.pad(new Shape(0, 0, 0, pw, 0, ph), 0) : x;
		final long hp = h + ph, wp = w + pw;
		return padded.reshape(b, hp / window, window, wp / window, window, c).transpose(0, 1, 3, 2, 4, 5)
			.reshape(-1, window, window, c);
	}

	/** Reverses {@link #partition}: windows back to (B, Hp, Wp, C), then crops to (B, H, W, C). */
	static NDArray unpartition(final NDArray windows, final int window, final long hp, final long wp, final long h, final long w) {
		final long c = windows.getShape().get(3);
		final long b = windows.getShape().get(0) / (hp * wp / window / window);
		final NDArray x = windows.reshape(b, hp / window, wp / window, window, window, c).transpose(0, 1, 3, 2, 4, 5)
			.reshape(b, hp, wp, c);
		return hp > h || wp > w ? x.get(":, :" + h + ", :" + w + ", :") : x;
	}

	/** {@code nn.MaxPool2d(stride, stride)} (floor mode) applied to a channels-last array. */
	static NDArray maxPoolChannelsLast(final NDArray x, final int[] stride) {
		final Shape k = new Shape(stride[0], stride[1]);
		return Pool.maxPool2d(x.transpose(0, 3, 1, 2), k, k, new Shape(0, 0), false).transpose(0, 2, 3, 1);
	}
}
