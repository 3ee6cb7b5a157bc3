package io.github.sssfiji.sss.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.Sam2Network;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.StubNetwork;
import io.github.sssfiji.sss.pcsw.Prompt;

class PropagationTest {

	private static final int N = 32, SLICES = 5;

	/**
	 * A 3-class "network" that sees only prompts: a class is confidently present within 2 pixels of
	 * its box and absent elsewhere, so its prediction on a slice is its box grown by 2.
	 */
	private static final class BoxNetwork extends StubNetwork {

		BoxNetwork(final NDManager parent) {
			super(parent, 3);
		}

		@Override
		public boolean usesPrompts() {
			return true;
		}

		@Override
		public NDArray decode(final NDList features, final SlicePrompts prompts, final boolean training) {
			final int b = (int) features.get(0).getShape().get(0);
			final float[] logits = new float[b * 3 * N * N];
			for (int i = 0; i < b; i++)
				for (int c = 1; c < 3; c++) {
					final int at = (i * 3 + c) * N * N;
					java.util.Arrays.fill(logits, at, at + N * N, -10);
					if (prompts == null || !prompts.has(i, c)) continue;
					final int[] box = prompts.box(i, c);
					for (int y = Math.max(0, box[1] - 2); y <= Math.min(N - 1, box[3] + 2); y++)
						for (int x = Math.max(0, box[0] - 2); x <= Math.min(N - 1, box[2] + 2); x++)
							logits[at + y * N + x] = 10;
				}
			return features.get(0).getManager().create(logits, new ai.djl.ndarray.types.Shape(b, 3, N, N));
		}
	}

	/** The bounding box of class {@code c} on slice {@code z} of a label volume, or null. */
	private static int[] box(final int[] labels, final int z, final int c) {
		int x0 = N, y0 = N, x1 = -1, y1 = -1;
		for (int y = 0; y < N; y++)
			for (int x = 0; x < N; x++)
				if (labels[z * N * N + y * N + x] == c) {
					x0 = Math.min(x0, x);
					y0 = Math.min(y0, y);
					x1 = Math.max(x1, x);
					y1 = Math.max(y1, y);
				}
		return x1 < 0 ? null : new int[] { x0, y0, x1, y1 };
	}

	/**
	 * One box of class 1 on the middle slice: each slice away from it is decoded with the box of its
	 * neighbour's prediction, so the structure grows by 2 pixels per slice in both directions
	 * (slice 2: [8, 17]; slices 1 and 3: [6, 19]; slices 0 and 4: [4, 21]); class 2, never prompted,
	 * is nowhere.
	 */
	@Test
	void theUNetCarriesBoxesFromSliceToSliceBothWays() {
		final SlicePrompts prompts = new SlicePrompts.Builder(SLICES, 3).set(2, 1, new int[] { 10, 10, 15, 15 }, new int[] { 12, 12 }).build();
		try (NDManager root = Engines.pytorch().newBaseManager(); BoxNetwork net = new BoxNetwork(root)) {
			final int[] labels = SlicePredictor.argmax(Propagation.probabilities(net, new float[SLICES * N * N], new int[] { N, N, SLICES }, N, 4, prompts,
				root), 3);
			final int[][] expected = { { 4, 4, 21, 21 }, { 6, 6, 19, 19 }, { 8, 8, 17, 17 }, { 6, 6, 19, 19 }, { 4, 4, 21, 21 } };
			for (int z = 0; z < SLICES; z++) {
				assertArrayEquals(expected[z], box(labels, z, 1), "slice " + z);
				assertEquals(null, box(labels, z, 2));
			}
		}
	}

	/** Two prompted slices: each slice follows its nearer one (the lower on ties). */
	@Test
	void eachSliceFollowsItsNearestPromptedSlice() {
		final SlicePrompts prompts = new SlicePrompts.Builder(SLICES, 3).set(0, 1, new int[] { 10, 10, 11, 11 }, new int[] { 10, 10 })
			.set(4, 1, new int[] { 20, 20, 21, 21 }, new int[] { 20, 20 }).build();
		try (NDManager root = Engines.pytorch().newBaseManager(); BoxNetwork net = new BoxNetwork(root)) {
			final int[] labels = SlicePredictor.argmax(Propagation.probabilities(net, new float[SLICES * N * N], new int[] { N, N, SLICES }, N, 4, prompts,
				root), 3);
			assertArrayEquals(new int[] { 8, 8, 13, 13 }, box(labels, 0, 1));
			assertArrayEquals(new int[] { 6, 6, 15, 15 }, box(labels, 1, 1));
			// slice 2 is as far from 0 as from 4: it follows slice 0
			assertArrayEquals(new int[] { 4, 4, 17, 17 }, box(labels, 2, 1));
			assertArrayEquals(new int[] { 16, 16, 25, 25 }, box(labels, 3, 1));
			assertArrayEquals(new int[] { 18, 18, 23, 23 }, box(labels, 4, 1));
		}
	}

	/**
	 * SAM-2 with memory propagates forward from the prompted slice and backward over the slices
	 * before it: every slice differs from the unprompted prediction, and the slices from the prompted
	 * one on are the forward pass's (the prediction of the volume with the same prompts).
	 */
	@Test
	void sam2WithMemoryPropagatesForwardAndBackward() {
		final Random random = new Random(3);
		final int size = 64, slices = 6;
		final float[] volume = new float[slices * size * size];
		for (int i = 0; i < volume.length; i++)
			volume[i] = random.nextFloat();
		final SlicePrompts prompts = new SlicePrompts.Builder(slices, 3).set(2, 1, new int[] { 10, 10, 40, 40 }, new int[] { 25, 25 }).build();
		final int[] dims = { size, size, slices };
		try (NDManager root = Engines.pytorch().newBaseManager(); Sam2Network net = Sam2Network.create(Sam2Network.MICRO, 3, size, null, true, root, 14)) {
			final float[] plain = SlicePredictor.probabilities(net, volume, dims, size, 4, root);
			final float[] propagated = Propagation.probabilities(net, volume, dims, size, 4, prompts, root);
			final int area = size * size, n = area * slices;
			for (int z = 0; z < slices; z++) {
				float difference = 0;
				for (int c = 0; c < 3; c++)
					for (int i = 0; i < area; i++)
						difference = Math.max(difference, Math.abs(plain[c * n + z * area + i] - propagated[c * n + z * area + i]));
				assertTrue(difference > 0, "slice " + z + " unchanged by the prompt");
			}
			// from the prompted slice on: the forward pass over slices 2.. with the prompts
			final float[] sub = java.util.Arrays.copyOfRange(volume, 2 * area, n);
			final float[] forward = SlicePredictor.probabilities(net, sub, new int[] { size, size, slices - 2 }, size, 4, prompts.select(2, 3, 4, 5), root);
			final int m = area * (slices - 2);
			for (int c = 0; c < 3; c++)
				assertArrayEquals(java.util.Arrays.copyOfRange(forward, c * m, (c + 1) * m),
					java.util.Arrays.copyOfRange(propagated, c * n + 2 * area, (c + 1) * n), 0);
		}
	}

	@Test
	void thePromptCheckNamesTheFirstPromptOfAnAbsentClassOrSliceOrLeavingTheImage() {
		final int[] dims = { 20, 10, 4 };
		Propagation.checkPrompts(List.of(new Prompt(3, 3, 0, 0, 19, 9, 19, 9, 0, 1)), dims, 4, "p.json", "v.nii");
		final String[][] cases = {
			{ "p.json: a prompt of class 4; the model has classes 1 to 3" },
			{ "p.json: a prompt on slice 4 (counted from 0); v.nii has slices 0 to 3" },
			{ "p.json: the box [0, 0, 20, 9] on slice 0 leaves the 20 x 10 image" },
			{ "p.json: the click [5, 10] on slice 0 leaves the 20 x 10 image" } };
		final Prompt[] bad = { new Prompt(4, 0, 0, 0, 1, 1, 0, 0, 0, 1), new Prompt(1, 4, 0, 0, 1, 1, 0, 0, 0, 1),
			new Prompt(1, 0, 0, 0, 20, 9, 0, 0, 0, 1), new Prompt(1, 0, 0, 0, 19, 9, 5, 10, 0, 1) };
		for (int i = 0; i < bad.length; i++) {
			final Prompt prompt = bad[i];
			assertEquals(cases[i][0], assertThrows(InvalidInputException.class, () -> Propagation.checkPrompts(List.of(prompt), dims, 4, "p.json",
				"v.nii")).getMessage());
		}
	}
}
