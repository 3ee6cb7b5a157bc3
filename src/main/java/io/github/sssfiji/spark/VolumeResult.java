package io.github.sssfiji.spark;

import java.io.Serializable;
import java.util.List;

import io.github.sssfiji.eval.ClassMetrics;
import io.github.sssfiji.eval.MetricsRow;

/**
 * What an executor did with one {@link VolumeTask}: the label map written, or skipped since it
 * existed, or the volume failed (with the reason); the seconds it took, which executor ran it; and,
 * with a reference, the volume's metrics per class (empty otherwise, and when the metrics failed, the
 * reason being {@code metricsFailure}). {@code startedMillis} is the task's start on the executor's
 * clock (epoch milliseconds): with {@code seconds} it shows the gaps between tasks, Spark's cost per volume.
 */
record VolumeResult(int index, String input, Status status, String reason, long startedMillis, double seconds, String executor, List<Score> scores,
	String metricsFailure) implements Serializable
{

	enum Status {
		DONE, SKIPPED, FAILED
	}

	/** One row of the metrics table, in a form Spark can send back to the driver. */
	record Score(String caseName, int classLabel, double dice, double jaccard, double hd95, double asd, double assd) implements Serializable {

		static Score of(final MetricsRow row) {
			final ClassMetrics m = row.metrics();
			return new Score(row.caseName(), row.classLabel(), m.dice(), m.jaccard(), m.hd95(), m.asd(), m.assd());
		}

		MetricsRow row() {
			return new MetricsRow(caseName, classLabel, new ClassMetrics(dice, jaccard, hd95, asd, assd));
		}
	}

	VolumeResult {
		scores = List.copyOf(scores);
	}
}
