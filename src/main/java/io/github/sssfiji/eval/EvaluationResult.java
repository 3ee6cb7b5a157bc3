package io.github.sssfiji.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Evaluator#evaluate}: one row per case and class, in case order then class
 * order; per class the means over cases; and the mean over classes of those per-class means (the ACDC
 * protocol: average over volumes, then over structures).
 *
 * @param rows scores per case and class
 * @param perClass summary over cases, keyed by class label, in the order of the evaluated classes
 * @param mean means over the classes of the per-class means, a class whose mean of a score is undefined
 *        being left out of that score; its counts count classes
 */
public record EvaluationResult(List<MetricsRow> rows, Map<Integer, MetricsSummary> perClass, MetricsSummary mean) {

	/** Keeps unmodifiable copies that preserve the order. */
	public EvaluationResult {
		rows = List.copyOf(rows);
		perClass = Collections.unmodifiableMap(new LinkedHashMap<>(perClass));
	}
}
