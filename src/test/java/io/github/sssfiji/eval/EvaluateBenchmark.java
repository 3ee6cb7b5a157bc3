package io.github.sssfiji.eval;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Times {@link Evaluator#evaluate} on a synthetic cardiac-like pair: 256 x 256 x 20 voxels, spacing
 * 1.4 x 1.4 x 8 mm, three classes (an ellipsoidal "LV", a shell around it, an offset "RV"); the
 * prediction has shifted, rescaled shapes and 0.1 % salt noise. Run by {@code bench/evaluate.sh}; not a
 * unit test (surefire does not pick up *Benchmark classes).
 * <p>
 * Arguments: [timed repetitions, default 10] [warm-up repetitions, default 5].
 * </p>
 */
public final class EvaluateBenchmark {

	private static final int[] DIMS = { 256, 256, 20 };
	private static final double[] SPACING = { 1.4, 1.4, 8 };

	private EvaluateBenchmark() {}

	public static void main(final String[] args) throws IOException {
		final int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 10;
		final int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 5;
		final int[] reference = heart(0, 0, 1.0, null);
		final int[] prediction = heart(2.5, -1.5, 1.06, new Random(42));
		final List<CasePair> cases = List.of(new CasePair("synthetic", new LabelVolume("synthetic_pred", prediction, DIMS, SPACING),
			new LabelVolume("synthetic_gt", reference, DIMS, SPACING)));
		EvaluationResult result = null;
		for (int i = 0; i < warmUp; i++)
			result = Evaluator.evaluate(cases, new int[] { 1, 2, 3 });
		// wall time, and the CPU time of this thread, which stays meaningful on a machine shared with other jobs
		final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		final long[] wall = new long[repetitions], cpu = new long[repetitions];
		for (int i = 0; i < repetitions; i++) {
			final long startCpu = threads.getCurrentThreadCpuTime();
			final long start = System.nanoTime();
			result = Evaluator.evaluate(cases, new int[] { 1, 2, 3 });
			wall[i] = System.nanoTime() - start;
			cpu[i] = threads.getCurrentThreadCpuTime() - startCpu;
		}
		System.out.printf(Locale.ROOT, "evaluate: %d x %d x %d voxels, spacing %s, 3 classes, 1 case, 1 thread%n", DIMS[0], DIMS[1], DIMS[2],
			Arrays.toString(SPACING));
		System.out.printf(Locale.ROOT, "ms per case, wall: %s%n", statistics(wall));
		System.out.printf(Locale.ROOT, "ms per case, thread CPU: %s%n", statistics(cpu));
		System.out.printf(Locale.ROOT, "(%d timed runs after %d warm-up runs)%n", repetitions, warmUp);
		System.out.printf(Locale.ROOT, "machine: %s, %d cores visible, %s %s, Java %s%n", cpuModel(), Runtime.getRuntime().availableProcessors(),
			System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
		System.out.print(EvaluationReport.toCsv(result));
	}

	/**
	 * Labels 1 (inner ellipsoid), 2 (shell around it), 3 (ellipsoid beside them), shifted by (dx, dy)
	 * voxels and scaled; salt noise of random labels on 0.1 % of the voxels when {@code noise} is given.
	 */
	private static int[] heart(final double dx, final double dy, final double scale, final Random noise) {
		final int nx = DIMS[0], ny = DIMS[1], nz = DIMS[2];
		final int[] labels = new int[nx * ny * nz];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					final double u = (x - 128 - dx) / scale, v = (y - 120 - dy) / scale, w = (z - 10) / scale;
					final double lv = sq(u / 22) + sq(v / 26) + sq(w / 7);
					final double shell = sq(u / 30) + sq(v / 34) + sq(w / 8.5);
					final double rv = sq((u + 45) / 18) + sq((v - 4) / 32) + sq(w / 6.5);
					final int i = (z * ny + y) * nx + x;
					if (lv <= 1) labels[i] = 1;
					else if (shell <= 1) labels[i] = 2;
					else if (rv <= 1) labels[i] = 3;
				}
		if (noise != null)
			for (int i = 0; i < labels.length; i++)
				if (noise.nextDouble() < 0.001) labels[i] = noise.nextInt(4);
		return labels;
	}

	private static String statistics(final long[] nanos) {
		final long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		double sum = 0;
		for (final long n : sorted)
			sum += n;
		return String.format(Locale.ROOT, "median %.1f, mean %.1f, min %.1f, max %.1f", sorted[sorted.length / 2] / 1e6, sum / sorted.length / 1e6,
			sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6);
	}

	private static double sq(final double v) {
		return v * v;
	}

	private static String cpuModel() {
		try {
			for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
				if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
		}
		catch (final IOException | RuntimeException e) {
			// not Linux: fall through
		}
		return "unknown CPU";
	}
}
