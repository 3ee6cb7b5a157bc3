package io.github.sssfiji.model.sam2;

import java.util.Arrays;
import java.util.Locale;

import ai.djl.ndarray.NDArray;
import io.github.sssfiji.io.torch.TensorData;

/**
 * Compares an output with a reference tensor under {@code |a - b| <= abs + rel * |b|}, and reports
 * one line per output (name, PASS/FAIL, max abs error, worst error relative to its tolerance).
 */
public final class ParityCheck {

	/** The outcome for one output. */
	public static final class Result {
		private final String name;
		private final boolean pass;
		private final String problem;
		private final double maxAbsError;
		private final double worstRatio;
		private final double absTol;
		private final double relTol;

		Result(final String name, final boolean pass, final String problem, final double maxAbsError, final double worstRatio,
			final double absTol, final double relTol)
		{
			this.name = name;
			this.pass = pass;
			this.problem = problem;
			this.maxAbsError = maxAbsError;
			this.worstRatio = worstRatio;
			this.absTol = absTol;
			this.relTol = relTol;
		}

		public String name() {
			return name;
		}

		public boolean pass() {
			return pass;
		}

		/** Largest |a - b| (NaN when the shapes differ). */
		public double maxAbsError() {
			return maxAbsError;
		}

		/** Largest |a - b| / (abs + rel * |b|); the check passes when it is at most 1. */
		public double worstRatio() {
			return worstRatio;
		}

		@Override
		public String toString() {
			if (problem != null) return String.format(Locale.ROOT, "FAIL %s  %s", name, problem);
			return String.format(Locale.ROOT, "%s %s  max_abs_err %.3e  err/tol %.3f  (tol %.0e + %.0e*|ref|)", pass ? "PASS" : "FAIL",
				name, maxAbsError, worstRatio, absTol, relTol);
		}
	}

	private ParityCheck() {}

	/** Compares float32 output values (C order) of shape {@code shape} with the reference. */
	public static Result compare(final String name, final float[] actual, final long[] shape, final TensorData expected,
		final double absTol, final double relTol)
	{
		if (!Arrays.equals(shape, expected.shape()))
			return new Result(name, false, "shape " + Arrays.toString(shape) + " but reference " + Arrays.toString(expected.shape()),
				Double.NaN, Double.NaN, absTol, relTol);
		final float[] ref = expected.floats();
		double maxAbs = 0, worst = 0;
		boolean finite = true;
		for (int i = 0; i < ref.length; i++) {
			final double err = Math.abs((double) actual[i] - ref[i]);
			if (!Double.isFinite(err)) finite = false;
			maxAbs = Math.max(maxAbs, err);
			worst = Math.max(worst, err / (absTol + relTol * Math.abs(ref[i])));
		}
		if (!finite) return new Result(name, false, "non-finite values", Double.NaN, Double.NaN, absTol, relTol);
		return new Result(name, worst <= 1, null, maxAbs, worst, absTol, relTol);
	}

	/** Compares an NDArray (any float type, converted to float32) with the reference. */
	public static Result compare(final String name, final NDArray actual, final TensorData expected, final double absTol,
		final double relTol)
	{
		return compare(name, actual.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), actual.getShape().getShape(),
			expected, absTol, relTol);
	}
}
