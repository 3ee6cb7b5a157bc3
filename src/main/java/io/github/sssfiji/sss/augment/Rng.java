package io.github.sssfiji.sss.augment;

import java.util.Random;

/**
 * A small seeded generator (SplitMix64) whose whole state is one {@code long}, so a training run can
 * save and restore it exactly.
 * <p>
 * It extends {@link Random} so that code taking a {@code Random} (such as the U-Net's feature
 * perturbation) can draw from it; every inherited method goes through {@link #next(int)}, and
 * {@link #nextGaussian()} is overridden because {@code Random}'s keeps a cached second value outside
 * the saved state.
 * </p>
 */
public final class Rng extends Random {

	private static final long serialVersionUID = 1L;

	private long state;

	/** A generator whose first outputs depend on every bit of {@code seed}. */
	public Rng(final long seed) {
		super(0);
		state = seed;
	}

	/**
	 * An independent stream for one purpose of one training iteration, a pure function of its
	 * arguments: a resumed run draws exactly what an uninterrupted run drew.
	 */
	public static Rng forIteration(final long seed, final long iteration, final int stream) {
		return new Rng(mix(mix(seed) ^ mix(iteration + 0x632BE59BD9B4E019L) ^ mix(stream * 0x9E3779B97F4A7C15L + 1)));
	}

	/** The generator's state; {@code new Rng(0).restore(state)} continues the same sequence. */
	public long state() {
		return state;
	}

	/** Sets the state saved by {@link #state()}. */
	public Rng restore(final long savedState) {
		state = savedState;
		return this;
	}

	@Override
	public synchronized void setSeed(final long seed) {
		state = seed;
	}

	@Override
	public long nextLong() {
		state += 0x9E3779B97F4A7C15L;
		return mix(state);
	}

	@Override
	protected int next(final int bits) {
		return (int) (nextLong() >>> (64 - bits));
	}

	/** Box-Muller, one value per call, no cached state. */
	@Override
	public double nextGaussian() {
		final double u = 1 - nextDouble();
		final double v = nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/** Uniform in [{@code min}, {@code max}). */
	public double uniform(final double min, final double max) {
		return min + (max - min) * nextDouble();
	}

	private static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}
}
