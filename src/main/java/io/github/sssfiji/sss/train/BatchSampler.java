package io.github.sssfiji.sss.train;

import java.util.ArrayList;
import java.util.List;

import io.github.sssfiji.InvalidInputException;

import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.augment.CutMixBox;
import io.github.sssfiji.sss.augment.Rng;
import io.github.sssfiji.sss.augment.SliceWarp;
import io.github.sssfiji.sss.augment.StrongAugmentation;

/**
 * Draws and augments the batch of one iteration. With {@code sequenceLength} L above 1 the
 * labelled part is {@code batch / L} runs of L consecutive slices of one labelled volume (a window
 * of one of {@link TrainingData#labelledRuns}, all windows equally likely), stored run after run in
 * slice order; every slice of a run gets the same spatial augmentation, so the run stays a volume.
 * Everything random comes from
 * {@link Rng#forIteration}{@code (seed, iteration, ...)}, so iteration t's batch is the same in an
 * uninterrupted and in a resumed run.
 */
public final class BatchSampler {

	static final int STREAM_LABELLED = 1, STREAM_UNLABELLED = 2;

	private final TrainingConfig config;
	private final TrainingData data;
	/** With sequences: every window of {@code sequenceLength} slices, as (run index, first slice). */
	private final List<int[]> windows = new ArrayList<>();

	/**
	 * @throws InvalidInputException when {@code sequenceLength} is above 1 and no labelled run has
	 *           that many consecutive slices of the same size
	 */
	public BatchSampler(final TrainingConfig config, final TrainingData data) {
		this.config = config;
		this.data = data;
		final int length = config.sam2().sequenceLength();
		if (length == 1) return;
		int longest = 0;
		final List<List<TrainingSlice>> runs = data.labelledRuns();
		for (int r = 0; r < runs.size(); r++) {
			final List<TrainingSlice> run = runs.get(r);
			longest = Math.max(longest, run.size());
			for (int first = 0; first + length <= run.size(); first++)
				if (sameSize(run.subList(first, first + length))) windows.add(new int[] { r, first });
		}
		if (windows.isEmpty())
			throw new InvalidInputException("'sequenceLength' = " + length + ": no labelled volume has " + length +
				" consecutive slices of the same size (the longest run of labelled slices has " + longest + ")");
	}

	private static boolean sameSize(final List<TrainingSlice> slices) {
		for (final TrainingSlice s : slices)
			if (s.width() != slices.get(0).width() || s.height() != slices.get(0).height()) return false;
		return true;
	}

	/**
	 * The batch of iteration {@code iteration}; without an unlabelled part in supervised mode or when
	 * {@code withUnlabelled} is false (the labelled part is the same either way).
	 */
	public Batch sample(final long iteration, final boolean withUnlabelled) {
		final int size = config.sampling().crop(), area = size * size;
		final List<TrainingSlice> labelled = data.labelled();
		final Rng rl = Rng.forIteration(config.run().seed(), iteration, STREAM_LABELLED);
		final float[] images = new float[config.sampling().batch() * area];
		final int[] labels = new int[config.sampling().batch() * area];
		if (config.sam2().sequenceLength() == 1)
			for (int b = 0; b < config.sampling().batch(); b++) {
				final TrainingSlice slice = labelled.get(rl.nextInt(labelled.size()));
				final SliceWarp warp = SliceWarp.randomWeak(slice.width(), slice.height(), size, config.sampling().minScale(), config.sampling().maxScale(), rl);
				warp.warp(slice.image(), 0, 1, 0f, images, b * area);
				System.arraycopy(warp.warpLabels(slice.labels(), 0), 0, labels, b * area, area);
			}
		else
			for (int run = 0, b = 0; run < config.sampling().batch() / config.sam2().sequenceLength(); run++) {
				final int[] window = windows.get(rl.nextInt(windows.size()));
				final List<TrainingSlice> slices = data.labelledRuns().get(window[0]).subList(window[1], window[1] + config.sam2().sequenceLength());
				final SliceWarp warp = SliceWarp.randomWeak(slices.get(0).width(), slices.get(0).height(), size, config.sampling().minScale(),
					config.sampling().maxScale(), rl);
				for (final TrainingSlice slice : slices) {
					warp.warp(slice.image(), 0, 1, 0f, images, b * area);
					System.arraycopy(warp.warpLabels(slice.labels(), 0), 0, labels, b * area, area);
					b++;
				}
			}
		if (!config.semiSupervised() || !withUnlabelled) return new Batch(size, config.sampling().batch(), images, labels, 0, null, null, null, null, null, null, null, null, null, null, null,
			null);

		final List<TrainingSlice> unlabelled = data.unlabelled();
		final Rng ru = Rng.forIteration(config.run().seed(), iteration, STREAM_UNLABELLED);
		final int n = config.sampling().unlabelledBatch();
		final float[] weak = new float[n * area];
		final boolean[] ignore = new boolean[n * area];
		final float[] strong1 = new float[n * area], strong2 = new float[n * area];
		final boolean prompted = config.prompting().prompted(), propagated = config.prompting().pseudoLabels() == PseudoLabels.PROPAGATED;
		final int classes = data.classNames().size();
		final SlicePrompts[] weakPrompts = new SlicePrompts[n];
		final boolean[] propagatedSlices = propagated ? new boolean[n] : null;
		final int[] propagatedLabels = propagated ? new int[n * area] : null;
		final float[] propagatedConfidence = propagated ? new float[n * area] : null;
		for (int b = 0; b < n; b++) {
			final TrainingSlice slice = unlabelled.get(ru.nextInt(unlabelled.size()));
			final SliceWarp warp = SliceWarp.randomWeak(slice.width(), slice.height(), size, config.sampling().minScale(), config.sampling().maxScale(), ru);
			final float[] w = warp.warp(slice.image(), 0f);
			System.arraycopy(w, 0, weak, b * area, area);
			// padding outside the source slice carries no pseudo-label either
			System.arraycopy(warp.warpMask(config.method().pcsw() ? slice.rejected() : null, true), 0, ignore, b * area, area);
			System.arraycopy(StrongAugmentation.apply(w, size, size, ru), 0, strong1, b * area, area);
			System.arraycopy(StrongAugmentation.apply(w, size, size, ru), 0, strong2, b * area, area);
			if (prompted) weakPrompts[b] = slice.prompts() == null ? SlicePrompts.none(1, classes) : slice.prompts().warped(warp, size);
			final TrainingSlice.Propagated p = propagated ? slice.propagated() : null;
			if (p != null) {
				propagatedSlices[b] = true;
				final int[] sliceLabels = new int[p.labels().length];
				for (int i = 0; i < sliceLabels.length; i++)
					sliceLabels[i] = p.label(i);
				System.arraycopy(warp.warpLabels(sliceLabels, 0), 0, propagatedLabels, b * area, area);
				final boolean[] confident = warp.warpMask(p.confident(), false);
				for (int i = 0; i < area; i++)
					propagatedConfidence[b * area + i] = confident[i] ? 1 : 0;
			}
		}
		final CutMixBox[] boxes1 = new CutMixBox[n], boxes2 = new CutMixBox[n];
		for (int b = 0; b < n; b++) {
			boxes1[b] = box(ru);
			boxes2[b] = box(ru);
		}
		final SlicePrompts weakAll = prompted ? SlicePrompts.concat(weakPrompts) : null;
		return new Batch(size, config.sampling().batch(), images, labels, n, weak, ignore, mix(strong1, boxes1, size), mix(strong2, boxes2, size), boxes1, boxes2,
			weakAll, prompted ? CarriedPrompts.mix(weakAll, boxes1) : null, prompted ? CarriedPrompts.mix(weakAll, boxes2) : null, propagatedSlices,
			propagatedLabels, propagatedConfidence);
	}

	private CutMixBox box(final Rng rng) {
		final TrainingConfig.Sampling sampling = config.sampling();
		return CutMixBox.random(sampling.crop(), sampling.cutmixProbability(), sampling.cutmixMinArea(), sampling.cutmixMaxArea(), 0.3, 1 / 0.3, rng);
	}

	/** Slices mixed with {@link Batch#mixSource}, reading from the unmixed originals. */
	static float[] mix(final float[] slices, final CutMixBox[] boxes, final int size) {
		final float[] mixed = slices.clone();
		for (int i = 0; i < boxes.length; i++)
			boxes[i].mix(mixed, i, slices, Batch.mixSource(i, boxes.length), size);
		return mixed;
	}
}
