package io.github.sssfiji.model.unet;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Channel masks for feature perturbation between {@link UNet#encode} and {@link UNet#decode}.
 * <p>
 * A mask is a (batch, channels) float array that multiplies a (batch, channels, height, width)
 * feature map, one factor per sample and channel. Two schemes are provided: UniMatch V1's
 * {@code nn.Dropout2d(0.5)} on every level ({@link #dropout2d}), and UniMatch V2's complementary
 * dropout of the deepest features of two strong views ({@link #complementaryMasks} with
 * {@link #withDeepestMasked}). Masks are drawn from a {@link Random} so runs are reproducible.
 * </p>
 */
public final class FeaturePerturbation {

	private FeaturePerturbation() {}

	/**
	 * {@code features * mask} with the mask broadcast over height and width. The result belongs to
	 * the features' manager.
	 *
	 * @throws IllegalArgumentException if the mask is not (batch, channels) of the features
	 */
	public static NDArray applyChannelMask(final NDArray features, final NDArray mask) {
		final Shape f = features.getShape();
		final Shape m = mask.getShape();
		if (f.dimension() != 4 || m.dimension() != 2 || m.get(0) != f.get(0) || m.get(1) != f.get(1))
			throw new IllegalArgumentException("channel mask of shape " + m + " does not fit features of shape " + f);
		return features.mul(mask.reshape(m.get(0), m.get(1), 1, 1));
	}

	/**
	 * A Dropout2d mask: each entry is 0 with probability {@code p}, otherwise {@code 1 / (1 - p)}.
	 */
	public static NDArray dropoutMask(final NDManager manager, final long batch, final long channels, final double p,
		final Random random)
	{
		if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
		final float keep = (float) (1 / (1 - p));
		final float[] values = new float[Math.toIntExact(batch * channels)];
		for (int i = 0; i < values.length; i++)
			values[i] = random.nextDouble() < p ? 0f : keep;
		return manager.create(values, new Shape(batch, channels));
	}

	/**
	 * UniMatch V1's feature perturbation: {@code Dropout2d(p)} applied independently to every level
	 * (UniMatch uses p = 0.5). The masks and results belong to each level's manager.
	 */
	public static NDList dropout2d(final NDList features, final double p, final Random random) {
		final NDList perturbed = new NDList(features.size());
		for (final NDArray level : features) {
			final Shape s = level.getShape();
			// the mask stays open: the backward pass of the product reads it, and closing a
			// Java-created array frees its buffer; it belongs to the level's (step) manager
			perturbed.add(applyChannelMask(level, dropoutMask(level.getManager(), s.get(0), s.get(1), p, random)));
		}
		return perturbed;
	}

	/**
	 * UniMatch V2's complementary dropout masks for two views of {@code samples} images each:
	 * {@code m1} is 0 or 2 per (sample, channel) with equal probability and {@code m2 = 2 - m1}, so
	 * the two views keep complementary channels; for {@code floor(samples / 2)} randomly chosen
	 * samples both masks are 1 (no dropout).
	 *
	 * @return {@code (m1, m2)}, each (samples, channels), in {@code manager}
	 */
	public static NDList complementaryMasks(final NDManager manager, final int samples, final int channels,
		final Random random)
	{
		final float[] m1 = new float[samples * channels];
		final float[] m2 = new float[samples * channels];
		for (int i = 0; i < m1.length; i++) {
			m1[i] = random.nextBoolean() ? 2f : 0f;
			m2[i] = 2f - m1[i];
		}
		final int[] order = permutation(samples, random);
		for (int k = 0; k < samples / 2; k++) {
			final int sample = order[k];
			for (int c = 0; c < channels; c++) {
				m1[sample * channels + c] = 1f;
				m2[sample * channels + c] = 1f;
			}
		}
		final Shape shape = new Shape(samples, channels);
		return new NDList(manager.create(m1, shape), manager.create(m2, shape));
	}

	/** A copy of the feature list whose deepest level is multiplied by {@code mask}. */
	public static NDList withDeepestMasked(final NDList features, final NDArray mask) {
		final NDList perturbed = new NDList(features.size());
		for (int level = 0; level < features.size() - 1; level++)
			perturbed.add(features.get(level));
		perturbed.add(applyChannelMask(features.get(features.size() - 1), mask));
		return perturbed;
	}

	private static int[] permutation(final int n, final Random random) {
		final int[] order = new int[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		for (int i = n - 1; i > 0; i--) {
			final int j = random.nextInt(i + 1);
			final int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		return order;
	}
}
