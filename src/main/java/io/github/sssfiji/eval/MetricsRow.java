package io.github.sssfiji.eval;

/**
 * The scores of one class in one case: a row of the evaluation table.
 *
 * @param caseName the case
 * @param classLabel the label value scored
 * @param metrics its scores
 */
public record MetricsRow(String caseName, int classLabel, ClassMetrics metrics) {}
