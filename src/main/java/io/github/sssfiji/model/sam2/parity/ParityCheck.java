package io.github.sssfiji.model.sam2.parity;

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
		private final String note;

		Result(final String name, final boolean pass, final String problem, final double maxAbsError, final double worstRatio,
			final double absTol, final double relTol)
		{
			this(name, pass, problem, maxAbsError, worstRatio, absTol, relTol, null);
		}

		Result(final String name, final boolean pass, final String problem, final double maxAbsError, final double worstRatio,
			final double absTol, final double relTol, final String note)
		{
			this.note = note;
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
			if (note != null) return String.format(Locale.ROOT, "%s %s  max_abs_err %.3e  %s", pass ? "PASS" : "FAIL", name, maxAbsError, note);
			if (absTol == 0 && relTol == 0)
				return String.format(Locale.ROOT, "%s %s  max_abs_err %.3e  (exact)", pass ? "PASS" : "FAIL", name, maxAbsError);
			return String.format(Locale.ROOT, "%s %s  max_abs_err %.3e  err/tol %.3f  (tol %.0e + %.0e*|ref|)", pass ? "PASS" : "FAIL",
				name, maxAbsError, worstRatio, absTol, relTol);
		}
	}

	private ParityCheck() {}

	/** A failed comparison that could not be made, e.g. for a missing input. */
	public static Result failed(final String name, final String problem) {
		return new Result(name, false, problem, Double.NaN, Double.NaN, 0, 0);
	}

	/** Compares float32 output values (C order) of shape {@code shape} with the reference. */
	public static Result compare(final String name, final float[] actual, final long[] shape, final TensorData expected,
		final double absTol, final double relTol)
	{
		if (!Arrays.equals(shape, expected.shape()))
			return new Result(name, false, "shape " + Arrays.toString(shape) + " but reference " + Arrays.toString(expected.shape()),
				Double.NaN, Double.NaN, absTol, relTol);
		final float[] ref = expected.isFloating() ? expected.floats() : widen(expected.longs());
		double maxAbs = 0, worst = 0;
		boolean finite = true;
		for (int i = 0; i < ref.length; i++) {
			final double err = Math.abs((double) actual[i] - ref[i]);
			if (!Double.isFinite(err)) finite = false;
			maxAbs = Math.max(maxAbs, err);
			// an exact check (zero tolerance) passes only on equal values
			worst = Math.max(worst, err == 0 ? 0 : err / (absTol + relTol * Math.abs(ref[i])));
		}
		if (!finite) return new Result(name, false, "non-finite values", Double.NaN, Double.NaN, absTol, relTol);
		return new Result(name, worst <= 1, null, maxAbs, worst, absTol, relTol);
	}

	/**
	 * Compares a boolean mask, {@code logits > 0} of the given values, with a reference bit-packed as
	 * {@code numpy.packbits(mask.reshape(-1), bitorder='big')}. A pixel may differ only where
	 * {@code |logit| < margin}; the max abs error is 1 when any pixel differs, else 0.
	 */
	public static Result compareMask(final String name, final float[] logits, final long[] shape, final long[] packed,
		final long[] unpackedShape, final double margin)
	{
		if (!Arrays.equals(shape, unpackedShape))
			return new Result(name, false, "shape " + Arrays.toString(shape) + " but reference " + Arrays.toString(unpackedShape), Double.NaN,
				Double.NaN, margin, 0);
		if (packed.length != (logits.length + 7) / 8)
			return new Result(name, false, "reference holds " + packed.length + " bytes, expected " + (logits.length + 7) / 8 + " for " +
				logits.length + " packed pixels", Double.NaN, Double.NaN, margin, 0);
		int flips = 0, hard = 0;
		for (int i = 0; i < logits.length; i++) {
			final boolean expected = ((packed[i >> 3] >> (7 - (i & 7))) & 1) == 1;
			if (expected != logits[i] > 0) {
				flips++;
				if (!(Math.abs(logits[i]) < margin)) hard++;
			}
		}
		final String note = String.format(Locale.ROOT, "(%d of %d mask pixels differ, %d where |logit| >= %.0e)", flips, logits.length, hard,
			margin);
		return new Result(name, hard == 0, null, flips > 0 ? 1 : 0, hard, margin, 0, note);
	}

	/** Compares an NDArray (any float type, converted to float32) with the reference. */
	public static Result compare(final String name, final NDArray actual, final TensorData expected, final double absTol,
		final double relTol)
	{
		return compare(name, actual.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), actual.getShape().getShape(),
			expected, absTol, relTol);
	}

	/** Integer references (labels) compared as float32: exact for magnitudes below 2^24. */
	private static float[] widen(final long[] values) {
		final float[] out = new float[values.length];
		for (int i = 0; i < values.length; i++) out[i] = values[i];
		return out;
	}
}
