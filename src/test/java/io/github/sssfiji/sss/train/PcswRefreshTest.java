package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.StubNetwork;
import io.github.sssfiji.sss.pcsw.PcswParameters;

class PcswRefreshTest {

	private static final int N = 32, SLICES = 5;

	/** A two-class "network" whose foreground logit is 20 x - 10: bright pixels are confidently foreground. */
	static class Threshold extends StubNetwork {

		Threshold(final NDManager parent) {
			super(parent, 2);
		}

		@Override
		public NDArray decode(final NDList features, final SlicePrompts prompts, final boolean training) {
			final NDArray x = features.get(0);
			return x.zerosLike().concat(x.mul(20).sub(10), 1);
		}
	}

	/**
	 * {@link Threshold} that reads prompts: within 4 pixels of a class-1 box the foreground logit is 8
	 * higher, so a faint structure (x = 0.4: logit -2) next to a prompted box becomes foreground.
	 */
	static final class PromptedThreshold extends Threshold {

		PromptedThreshold(final NDManager parent) {
			super(parent);
		}

		@Override
		public boolean usesPrompts() {
			return true;
		}

		@Override
		public NDArray decode(final NDList features, final SlicePrompts prompts, final boolean training) {
			final NDArray logits = super.decode(features, null, training);
			if (prompts == null) return logits;
			final int[][] boxes = new int[(int) logits.getShape().get(0)][];
			for (int i = 0; i < boxes.length; i++)
				boxes[i] = prompts.has(i, 1) ? prompts.box(i, 1) : null;
			return nearBoxes(logits, boxes);
		}
	}

	/** Logits with the foreground logit 8 higher within 4 pixels of each sample's class-1 box (none where null). */
	static NDArray nearBoxes(final NDArray logits, final int[][] boxes) {
		final long[] shape = logits.getShape().getShape();
		final int b = (int) shape[0], h = (int) shape[2], w = (int) shape[3];
		final float[] bonus = new float[b * 2 * h * w];
		for (int i = 0; i < b; i++) {
			if (boxes[i] == null) continue;
			final int[] box = boxes[i];
			for (int y = Math.max(0, box[1] - 4); y <= Math.min(h - 1, box[3] + 4); y++)
				for (int x = Math.max(0, box[0] - 4); x <= Math.min(w - 1, box[2] + 4); x++)
					bonus[((i * 2) + 1) * h * w + y * w + x] = 8;
		}
		return logits.add(logits.getManager().create(bonus, logits.getShape()));
	}

	/**
	 * {@link Threshold} with a memory, one run at a time: once a sequence has met a prompted slice,
	 * it and every slice after it in the sequence get the bonus of {@link #nearBoxes} around the
	 * remembered class-1 box, as SAM-2's memory carries a conditioning frame to the slices it reaches.
	 */
	static final class RememberingThreshold extends Threshold {

		RememberingThreshold(final NDManager parent) {
			super(parent);
		}

		@Override
		public boolean usesPrompts() {
			return true;
		}

		@Override
		public boolean hasMemory() {
			return true;
		}

		@Override
		public MemorySequence newSequence(final int runs, final int length, final NDManager keep) {
			return new MemorySequence() {

				private int[] remembered;

				@Override
				public NDArray next(final NDList features, final SlicePrompts prompts, final boolean training) {
					if (prompts != null && prompts.has(0, 1)) remembered = prompts.box(0, 1);
					return nearBoxes(decode(features, null, training), new int[][] { remembered });
				}

				@Override
				public void close() {}
			};
		}
	}

	/**
	 * {@link #SLICES} unlabelled slices of N x N: a bright square (x and y 4 to 11) on the slices from
	 * {@code from} on, and on every slice a faint band (x 12 to 15, intensity 0.4) beside it.
	 */
	private static List<TrainingSlice> squareAndBand(final int from) {
		final List<TrainingSlice> volume = new ArrayList<>();
		for (int z = 0; z < SLICES; z++) {
			final float[] image = new float[N * N];
			for (int y = 4; y < 12; y++) {
				if (z >= from) for (int x = 4; x < 12; x++)
					image[y * N + x] = 1;
				for (int x = 12; x < 16; x++)
					image[y * N + x] = 0.4f;
			}
			volume.add(new TrainingSlice("v#" + z, image, null, N, N));
		}
		return volume;
	}

	/**
	 * Propagated pseudo-labels: the refresh prompts slices 0, 2 and 4 (every second slice of the
	 * square's chain) with the square's box; there the prompted teacher also labels the faint band
	 * beside it, elsewhere it says what the unprompted teacher says. Prompts and pseudo-labels are
	 * kept per slice and survive a training-state file.
	 */
	@Test
	void propagatedPseudoLabelsComeFromThePromptedTeacher() throws IOException {
		final List<TrainingSlice> volume = squareAndBand(0);
		try (NDManager root = Engines.pytorch().newBaseManager(); PromptedThreshold net = new PromptedThreshold(root)) {
			final PcswRefresh.Summary summary = PcswRefresh.refresh(net, List.of(volume), N, 4, PcswParameters.defaults(), PseudoLabels.PROPAGATED, 0.95, root);
			assertEquals(3 / 5.0, summary.promptedSlices(), 1e-12);
		}
		for (int z = 0; z < SLICES; z++) {
			final TrainingSlice slice = volume.get(z);
			final boolean prompted = z % 2 == 0;
			assertEquals(prompted, slice.prompts() != null, "slice " + z);
			if (prompted) assertArrayEquals(new int[] { 4, 4, 11, 11 }, slice.prompts().box(0, 1));
			final TrainingSlice.Propagated p = slice.propagated();
			assertEquals(1, p.label(8 * N + 8));
			assertEquals(prompted ? 1 : 0, p.label(8 * N + 13), "faint band, slice " + z);
			assertEquals(0, p.label(20 * N + 20));
			assertTrue(p.confident().get(8 * N + 8) && p.confident().get(20 * N + 20));
			// background near a prompted box: logit -2, not confident; unprompted: -10, confident
			assertEquals(!prompted, p.confident().get(2 * N + 2), "slice " + z);
		}
		final byte[] saved = PcswRefresh.savePrompts(volume);
		final List<TrainingSlice> copy = new ArrayList<>();
		for (final TrainingSlice s : volume)
			copy.add(new TrainingSlice(s.name(), s.image(), null, N, N));
		PcswRefresh.loadPrompts(saved, copy, "state");
		for (int z = 0; z < SLICES; z++) {
			assertEquals(volume.get(z).prompts() == null, copy.get(z).prompts() == null);
			if (copy.get(z).prompts() != null) {
				assertArrayEquals(volume.get(z).prompts().box(0, 1), copy.get(z).prompts().box(0, 1));
				assertArrayEquals(volume.get(z).prompts().click(0, 1), copy.get(z).prompts().click(0, 1));
			}
			assertArrayEquals(volume.get(z).propagated().labels(), copy.get(z).propagated().labels());
			assertEquals(volume.get(z).propagated().confident(), copy.get(z).propagated().confident());
		}
	}

	/**
	 * With memory the prompted pass runs in both directions from the first prompted slice: the square
	 * is on slices 2 to 4 only, so PCSW prompts slices 2 and 4; the faint band beside it, on every
	 * slice, is foreground wherever the memory of slice 2's box reaches, the slices before it
	 * included (backward from it). Decoded in slice order, slices 0 and 1 would come before any
	 * prompt and keep the band as background.
	 */
	@Test
	void withMemoryTheFirstPromptedSliceReachesTheSlicesBeforeIt() {
		final List<TrainingSlice> volume = squareAndBand(2);
		try (NDManager root = Engines.pytorch().newBaseManager(); RememberingThreshold net = new RememberingThreshold(root)) {
			final PcswRefresh.Summary summary = PcswRefresh.refresh(net, List.of(volume), N, 4, PcswParameters.defaults(), PseudoLabels.PROPAGATED, 0.95, root);
			assertEquals(2 / 5.0, summary.promptedSlices(), 1e-12, "slices 2 and 4");
		}
		for (int z = 0; z < SLICES; z++) {
			final TrainingSlice.Propagated p = volume.get(z).propagated();
			assertEquals(z == 2 || z == 4, volume.get(z).prompts() != null, "slice " + z);
			assertEquals(1, p.label(8 * N + 13), "faint band, slice " + z);
			assertEquals(z >= 2 ? 1 : 0, p.label(8 * N + 8), "square, slice " + z);
			assertEquals(0, p.label(20 * N + 20), "far background, slice " + z);
		}
	}

	/** A square through all five slices (kept) and a blob on slice 2 only (isolated: rejected). */
	@Test
	void isolatedBlobsAreRejectedInSliceCoordinatesAndSaved() throws IOException {
		final List<TrainingSlice> volume = new ArrayList<>();
		final BitSet blob = new BitSet();
		for (int z = 0; z < SLICES; z++) {
			final float[] image = new float[N * N];
			for (int y = 4; y < 12; y++)
				for (int x = 4; x < 12; x++)
					image[y * N + x] = 1;
			if (z == 2)
				for (int y = 20; y < 26; y++)
					for (int x = 22; x < 28; x++) {
						image[y * N + x] = 1;
						blob.set(y * N + x);
					}
			volume.add(new TrainingSlice("v#" + z, image, null, N, N));
		}
		try (NDManager root = Engines.pytorch().newBaseManager(); Threshold net = new Threshold(root)) {
			final double fraction = PcswRefresh.refresh(net, List.of(volume), N, 4, PcswParameters.defaults(), PseudoLabels.TEACHER, 0.95, root).rejected();
			assertEquals(blob.cardinality() / (double) (N * N * SLICES), fraction, 1e-12);
		}
		for (int z = 0; z < SLICES; z++)
			if (z == 2) assertEquals(blob, volume.get(z).rejected());
			else assertNull(volume.get(z).rejected());

		final byte[] saved = PcswRefresh.save(volume);
		final List<TrainingSlice> copy = new ArrayList<>();
		for (final TrainingSlice s : volume)
			copy.add(new TrainingSlice(s.name(), s.image(), null, N, N));
		PcswRefresh.load(saved, copy, "state");
		for (int z = 0; z < SLICES; z++)
			assertEquals(volume.get(z).rejected(), copy.get(z).rejected());
		assertThrows(InvalidInputException.class, () -> PcswRefresh.load(saved, copy.subList(0, 3), "state"));
	}

	/** The sampler turns a slice's rejected pixels into ignored pixels of its weak view (here an unwarped one). */
	@Test
	void rejectedPixelsBecomeIgnoredPixelsOfTheBatch() {
		final float[] image = new float[N * N];
		final BitSet rejected = new BitSet();
		rejected.set(3 * N + 5);
		rejected.set(17 * N + 30);
		final TrainingSlice slice = new TrainingSlice("u", image, null, N, N);
		slice.setRejected(rejected);
		final TrainingSlice labelled = new TrainingSlice("l", image, new int[N * N], N, N);
		final TrainingData data = new TrainingData(List.of("background", "x"), List.of(labelled), List.of(List.of(slice)), List.of());
		// scale 1 at the slice's own size: a dihedral view keeps every pixel inside, a small rotation pads the corners
		final TrainingConfig on = TrainingConfig.defaults().with("crop", N).with("batch", 1).with("minScale", 1).with("maxScale", 1);
		final TrainingConfig off = on.with("pcsw", false);
		int unpadded = 0;
		for (long t = 0; t < 20; t++) {
			final int padding = count(new BatchSampler(off, data).sample(t, true).ignore());
			final int ignored = count(new BatchSampler(on, data).sample(t, true).ignore());
			if (padding == 0) {
				unpadded++;
				assertEquals(2, ignored, "iteration " + t);
			}
			else assertEquals(true, ignored >= padding, "rotated views ignore at least their padding");
		}
		assertEquals(true, unpadded >= 5, "unpadded views: " + unpadded);
	}

	private static int count(final boolean[] mask) {
		int n = 0;
		for (final boolean b : mask)
			if (b) n++;
		return n;
	}
}
