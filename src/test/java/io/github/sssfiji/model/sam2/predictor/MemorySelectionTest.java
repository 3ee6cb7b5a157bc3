package io.github.sssfiji.model.sam2.predictor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Memory-bank frame selection against cases worked out by hand from sam2_base.py. */
class MemorySelectionTest {

	@Test
	void previousFramesByTemporalPosition() {
		// t_pos 1..6: t_rel 6..2 step back from frame - 2, t_rel 1 is frame - 1
		assertArrayEquals(new int[] { -4, -3, -2, -1, 0, 1 }, MemorySelection.previousFrames(2, 7, 1));
		assertArrayEquals(new int[] { 25, 26, 27, 28, 29, 30 }, MemorySelection.previousFrames(31, 7, 1));
		// stride 3 at frame 10: ((10 - 2) // 3) * 3 = 6, then 3, 0, -3, -6; the last frame is 9 regardless
		assertArrayEquals(new int[] { -6, -3, 0, 3, 6, 9 }, MemorySelection.previousFrames(10, 7, 3));
		// Python's floor division for the frame right after the start
		assertArrayEquals(new int[] { -8, -6, -4, -2, 0 }, MemorySelection.previousFrames(1, 6, 2));
	}

	@Test
	void temporalEncodingIndexCountsFromTheEnd() {
		assertEquals(6, MemorySelection.temporalEncodingIndex(0, 7), "conditioning frames use maskmem_tpos_enc[6]");
		assertEquals(0, MemorySelection.temporalEncodingIndex(6, 7), "the previous frame uses maskmem_tpos_enc[0]");
	}

	@Test
	void closestConditioningFrames() {
		assertEquals(List.of(5, 0, 20), MemorySelection.selectConditioningFrames(12, List.of(5, 0, 20), -1), "all, in insertion order");
		assertEquals(List.of(0, 5), MemorySelection.selectConditioningFrames(12, List.of(0, 5), 2), "not more than the limit");
		// before 12: 10; at-or-after 12: 20; then the closest remaining: 5 (7 away) before 0 (12 away)
		assertEquals(List.of(10, 20, 5), MemorySelection.selectConditioningFrames(12, List.of(0, 5, 10, 20), 3));
		assertEquals(List.of(10, 12), MemorySelection.selectConditioningFrames(12, List.of(0, 10, 12, 30), 2), "the after side includes frames >= current");
		// a tie in distance keeps the earlier entry (Python's stable sort)
		assertEquals(List.of(3, 7, 1), MemorySelection.selectConditioningFrames(5, List.of(1, 3, 7, 9), 3));
	}
}
