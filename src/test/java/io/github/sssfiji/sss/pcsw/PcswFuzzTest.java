package io.github.sssfiji.sss.pcsw;

import static io.github.sssfiji.FuzzProperty.readsOrRefuses;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of PCSW on arbitrary label volumes: dims (up to 12 x 12 x 8), labels (mostly 0 to
 * 4, sometimes any int), confidences, voxel sizes and parameters all come from the fuzz data. PCSW
 * either returns a result that only removes voxels (every filtered label is the input label or 0) or
 * refuses the input with an {@link io.github.sssfiji.InvalidInputException}.
 */
class PcswFuzzTest {

	@FuzzTest(maxDuration = "3m")
	void pcswFiltersOrRefusesAnyLabelVolume(final FuzzedDataProvider data) throws Throwable {
		final int[] dims = { data.consumeInt(1, 12), data.consumeInt(1, 12), data.consumeInt(1, 8) };
		final int n = dims[0] * dims[1] * dims[2];
		final boolean anyInt = data.consumeInt(0, 15) == 0;
		final int[] labels = new int[n];
		for (int i = 0; i < n; i++)
			labels[i] = anyInt ? data.consumeInt() : data.consumeInt(0, 4);
		final float[] confidence;
		if (data.consumeBoolean()) {
			confidence = new float[n];
			for (int i = 0; i < n; i++)
				confidence[i] = data.consumeProbabilityFloat();
		}
		else confidence = null;
		final double[] spacing = data.consumeBoolean() ? null : new double[] { spacing(data), spacing(data), spacing(data) };
		final PcswParameters.Builder b = PcswParameters.builder();
		final PcswParameters[] parameters = new PcswParameters[1];
		readsOrRefuses(null, () -> {
			b.rule(data.pickValue(PcswRule.values()));
			if (data.consumeBoolean()) b.confidenceThreshold(data.consumeDouble());
			if (data.consumeBoolean()) b.minArea(data.consumeInt(-2, 50));
			if (data.consumeBoolean()) b.iouThreshold(data.consumeDouble());
			if (data.consumeBoolean()) b.maxCentroidDistance(data.consumeDouble());
			if (data.consumeBoolean()) b.maxAreaRatio(data.consumeDouble());
			if (data.consumeBoolean()) b.windowLength(data.consumeInt(-1, 10));
			if (data.consumeBoolean()) b.minSupport(data.consumeInt(-1, 10));
			if (data.consumeBoolean()) b.promptFrequency(data.consumeInt(-1, 10));
			if (data.consumeBoolean()) b.singleInstance(data.consumeBoolean());
			if (data.consumeBoolean()) b.singleInstanceClasses(data.consumeInt(-1, 5), data.consumeInt(0, 5));
			parameters[0] = b.build();
		});
		if (parameters[0] == null) return;
		readsOrRefuses(null, () -> {
			final PcswResult r = Pcsw.run(labels, confidence, dims, spacing, parameters[0]);
			final int[] filtered = r.labels();
			if (filtered.length != n) throw new AssertionError(filtered.length + " labels out for " + n + " in");
			for (int i = 0; i < n; i++)
				if (filtered[i] != 0 && filtered[i] != labels[i])
					throw new AssertionError("voxel " + i + ": label " + labels[i] + " became " + filtered[i]);
		});
	}

	private static double spacing(final FuzzedDataProvider data) {
		return data.consumeBoolean() ? data.consumeDouble() : data.consumeRegularDouble(0.1, 10);
	}
}
