package io.github.sssfiji.sss.pcsw;

import java.util.Arrays;

/**
 * Run time of PCSW on a 4-class 20 x 256 x 256 probability volume (the one of {@link PcswSyntheticVolumeTest}).
 * A main class, not a test: run it with {@code bench/pcsw.sh}. Arguments: [runs] [X Y Z].
 */
public final class PcswBenchmark {

	private PcswBenchmark() {}

	public static void main(final String[] args) {
		final int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
		final int nx = args.length > 3 ? Integer.parseInt(args[1]) : 256;
		final int ny = args.length > 3 ? Integer.parseInt(args[2]) : 256;
		final int nz = args.length > 3 ? Integer.parseInt(args[3]) : 20;
		final SyntheticProbabilities volume = SyntheticProbabilities.cardiacLike(nx, ny, nz, 7);
		final double[] spacing = { 1.4, 1.4, 10 };
		final PcswParameters parameters = PcswParameters.defaults();
		PcswResult result = null;
		for (int k = 0; k < 10; k++) // warm-up: let the JIT compile the hot loops
			result = Pcsw.fromProbabilities(volume.probabilities, volume.dims(), spacing, parameters);
		final double[] millis = new double[runs];
		for (int k = 0; k < runs; k++) {
			final long start = System.nanoTime();
			result = Pcsw.fromProbabilities(volume.probabilities, volume.dims(), spacing, parameters);
			millis[k] = (System.nanoTime() - start) / 1e6;
		}
		Arrays.sort(millis);
		int rejected = 0;
		for (final boolean b : result.rejected())
			if (b) rejected++;
		System.out.printf("PCSW %d classes, %d x %d x %d (X x Y x Z), %d runs after 10 warm-up, %d processors%n", volume.classes, nx, ny, nz, runs,
			Runtime.getRuntime().availableProcessors());
		System.out.printf("  median %.1f ms, min %.1f ms, max %.1f ms%n", millis[runs / 2], millis[0], millis[runs - 1]);
		System.out.printf("  %d chains kept, %d prompts, %d voxels rejected%n", result.chains().size(), result.prompts().size(), rejected);
	}
}
