package io.github.sssfiji.sss.pcsw;

import java.util.Arrays;

/**
 * Run time of PCSW on a 4-class 20 x 256 x 256 probability volume (the one of {@link PcswSyntheticVolumeTest}), with
 * each rule ({@code chains}, ours, and {@code continuity}, the authors' released one) on the same volume. A main
 * class, not a test: run it with {@code bench/pcsw.sh}. Arguments: [runs] [X Y Z].
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
		System.out.printf("PCSW %d classes, %d x %d x %d (X x Y x Z), %d runs after 10 warm-up, %d processors%n", volume.classes, nx, ny, nz, runs,
			Runtime.getRuntime().availableProcessors());
		for (final PcswRule rule : PcswRule.values()) {
			final PcswParameters parameters = PcswParameters.builder().rule(rule).build();
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
			// a click outside its class's label (the continuity rule's box centre can miss a ring or crescent)
			int outside = 0;
			for (final Prompt p : result.prompts())
				if (result.labels()[(p.slice() * ny + p.clickY()) * nx + p.clickX()] != p.classLabel()) outside++;
			System.out.printf("  %-10s median %.1f ms, min %.1f ms, max %.1f ms; %d chains kept, %d prompts, %d voxels rejected, %d clicks outside their " +
				"class%n", rule.word(), millis[runs / 2], millis[0], millis[runs - 1], result.chains().size(), result.prompts().size(), rejected, outside);
			if (rule == PcswRule.CONTINUITY) for (final Prompt p : result.prompts())
				System.out.printf("    class %d: slice %d, box (%d, %d, %d, %d), click (%d, %d), chain slices %d..%d%n", p.classLabel(), p.slice(), p.xMin(),
					p.yMin(), p.xMax(), p.yMax(), p.clickX(), p.clickY(), result.chains().get(p.chain()).firstSlice(),
					result.chains().get(p.chain()).lastSlice());
		}
	}
}
