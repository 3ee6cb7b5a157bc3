package io.github.sssfiji.model.sam2.predictor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which stored frames {@code SAM2Base._prepare_memory_conditioned_features} attends to when frames
 * are tracked forward in index order: the conditioning frames ({@code select_closest_cond_frames}),
 * the previous non-conditioning frames by temporal position and stride, and how far back object
 * pointers reach.
 */
final class MemorySelection {

	private MemorySelection() {}

	/**
	 * {@code select_closest_cond_frames}: all conditioning frames when {@code max} is -1 or not
	 * exceeded, else the closest before, the closest at-or-after, then the temporally closest others.
	 * Returns the selected frames in the order their memories are concatenated.
	 */
	static List<Integer> selectConditioningFrames(final int frame, final List<Integer> conditioningFrames, final int max) {
		if (max == -1 || conditioningFrames.size() <= max) return new ArrayList<>(conditioningFrames);
		final List<Integer> selected = new ArrayList<>();
		conditioningFrames.stream().filter(t -> t < frame).max(Integer::compare).ifPresent(selected::add);
		conditioningFrames.stream().filter(t -> t >= frame).min(Integer::compare).ifPresent(selected::add);
		final List<Integer> rest = new ArrayList<>();
		for (final Integer t : conditioningFrames) if (!selected.contains(t)) rest.add(t);
		rest.sort(Comparator.comparingInt(t -> Math.abs(t - frame))); // stable, like Python's sorted
		final int remain = max - selected.size();
		for (int i = 0; i < remain && i < rest.size(); i++) selected.add(rest.get(i));
		return selected;
	}

	/**
	 * The frame each temporal position {@code t_pos = 1 .. numMaskmem-1} looks at (element
	 * {@code t_pos - 1}): {@code t_pos = numMaskmem-1} is the previous frame, the others step back
	 * from {@code ((frame - 2) // stride) * stride} in strides. Negative indices are before the start
	 * and select nothing.
	 */
	static int[] previousFrames(final int frame, final int numMaskmem, final int stride) {
		final int[] out = new int[Math.max(numMaskmem - 1, 0)];
		for (int tPos = 1; tPos < numMaskmem; tPos++) {
			final int tRel = numMaskmem - tPos;
			out[tPos - 1] = tRel == 1 ? frame - 1 : Math.floorDiv(frame - 2, stride) * stride - (tRel - 2) * stride;
		}
		return out;
	}

	/** Index into {@code maskmem_tpos_enc} for temporal position {@code tPos} (0 for conditioning frames). */
	static int temporalEncodingIndex(final int tPos, final int numMaskmem) {
		return numMaskmem - tPos - 1;
	}
}
