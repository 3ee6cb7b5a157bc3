package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.augment.CutMixBox;

/** Strong views of a batch of two: view 0 receives slice 1 inside its CutMix box, view 1 receives slice 0. */
class CarriedPromptsTest {

	private static final int CLASSES = 3;

	@Test
	void withoutCutMixEachViewKeepsItsOwnPrompts() {
		final SlicePrompts weak = new SlicePrompts.Builder(2, CLASSES).set(0, 1, new int[] { 2, 2, 9, 9 }, new int[] { 5, 5 })
			.set(1, 2, new int[] { 20, 20, 30, 30 }, new int[] { 25, 25 }).build();
		final SlicePrompts mixed = CarriedPrompts.mix(weak, new CutMixBox[] { CutMixBox.NONE, CutMixBox.NONE });
		assertArrayEquals(new int[] { 2, 2, 9, 9 }, mixed.box(0, 1));
		assertFalse(mixed.has(0, 2));
		assertArrayEquals(new int[] { 20, 20, 30, 30 }, mixed.box(1, 2));
		assertFalse(mixed.has(1, 1));
	}

	/** A pasted structure is prompted from its own slice, its box cut to the pasted region; one whose click was pasted over loses its prompt. */
	@Test
	void pastedRegionsBringTheirOwnPrompts() {
		final SlicePrompts weak = new SlicePrompts.Builder(2, CLASSES)
			.set(0, 1, new int[] { 2, 2, 9, 9 }, new int[] { 5, 5 }) // view 0's own class 1, far from the box
			.set(0, 2, new int[] { 16, 16, 24, 24 }, new int[] { 20, 20 }) // covered by view 0's box
			.set(1, 2, new int[] { 12, 14, 26, 22 }, new int[] { 18, 18 }) // pasted into view 0
			.build();
		final CutMixBox cut = new CutMixBox(14, 12, 12, 12); // x 14..25, y 12..23
		final SlicePrompts mixed = CarriedPrompts.mix(weak, new CutMixBox[] { cut, CutMixBox.NONE });
		assertArrayEquals(new int[] { 2, 2, 9, 9 }, mixed.box(0, 1));
		assertArrayEquals(new int[] { 5, 5 }, mixed.click(0, 1));
		// class 2 of view 0: its own click (20, 20) was pasted over; slice 1's (18, 18) is inside: slice 1's box cut to the cut box
		assertArrayEquals(new int[] { 14, 14, 25, 22 }, mixed.box(0, 2));
		assertArrayEquals(new int[] { 18, 18 }, mixed.click(0, 2));
		// view 1 has no CutMix: its own prompt
		assertArrayEquals(new int[] { 12, 14, 26, 22 }, mixed.box(1, 2));
	}

	/** When the own and the pasted prompt of a class both qualify, the larger visible box wins. */
	@Test
	void theLargerVisibleBoxWins() {
		final CutMixBox cut = new CutMixBox(0, 0, 6, 6); // x, y 0..5
		final SlicePrompts small = new SlicePrompts.Builder(2, 2).set(0, 1, new int[] { 10, 10, 30, 30 }, new int[] { 20, 20 })
			.set(1, 1, new int[] { 1, 1, 3, 3 }, new int[] { 2, 2 }).build();
		assertArrayEquals(new int[] { 10, 10, 30, 30 }, CarriedPrompts.mix(small, new CutMixBox[] { cut, CutMixBox.NONE }).box(0, 1));
		final SlicePrompts large = new SlicePrompts.Builder(2, 2).set(0, 1, new int[] { 7, 7, 8, 8 }, new int[] { 7, 7 })
			.set(1, 1, new int[] { 0, 0, 5, 5 }, new int[] { 2, 2 }).build();
		final SlicePrompts mixed = CarriedPrompts.mix(large, new CutMixBox[] { cut, CutMixBox.NONE });
		assertArrayEquals(new int[] { 0, 0, 5, 5 }, mixed.box(0, 1));
		assertTrue(mixed.has(1, 1));
	}
}
