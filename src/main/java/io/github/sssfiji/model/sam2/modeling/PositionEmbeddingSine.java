package io.github.sssfiji.model.sam2.modeling;

/**
 * SAM 2's {@code PositionEmbeddingSine(num_pos_feats, temperature 10000, normalize=True, scale 2*pi)},
 * computed in float32 steps like the PyTorch code: channels [0, F/2) encode y, [F/2, F) encode x,
 * sine on even and cosine on odd indices within each half.
 */
public final class PositionEmbeddingSine {

	private static final float EPS = 1e-6f;
	private static final float SCALE = (float) (2 * Math.PI);
	private static final float TEMPERATURE = 10000f;

	private PositionEmbeddingSine() {}

	/** The (F, H, W) encoding in C order, F = {@code numPosFeats} (must be even). */
	public static float[] encode(final int numPosFeats, final int height, final int width) {
		if (numPosFeats % 2 != 0) throw new IllegalArgumentException("num_pos_feats must be even, got " + numPosFeats);
		final int half = numPosFeats / 2;
		final float[] dimT = new float[half];
		for (int i = 0; i < half; i++) {
			final float exponent = (2f * (i / 2)) / half;
			dimT[i] = (float) Math.pow(TEMPERATURE, exponent);
		}
		final float[] out = new float[numPosFeats * height * width];
		final float yDen = height + EPS;
		final float xDen = width + EPS;
		for (int y = 0; y < height; y++) {
			final float ye = (y + 1) / yDen * SCALE;
			for (int x = 0; x < width; x++) {
				final float xe = (x + 1) / xDen * SCALE;
				for (int i = 0; i < half; i++) {
					final float py = ye / dimT[i];
					final float px = xe / dimT[i];
					out[(i * height + y) * width + x] = (float) (i % 2 == 0 ? Math.sin(py) : Math.cos(py));
					out[((half + i) * height + y) * width + x] = (float) (i % 2 == 0 ? Math.sin(px) : Math.cos(px));
				}
			}
		}
		return out;
	}
}
