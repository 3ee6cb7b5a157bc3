package io.github.sssfiji.model.sam2.modeling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM 2's {@code ImageEncoder}: Hiera trunk then FPN neck. Output: the n trunk stage maps, the n
 * neck levels (before {@code scalp} drops the coarsest) and their n position encodings.
 */
final class ImageEncoder {

	private final Hiera trunk;
	private final FpnNeck neck;
	private final int levels;

	ImageEncoder(final ModelState state, final Sam2Config config) {
		this.trunk = new Hiera(state.scope("trunk"), config);
		this.neck = new FpnNeck(state.scope("neck"), config);
		this.levels = config.stages().length;
	}

	NDList forward(final NDArray image) {
		final NDList stages = trunk.forward(image);
		final NDList out = new NDList(stages);
		out.addAll(neck.forward(stages));
		return out;
	}

	int levels() {
		return levels;
	}
}
