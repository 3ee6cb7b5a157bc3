package io.github.sssfiji.sss.pcsw;

import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

import io.github.sssfiji.InvalidInputException;

/**
 * Thresholds of PCSW (Physical Constraints with a Sliding Window), immutable and validated. Build with
 * {@link #builder()}; {@link #defaults()} gives the values of the project design (SSS-DESIGN.md, section 5).
 * <ul>
 * <li>{@code rule} (default {@link PcswRule#CHAINS}): ours, or the authors' released {@link PcswRule#CONTINUITY}
 * rule. Under {@code continuity} only {@code confidenceThreshold} applies (it makes the coarse masks); the other
 * thresholds belong to the chains rule and are ignored (see {@link ContinuityRule}).</li>
 * <li>{@code confidenceThreshold} (tau_conf, default 0.95): a pixel is a candidate of its argmax class only when
 * its confidence (the winning probability) is at least this.</li>
 * <li>{@code minArea} (default 10 pixels): smaller 8-connected components of a slice are dropped.</li>
 * <li>{@code iouThreshold} (t_iou, default 0.1) and {@code maxCentroidDistance} (d_max, default 10): components of
 * adjacent slices are linked when their IoU reaches t_iou or their centroids are at most d_max apart, ...</li>
 * <li>{@code maxAreaRatio} (t_area, default 3): ... and the larger area is at most t_area times the smaller.
 * d_max is in the units of the in-plane spacing (mm for medical images) when spacing is given, in pixels
 * otherwise.</li>
 * <li>{@code windowLength} (N, default 3) and {@code minSupport} (m, default 2): a component is supported when,
 * in at least one window of N consecutive slices holding it, the components linked to it span at least m
 * slices, its own included (see {@link Pcsw}).</li>
 * <li>{@code promptFrequency} (default 2): prompts on the first slice of a chain and every this many slices
 * after it, as Medical SAM 2's {@code -prompt_freq}.</li>
 * <li>{@code singleInstance} (default false) and {@code singleInstanceClasses} (default none): for a
 * single-instance class only the best-scoring chain is kept; for the others every chain spanning at least N
 * slices. The default asserts no anatomical prior: with single instance on, a second real structure (a second
 * haemorrhage, say) would be discarded. Cardiac structures (ACDC) appear once per volume; use
 * {@link #cardiac()} or {@code singleInstance(true)} there.</li>
 * </ul>
 */
public final class PcswParameters {

	private final PcswRule rule;
	private final double confidenceThreshold;
	private final int minArea;
	private final double iouThreshold;
	private final double maxCentroidDistance;
	private final double maxAreaRatio;
	private final int windowLength;
	private final int minSupport;
	private final int promptFrequency;
	private final boolean singleInstance;
	private final Set<Integer> singleInstanceClasses;

	private PcswParameters(final Builder b) {
		rule = b.rule;
		confidenceThreshold = b.confidenceThreshold;
		minArea = b.minArea;
		iouThreshold = b.iouThreshold;
		maxCentroidDistance = b.maxCentroidDistance;
		maxAreaRatio = b.maxAreaRatio;
		windowLength = b.windowLength;
		minSupport = b.minSupport;
		promptFrequency = b.promptFrequency;
		singleInstance = b.singleInstance;
		singleInstanceClasses = Collections.unmodifiableSet(new TreeSet<>(b.singleInstanceClasses));
	}

	/** A builder holding the defaults. */
	public static Builder builder() {
		return new Builder();
	}

	/** The design defaults (every class multi-instance). */
	public static PcswParameters defaults() {
		return builder().build();
	}

	/** The design defaults with every class single-instance, for structures that appear once per volume. */
	public static PcswParameters cardiac() {
		return builder().singleInstance(true).build();
	}

	/** A builder starting from these values. */
	public Builder toBuilder() {
		final Builder b = new Builder();
		b.rule = rule;
		b.confidenceThreshold = confidenceThreshold;
		b.minArea = minArea;
		b.iouThreshold = iouThreshold;
		b.maxCentroidDistance = maxCentroidDistance;
		b.maxAreaRatio = maxAreaRatio;
		b.windowLength = windowLength;
		b.minSupport = minSupport;
		b.promptFrequency = promptFrequency;
		b.singleInstance = singleInstance;
		b.singleInstanceClasses.addAll(singleInstanceClasses);
		return b;
	}

	/** Which rule PCSW applies. */
	public PcswRule rule() {
		return rule;
	}

	public double confidenceThreshold() {
		return confidenceThreshold;
	}

	public int minArea() {
		return minArea;
	}

	public double iouThreshold() {
		return iouThreshold;
	}

	public double maxCentroidDistance() {
		return maxCentroidDistance;
	}

	public double maxAreaRatio() {
		return maxAreaRatio;
	}

	public int windowLength() {
		return windowLength;
	}

	public int minSupport() {
		return minSupport;
	}

	public int promptFrequency() {
		return promptFrequency;
	}

	/** Whether every class is single-instance. */
	public boolean singleInstance() {
		return singleInstance;
	}

	/** Classes that are single-instance in addition to all of them when {@link #singleInstance()}. */
	public Set<Integer> singleInstanceClasses() {
		return singleInstanceClasses;
	}

	/** Whether only the best-scoring chain of {@code classLabel} is kept. */
	public boolean isSingleInstance(final int classLabel) {
		return singleInstance || singleInstanceClasses.contains(classLabel);
	}

	@Override
	public String toString() {
		return "PcswParameters[rule=" + rule + ", confidenceThreshold=" + confidenceThreshold + ", minArea=" + minArea + ", iouThreshold=" + iouThreshold +
			", maxCentroidDistance=" + maxCentroidDistance + ", maxAreaRatio=" + maxAreaRatio + ", windowLength=" + windowLength +
			", minSupport=" + minSupport + ", promptFrequency=" + promptFrequency + ", singleInstance=" + singleInstance +
			", singleInstanceClasses=" + singleInstanceClasses + "]";
	}

	/** Mutable builder of {@link PcswParameters}; {@link #build()} validates every value. */
	public static final class Builder {

		private PcswRule rule = PcswRule.CHAINS;
		private double confidenceThreshold = 0.95;
		private int minArea = 10;
		private double iouThreshold = 0.1;
		private double maxCentroidDistance = 10;
		private double maxAreaRatio = 3;
		private int windowLength = 3;
		private int minSupport = 2;
		private int promptFrequency = 2;
		private boolean singleInstance = false;
		private final Set<Integer> singleInstanceClasses = new TreeSet<>();

		private Builder() {}

		/** The rule PCSW applies; not null. */
		public Builder rule(final PcswRule value) {
			rule = value;
			return this;
		}

		/** tau_conf in [0, 1]. */
		public Builder confidenceThreshold(final double value) {
			confidenceThreshold = value;
			return this;
		}

		/** Minimum component area in pixels, at least 1. */
		public Builder minArea(final int value) {
			minArea = value;
			return this;
		}

		/** t_iou in (0, 1]. */
		public Builder iouThreshold(final double value) {
			iouThreshold = value;
			return this;
		}

		/** d_max, at least 0 (mm when spacing is known, pixels otherwise). */
		public Builder maxCentroidDistance(final double value) {
			maxCentroidDistance = value;
			return this;
		}

		/** t_area, at least 1. */
		public Builder maxAreaRatio(final double value) {
			maxAreaRatio = value;
			return this;
		}

		/** N, at least 1. */
		public Builder windowLength(final int value) {
			windowLength = value;
			return this;
		}

		/** m, in [1, N]. */
		public Builder minSupport(final int value) {
			minSupport = value;
			return this;
		}

		/** Prompt every this many slices, at least 1. */
		public Builder promptFrequency(final int value) {
			promptFrequency = value;
			return this;
		}

		/** Whether every class is single-instance. */
		public Builder singleInstance(final boolean value) {
			singleInstance = value;
			return this;
		}

		/** These classes (labels at least 1; 0 is background) are single-instance; replaces earlier ones. */
		public Builder singleInstanceClasses(final int... classLabels) {
			singleInstanceClasses.clear();
			for (final int c : classLabels) {
				if (c < 1) throw new InvalidInputException("PCSW parameter singleInstanceClasses: class " + c +
					" in " + Arrays.toString(classLabels) + " is not a foreground class (labels start at 1)");
				singleInstanceClasses.add(c);
			}
			return this;
		}

		/**
		 * The parameters.
		 *
		 * @throws InvalidInputException naming the first parameter out of its range and its value
		 */
		public PcswParameters build() {
			if (rule == null) throw invalid("rule", null, "must be one of " + PcswRule.words());
			requireIn("confidenceThreshold", confidenceThreshold, 0, 1);
			if (minArea < 1) throw invalid("minArea", minArea, "must be at least 1 pixel");
			// IoU >= 0 would hold for every pair: 0 is no threshold but a switch-off of the other tests
			if (!(iouThreshold > 0 && iouThreshold <= 1)) throw invalid("iouThreshold", iouThreshold, "must be above 0 and at most 1");
			if (!(maxCentroidDistance >= 0) || Double.isInfinite(maxCentroidDistance))
				throw invalid("maxCentroidDistance", maxCentroidDistance, "must be a finite number >= 0");
			if (!(maxAreaRatio >= 1) || Double.isInfinite(maxAreaRatio))
				throw invalid("maxAreaRatio", maxAreaRatio, "must be a finite number >= 1");
			if (windowLength < 1) throw invalid("windowLength", windowLength, "must be at least 1 slice");
			if (minSupport < 1 || minSupport > windowLength)
				throw invalid("minSupport", minSupport, "must be between 1 and windowLength (" + windowLength + ")");
			if (promptFrequency < 1) throw invalid("promptFrequency", promptFrequency, "must be at least 1 slice");
			return new PcswParameters(this);
		}

		private static void requireIn(final String name, final double value, final double min, final double max) {
			if (!(value >= min && value <= max)) throw invalid(name, value, "must be between " + min + " and " + max);
		}

		private static InvalidInputException invalid(final String name, final Object value, final String rule) {
			return new InvalidInputException("PCSW parameter " + name + " = " + value + ": " + rule);
		}
	}
}
