package io.github.sssfiji.eval;

/**
 * Means of scores over cases (for one class) or over classes (the overall line), each mean taken over
 * the defined values only.
 *
 * @param means mean of each score; NaN where no value was defined
 * @param count cases (or classes) that were averaged; Dice and Jaccard are defined for all of them
 * @param surfaceCount cases (or classes) with defined surface distances, over which hd95, asd and assd are averaged
 */
public record MetricsSummary(ClassMetrics means, int count, int surfaceCount) {

	/** Means of the defined values of each score. */
	static MetricsSummary of(final Iterable<ClassMetrics> values) {
		final double[] sum = new double[5];
		final int[] defined = new int[5];
		int count = 0;
		for (final ClassMetrics m : values) {
			count++;
			add(sum, defined, 0, m.dice());
			add(sum, defined, 1, m.jaccard());
			add(sum, defined, 2, m.hd95());
			add(sum, defined, 3, m.asd());
			add(sum, defined, 4, m.assd());
		}
		final double[] mean = new double[5];
		for (int k = 0; k < 5; k++)
			mean[k] = defined[k] == 0 ? Double.NaN : sum[k] / defined[k];
		return new MetricsSummary(new ClassMetrics(mean[0], mean[1], mean[2], mean[3], mean[4]), count, defined[2]);
	}

	private static void add(final double[] sum, final int[] defined, final int k, final double value) {
		if (Double.isNaN(value)) return;
		sum[k] += value;
		defined[k]++;
	}
}
