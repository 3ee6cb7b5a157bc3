package io.github.sssfiji.eval;

import io.github.sssfiji.io.MedicalImage;

/**
 * One evaluation case: a predicted label image and its reference.
 *
 * @param name the case name in reports
 * @param prediction predicted labels
 * @param reference reference (ground-truth) labels
 */
public record CasePair(String name, LabelVolume prediction, LabelVolume reference) {

	/** A case named after the reference image. */
	public static CasePair of(final MedicalImage prediction, final MedicalImage reference) {
		return new CasePair(reference.name(), LabelVolume.of(prediction), LabelVolume.of(reference));
	}
}
