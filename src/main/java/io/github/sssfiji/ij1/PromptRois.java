package io.github.sssfiji.ij1;

import java.util.ArrayList;
import java.util.List;

import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import io.github.sssfiji.sss.pcsw.Prompt;

/**
 * SAM-2 prompts as ImageJ ROIs: per prompt a rectangle (the box) and a point (the click), both named
 * {@code class-slice} (slice 0-based, as in {@code prompts.json}) and placed on that slice.
 */
public final class PromptRois {

	private PromptRois() {}

	/** Two ROIs per prompt, box then click, in prompt order. */
	public static List<Roi> of(final List<Prompt> prompts) {
		final List<Roi> rois = new ArrayList<>(2 * prompts.size());
		for (final Prompt p : prompts) {
			final String name = p.classLabel() + "-" + p.slice();
			final Roi box = new Roi(p.xMin(), p.yMin(), p.xMax() - p.xMin() + 1, p.yMax() - p.yMin() + 1);
			final PointRoi click = new PointRoi(p.clickX(), p.clickY());
			for (final Roi roi : new Roi[] { box, click }) {
				roi.setName(name);
				roi.setPosition(p.slice() + 1);
				rois.add(roi);
			}
		}
		return rois;
	}

	/** An overlay holding {@link #of} the prompts, for headless runs and saved images. */
	public static Overlay overlay(final List<Prompt> prompts) {
		final Overlay overlay = new Overlay();
		for (final Roi roi : of(prompts))
			overlay.add(roi);
		return overlay;
	}
}
