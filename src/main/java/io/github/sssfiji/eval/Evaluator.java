package io.github.sssfiji.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.github.sssfiji.InvalidInputException;

/**
 * Scores predicted label images against references, per case and class, and summarises them.
 * <p>
 * Each class c is scored on the binary masks {@code label == c} with {@link SegmentationMetrics}.
 * Prediction and reference must have the same dims; their spacings must agree within a relative
 * {@value #SPACING_TOLERANCE} per axis (a larger difference means the images do not belong together and
 * is an error, not a warning), and the reference spacing is used.
 * </p>
 */
public final class Evaluator {

	/** Largest relative difference between prediction and reference spacing that is taken as equal. */
	public static final double SPACING_TOLERANCE = 1e-3;

	private Evaluator() {
		// static utility
	}

	/**
	 * Scores every case for every class.
	 *
	 * @param cases the cases, in report order
	 * @param classes the labels to score, in report order; null for every non-zero label that occurs in
	 *        any prediction or reference, ascending, so that all cases are scored for the same classes
	 * @throws InvalidInputException when there are no cases or classes, a class repeats, or a pair differs in shape or spacing
	 */
	public static EvaluationResult evaluate(final List<CasePair> cases, final int[] classes) {
		if (cases.isEmpty()) throw new InvalidInputException("no cases to evaluate");
		for (final CasePair pair : cases)
			checkPair(pair);
		final int[] scored = classes == null ? presentLabels(cases) : checkedClasses(classes);
		final List<MetricsRow> rows = new ArrayList<>(cases.size() * scored.length);
		for (final CasePair pair : cases) {
			final LabelVolume reference = pair.reference();
			for (final int c : scored)
				rows.add(new MetricsRow(pair.name(), c, SegmentationMetrics.compute(pair.prediction().labels(), reference.labels(), reference.dims(),
					reference.spacing(), c)));
		}
		return summarise(rows, scored);
	}

	/**
	 * The result of rows scored elsewhere (e.g. one case per task of a cluster job, each by
	 * {@link #evaluate}): the rows as given, per class the means over cases, and the mean over classes.
	 *
	 * @param rows per case and class, in report order
	 * @param classes the classes scored, in report order; every row's class must be one of them
	 * @throws InvalidInputException when there are no rows, or a row's class is not listed
	 */
	public static EvaluationResult summarise(final List<MetricsRow> rows, final int[] classes) {
		if (rows.isEmpty()) throw new InvalidInputException("no cases to evaluate");
		final Map<Integer, List<ClassMetrics>> byClass = new LinkedHashMap<>();
		for (final int c : checkedClasses(classes))
			byClass.put(c, new ArrayList<>());
		for (final MetricsRow row : rows) {
			final List<ClassMetrics> of = byClass.get(row.classLabel());
			if (of == null) throw new InvalidInputException("case " + row.caseName() + ": class " + row.classLabel() + " is not one of " + Arrays.toString(classes));
			of.add(row.metrics());
		}
		final Map<Integer, MetricsSummary> perClass = new LinkedHashMap<>();
		final List<ClassMetrics> classMeans = new ArrayList<>();
		for (final Map.Entry<Integer, List<ClassMetrics>> entry : byClass.entrySet()) {
			final MetricsSummary summary = MetricsSummary.of(entry.getValue());
			perClass.put(entry.getKey(), summary);
			classMeans.add(summary.means());
		}
		return new EvaluationResult(rows, perClass, MetricsSummary.of(classMeans));
	}

	private static void checkPair(final CasePair pair) {
		final LabelVolume p = pair.prediction(), r = pair.reference();
		if (!Arrays.equals(p.dims(), r.dims()))
			throw new InvalidInputException("case " + pair.name() + ": prediction " + p.name() + " has shape " + Arrays.toString(p.dims()) +
				" but reference " + r.name() + " has shape " + Arrays.toString(r.dims()));
		final double[] ps = p.spacing(), rs = r.spacing();
		for (int d = 0; d < ps.length; d++)
			if (Math.abs(ps[d] - rs[d]) > SPACING_TOLERANCE * Math.max(ps[d], rs[d]))
				throw new InvalidInputException("case " + pair.name() + ": prediction " + p.name() + " has spacing " + Arrays.toString(ps) +
					" but reference " + r.name() + " has spacing " + Arrays.toString(rs));
	}

	private static int[] checkedClasses(final int[] classes) {
		if (classes.length == 0) throw new InvalidInputException("classes: the list of classes to evaluate is empty");
		final TreeSet<Integer> seen = new TreeSet<>();
		for (final int c : classes) {
			if (c < 0) throw new InvalidInputException("classes: class " + c + " in " + Arrays.toString(classes) + " is negative; labels are 0, 1, 2, ...");
			if (!seen.add(c)) throw new InvalidInputException("classes: class " + c + " is listed twice in " + Arrays.toString(classes));
		}
		return classes.clone();
	}

	private static int[] presentLabels(final List<CasePair> cases) {
		final TreeSet<Integer> labels = new TreeSet<>();
		for (final CasePair pair : cases) {
			addNonZero(labels, pair.prediction().labels());
			addNonZero(labels, pair.reference().labels());
		}
		if (labels.isEmpty()) throw new InvalidInputException("no class to evaluate: every prediction and reference is all background (0)");
		return labels.stream().mapToInt(Integer::intValue).toArray();
	}

	private static void addNonZero(final TreeSet<Integer> labels, final int[] values) {
		// labels are few: remember the last one seen to skip the set on long runs of the same value
		int last = 0;
		for (final int v : values) {
			if (v == 0 || v == last) continue;
			labels.add(v);
			last = v;
		}
	}
}
