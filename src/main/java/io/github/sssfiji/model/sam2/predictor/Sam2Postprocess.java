package io.github.sssfiji.model.sam2.predictor;

/**
 * The image predictor's coordinate and mask transforms ({@code SAM2Transforms.transform_coords},
 * {@code postprocess_masks} without hole or sprinkle filling), in plain Java with PyTorch's float
 * rounding.
 */
public final class Sam2Postprocess {

	private Sam2Postprocess() {}

	/**
	 * Maps (x, y) pairs from an original image of {@code width x height} to the model input frame:
	 * {@code x / W * S}, {@code y / H * S}, in float32, dividing first.
	 */
	public static float[] transformCoords(final float[] xy, final int width, final int height, final int imageSize) {
		if (xy.length % 2 != 0) throw new IllegalArgumentException("coordinates must be (x, y) pairs");
		final float[] out = new float[xy.length];
		for (int i = 0; i < xy.length; i += 2) {
			out[i] = xy[i] / (float) width * imageSize;
			out[i + 1] = xy[i + 1] / (float) height * imageSize;
		}
		return out;
	}

}
