package io.github.sssfiji.sss.pcsw;

import java.util.Arrays;
import java.util.Locale;

/**
 * The PCSW thresholds by name: the one list from which the Fiji commands (and so the macro keys) and
 * the CLI options are bound, so that a threshold is named, typed and defaulted in one place
 * ({@link PcswParameters.Builder} holds the defaults). The macro key is {@link #key()}
 * ({@code min_support}); the CLI option is {@link #option()} ({@code --min-support}).
 */
public enum PcswParameter {

	/** {@code chains} (ours) or {@code continuity} (the authors' released rule); see {@link PcswRule}. */
	RULE("rule", Kind.CHOICE),
	WINDOW("window", Kind.INTEGER),
	MIN_SUPPORT("min_support", Kind.INTEGER),
	MIN_AREA("min_area", Kind.INTEGER),
	IOU("iou", Kind.REAL),
	D_MAX("d_max", Kind.REAL),
	AREA_RATIO("area_ratio", Kind.REAL),
	PROMPT_FREQ("prompt_freq", Kind.INTEGER),
	CONFIDENCE("confidence", Kind.REAL),
	/** {@code true}, {@code false}, or (CLI only) a list of single-instance class labels. */
	SINGLE_INSTANCE("single_instance", Kind.CLASSES);

	/** How a value is written. */
	public enum Kind {
		INTEGER, REAL,
		/** A boolean for every class, or a list of class labels. */
		CLASSES,
		/** One of the words {@link #choices()}. */
		CHOICE
	}

	private final String key;
	private final Kind kind;

	PcswParameter(final String key, final Kind kind) {
		this.key = key;
		this.kind = kind;
	}

	/** The macro key and Fiji command parameter name, e.g. {@code min_support}. */
	public String key() {
		return key;
	}

	/** The CLI option without dashes, e.g. {@code min-support}. */
	public String option() {
		return key.replace('_', '-');
	}

	public Kind kind() {
		return kind;
	}

	/** The accepted words of a {@link Kind#CHOICE} parameter ({@link PcswRule}'s for {@link #RULE}); empty for the others. */
	public String[] choices() {
		return this == RULE ? Arrays.stream(PcswRule.values()).map(PcswRule::word).toArray(String[]::new) : new String[0];
	}

	/**
	 * The value of this threshold in {@code parameters}: an {@link Integer}, a {@link Double}, for
	 * {@link #SINGLE_INSTANCE} a {@link Boolean} (whether every class is single-instance), for {@link #RULE} the
	 * rule's word (a {@link String}).
	 */
	public Object value(final PcswParameters parameters) {
		return switch (this) {
			case RULE -> parameters.rule().word();
			case WINDOW -> parameters.windowLength();
			case MIN_SUPPORT -> parameters.minSupport();
			case MIN_AREA -> parameters.minArea();
			case IOU -> parameters.iouThreshold();
			case D_MAX -> parameters.maxCentroidDistance();
			case AREA_RATIO -> parameters.maxAreaRatio();
			case PROMPT_FREQ -> parameters.promptFrequency();
			case CONFIDENCE -> parameters.confidenceThreshold();
			case SINGLE_INSTANCE -> parameters.singleInstance();
		};
	}

	/** The default, as {@link #value} gives it. */
	public Object defaultValue() {
		return value(PcswParameters.defaults());
	}

	/**
	 * Sets this threshold: a {@link Number} for the numeric ones; for {@link #SINGLE_INSTANCE} a
	 * {@link Boolean} or an {@code int[]} of class labels; for {@link #RULE} a {@link PcswRule} or its word (an
	 * unknown word is an {@link io.github.sssfiji.InvalidInputException} naming the key {@code rule}). Validation
	 * happens in {@link PcswParameters.Builder#build()}.
	 */
	public PcswParameters.Builder set(final PcswParameters.Builder builder, final Object value) {
		return switch (this) {
			case RULE -> builder.rule(value instanceof PcswRule rule ? rule : PcswRule.of("PCSW parameter " + key, String.valueOf(value)));
			case WINDOW -> builder.windowLength(integer(value));
			case MIN_SUPPORT -> builder.minSupport(integer(value));
			case MIN_AREA -> builder.minArea(integer(value));
			case IOU -> builder.iouThreshold(real(value));
			case D_MAX -> builder.maxCentroidDistance(real(value));
			case AREA_RATIO -> builder.maxAreaRatio(real(value));
			case PROMPT_FREQ -> builder.promptFrequency(integer(value));
			case CONFIDENCE -> builder.confidenceThreshold(real(value));
			case SINGLE_INSTANCE -> value instanceof int[] classes ? builder.singleInstanceClasses(classes) : builder.singleInstance((Boolean) value);
		};
	}

	private int integer(final Object value) {
		if (value instanceof Integer || value instanceof Long || value instanceof Short) return ((Number) value).intValue();
		throw new IllegalArgumentException(key + ": an integer expected, got " + value);
	}

	private double real(final Object value) {
		if (value instanceof Number n) return n.doubleValue();
		throw new IllegalArgumentException(key + ": a number expected, got " + value);
	}

	@Override
	public String toString() {
		return key.toLowerCase(Locale.ROOT);
	}
}
