package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.train.SliceSuggestions.Suggestion;

class SliceSuggestionsTest {

	private static final int N = 32, SLICES = 5;

	/**
	 * A square through all five slices; on slice 1 an 8 x 8 grey patch (x = 0.5: probability 1/2,
	 * the highest entropy), on slice 3 an isolated 6 x 6 blob that PCSW rejects. With the
	 * {@link PcswRefreshTest.Threshold} network slice 1's uncertainty is 64 / 1024 (plus the near-zero
	 * entropy of the confident pixels) and slice 3's rejected fraction 36 / 1024; nothing is prompted.
	 */
	@Test
	void slicesAreScoredByUncertaintyAndRejectedPixels() {
		final List<TrainingSlice> volume = new ArrayList<>();
		for (int z = 0; z < SLICES; z++) {
			final float[] image = new float[N * N];
			for (int y = 4; y < 12; y++)
				for (int x = 4; x < 12; x++)
					image[y * N + x] = 1;
			if (z == 1)
				for (int y = 20; y < 28; y++)
					for (int x = 20; x < 28; x++)
						image[y * N + x] = 0.5f;
			if (z == 3)
				for (int y = 20; y < 26; y++)
					for (int x = 22; x < 28; x++)
						image[y * N + x] = 1;
			volume.add(new TrainingSlice("v#" + z, image, null, N, N));
		}
		final List<Suggestion> scored;
		try (NDManager root = Engines.pytorch().newBaseManager(); PcswRefreshTest.Threshold net = new PcswRefreshTest.Threshold(root)) {
			scored = SliceSuggestions.score(net, List.of(volume), N, 4, PcswParameters.defaults(), root);
		}
		assertEquals(SLICES, scored.size());
		// a confident pixel (logit +-10) has entropy 4.99e-4 nats, / ln 2 per pixel
		final double confident = (Math.log1p(Math.exp(-10)) + 10 * Math.exp(-10) / (1 + Math.exp(-10))) / Math.log(2);
		for (int z = 0; z < SLICES; z++) {
			final Suggestion s = scored.get(z);
			assertEquals("v#" + z, s.name());
			assertEquals("v", s.subject());
			assertEquals(z, s.slice());
			assertEquals(SLICES, s.depth());
			assertEquals(z == 1 ? (64 + 960 * confident) / 1024 : confident, s.entropy(), 1e-5, "slice " + z);
			assertEquals(z == 3 ? 36 / 1024.0 : 0, s.rejected(), 1e-12, "slice " + z);
			assertEquals(0, s.disagreement(), 0);
			assertEquals(s.entropy() + s.rejected(), s.score(), 1e-12);
		}
		// the three others tie (by name then): by score slice 0 comes next, unless neighbours of slices 1 and 3 are kept apart
		assertEquals(List.of(1, 3, 0), SliceSuggestions.pick(scored, 3, 0, 0).stream().map(Suggestion::slice).toList());
		assertEquals(List.of(1, 3), SliceSuggestions.pick(scored, 3, 1, 0).stream().map(Suggestion::slice).toList());
		// spread over three depth ranges (slices 0-1, 2, 3-4 of five) the third is slice 2, the only one of the middle range
		assertEquals(List.of(1, 3, 2), SliceSuggestions.pick(scored, 3, 0, 3).stream().map(Suggestion::slice).toList());
	}

	private static Suggestion scored(final String subject, final int volume, final int slice, final int depth, final double score) {
		return new Suggestion(subject + "_frame0" + volume + "#" + slice, subject, volume, slice, depth, score, score, 0, 0);
	}

	/** The best slices first; a slice within {@code spacing} of a taken one of the same volume is passed over, one of another volume is not. */
	@Test
	void suggestionsKeepTheirDistanceWithinAVolume() {
		final List<Suggestion> scored = List.of(scored("a", 0, 5, 10, 0.9), scored("a", 0, 6, 10, 0.8), scored("b", 1, 6, 10, 0.7),
			scored("a", 0, 8, 10, 0.6), scored("a", 0, 3, 10, 0.5));
		assertEquals(List.of("a5", "b6", "a8"), names(SliceSuggestions.pick(scored, 3, 2, 0)));
		assertEquals(List.of("a5", "a6", "b6"), names(SliceSuggestions.pick(scored, 3, 0, 0)));
		assertEquals(List.of("a5", "b6"), names(SliceSuggestions.pick(scored, 5, 3, 0)));
		// spread over subjects, b's slice comes second; a's neighbours stay apart all the same
		assertEquals(List.of("a5", "b6", "a6"), names(SliceSuggestions.pick(scored, 3, 0, 1)));
		assertEquals(List.of("a5", "b6", "a8"), names(SliceSuggestions.pick(scored, 5, 2, 1)));
	}

	/** Subject and slice of each suggestion, e.g. {@code a5}. */
	private static List<String> names(final List<Suggestion> picked) {
		return picked.stream().map(s -> s.subject() + s.slice()).toList();
	}

	/**
	 * Two frames (volumes) of patient p and one of q and of r, ten slices each; p's are the most unsure
	 * everywhere, its first slices most of all. By score the four suggestions would all be p's first
	 * slices; spread out, each subject gives one before any gives a second, and the depth ranges
	 * (slices 0-2, 3-6, 7-9) take turns: the best range first, then the best of the two empty ones.
	 */
	@Test
	void eachNextSuggestionComesFromTheLeastSuggestedSubjectAndDepthRange() {
		final List<Suggestion> scored = new ArrayList<>();
		for (int z = 0; z < 10; z++) {
			scored.add(scored("p", 0, z, 10, 0.9 - 0.01 * z));
			scored.add(scored("p", 1, z, 10, 0.85 - 0.01 * z));
			scored.add(scored("q", 2, z, 10, 0.5 - 0.01 * Math.abs(z - 8)));
			scored.add(scored("r", 3, z, 10, 0.4 - 0.01 * Math.abs(z - 1)));
		}
		assertEquals(List.of("p0", "p1", "p2", "p3"), names(SliceSuggestions.pick(scored, 4, 0, 0)));
		// subjects only: p, then q and r at their best slices, then p again at its best slice left
		assertEquals(List.of("p0", "q8", "r1", "p1"), names(SliceSuggestions.pick(scored, 4, 0, 1)));
		assertEquals(List.of(0, 2, 3, 0), SliceSuggestions.pick(scored, 4, 0, 1).stream().map(Suggestion::volume).toList());
		// and depth ranges: p's first range, q's last, r's middle (its best there, slice 3); then every subject and range has one,
		// so p's best slice left; then q and r, each in the least suggested range they can give
		final List<Suggestion> spread = SliceSuggestions.pick(scored, 6, 0, 3);
		assertEquals(List.of("p0", "q8", "r3", "p1", "q7", "r4"), names(spread));
		assertEquals(List.of(0, 2, 1, 0, 2, 1), spread.stream().map(s -> s.stratum(3)).toList());
	}

	/** A volume's slices fall into the depth ranges in order, as evenly as whole slices allow; a single slice is in the middle one. */
	@Test
	void depthRangesCutAVolumeIntoNearlyEqualConsecutiveParts() {
		for (int strata = 1; strata <= 6; strata++)
			for (int depth = 1; depth <= 40; depth++) {
				final int[] sizes = new int[strata];
				int previous = 0;
				for (int z = 0; z < depth; z++) {
					final int stratum = scored("v", 0, z, depth, 0).stratum(strata);
					assertTrue(stratum >= previous && stratum < strata, "depth " + depth + ", strata " + strata + ", slice " + z);
					sizes[stratum]++;
					previous = stratum;
				}
				if (depth >= strata) {
					final int[] sorted = sizes.clone();
					Arrays.sort(sorted);
					assertTrue(sorted[0] > 0 && sorted[strata - 1] - sorted[0] <= 1, "depth " + depth + ", strata " + strata + ": " +
						Arrays.toString(sizes));
				}
			}
		assertEquals(1, scored("v", 0, 0, 1, 0).stratum(3));
		assertEquals(List.of(0, 0, 0, 1, 1, 1, 1, 2, 2, 2), IntStream.range(0, 10).mapToObj(z -> scored("v", 0, z, 10, 0).stratum(3))
			.toList());
	}

	@Test
	void theSubjectOfASliceIsItsPatientByTheDatasetsRule() {
		assertEquals("patient014", SliceSuggestions.subject("patient014_frame02_slice_1"));
		assertEquals("case_003", SliceSuggestions.subject("case_003.nii.gz#4"));
		assertEquals("stack", SliceSuggestions.subject("stack_slice_12"));
		assertEquals("cells.tif#x", SliceSuggestions.subject("cells.tif#x"));
	}

	/**
	 * Three clusters: 0 with two labelled slices (a0, a1, the best by score), 1 (b0-b2) and 2 (c0, c5) with
	 * none. The uncovered clusters come first, the larger (1) before the smaller, the best-scored slice of
	 * each; then the clusters with one taken, then all with two, the largest first. Neighbours kept apart
	 * leave cluster 1 empty-handed, and a0 then comes from cluster 0 while a1 is its neighbour.
	 */
	@Test
	void eachNextSuggestionComesFromTheLeastCoveredLargestCluster() {
		final List<Suggestion> scored = List.of(scored("a", 0, 0, 6, 0.9), scored("a", 0, 1, 6, 0.8), scored("b", 1, 0, 6, 0.3),
			scored("b", 1, 1, 6, 0.5), scored("b", 1, 2, 6, 0.2), scored("c", 2, 0, 6, 0.6), scored("c", 2, 5, 6, 0.1));
		final int[] cluster = { 0, 0, 1, 1, 1, 2, 2 }, covered = { 2, 0, 0 };
		assertEquals(List.of("a0", "a1", "c0", "b1", "b0"), names(SliceSuggestions.pick(scored, 5, 0, 0)));
		final double[] score = scored.stream().mapToDouble(Suggestion::score).toArray();
		assertEquals(List.of("b1", "c0", "b0", "c5", "b2"), names(SliceSuggestions.pickCovering(scored, score, cluster, covered, 5, 0)));
		assertEquals(List.of("b1", "c0", "c5", "a0"), names(SliceSuggestions.pickCovering(scored, score, cluster, covered, 5, 1)));
		assertEquals(List.of(2, 0, 0), Arrays.stream(covered).boxed().toList(), "the labelled counts given are left as they were");
		assertEquals("3 clusters for 7 slices",
			assertThrows(IllegalArgumentException.class, () -> SliceSuggestions.pickCovering(scored, score, new int[3], covered, 1, 0)).getMessage());
		// another preference chooses within a cluster, the clusters' order unchanged: here the worst-scored first
		final double[] reversed = Arrays.stream(score).map(x -> -x).toArray();
		assertEquals(List.of("b2", "c5", "b0", "c0", "b1"), names(SliceSuggestions.pickCovering(scored, reversed, cluster, covered, 5, 0)));
	}

	/**
	 * Cluster 0 holds points at 0, 0.1, 0.2 and 1 on a line, cluster 1 one point and cluster 2 two; with
	 * two neighbours, the typicality is the inverse of the mean distance to the two nearest of its cluster:
	 * 1 / 0.15, 1 / 0.1, 1 / 0.15 and 1 / 0.85; a point alone has 0, a pair's points the inverse of their distance.
	 */
	@Test
	void typicalityIsTheInverseMeanDistanceToTheNearestOfTheSameCluster() {
		final float[][] points = { { 0 }, { 0.1f }, { 0.2f }, { 1 }, { 0.05f }, { 5 }, { 5.5f } };
		final int[] cluster = { 0, 0, 0, 0, 1, 2, 2 };
		final double[] typicality = SliceSuggestions.typicality(points, cluster, 2);
		final double[] expected = { 1 / 0.15, 1 / 0.1, 1 / 0.15, 1 / 0.85, 0, 1 / 0.5, 1 / 0.5 };
		for (int i = 0; i < points.length; i++)
			assertEquals(expected[i], typicality[i], 1e-5 * expected[i], "point " + i);
		assertEquals(1 / ((0.1 + 0.2 + 1) / 3), SliceSuggestions.typicality(points, cluster, 20)[0], 1e-5, "fewer neighbours than asked: all of them");
		assertEquals("2 clusters for 7 points",
			assertThrows(IllegalArgumentException.class, () -> SliceSuggestions.typicality(points, new int[2], 2)).getMessage());
	}

	/** {@link PcswRefreshTest.Threshold} with a second, coarser feature level: the image and its complement, every second pixel. */
	static final class Looks extends PcswRefreshTest.Threshold {

		Looks(final NDManager parent) {
			super(parent);
		}

		@Override
		public NDList encode(final NDArray x, final boolean training) {
			final NDArray both = x.concat(x.neg().add(1), 1);
			return new NDList(x, both.get(new NDIndex(":, :, ::2, ::2")));
		}
	}

	/** The coarsest level, averaged over the slice, at unit length: a uniform slice of x gives (x, 1 - x) / |(x, 1 - x)|. */
	@Test
	void aSlicesFeaturesAreItsCoarsestLevelAveragedToUnitLength() {
		final float[] quarter = new float[N * N], halves = new float[N * N];
		Arrays.fill(quarter, 0.25f);
		for (int i = 0; i < N * N; i++)
			halves[i] = i % N < N / 2 ? 1 : 0;
		final float[][] features;
		try (NDManager root = Engines.pytorch().newBaseManager(); Looks net = new Looks(root)) {
			features = SliceSuggestions.features(net, List.of(new TrainingSlice("q", quarter, null, N, N), new TrainingSlice("h", halves, null, N, N),
				new TrainingSlice("q2", quarter, null, N, N)), N, 2, root);
		}
		final double q = Math.sqrt(0.25 * 0.25 + 0.75 * 0.75);
		assertArrayEquals(new float[] { (float) (0.25 / q), (float) (0.75 / q) }, features[0], 1e-6f);
		assertArrayEquals(new float[] { (float) Math.sqrt(0.5), (float) Math.sqrt(0.5) }, features[1], 1e-6f);
		assertArrayEquals(features[0], features[2], 0f, "the third slice, in a second batch, as the first");
	}

	/**
	 * Three labelled bright slices; an unlabelled volume of three bright slices with a grey 4 x 4 patch
	 * (unsure) and three dark ones with grey patches of 3 x 3, 2 x 2 and 1 pixel. By score the bright slices
	 * come first; covering the two clusters, bright and dark, the dark ones do, the most unsure first, as the
	 * bright cluster holds the labels, or the most typical first.
	 */
	@Test
	void coveringSuggestsTheKindOfSliceNoLabelShows() {
		final List<TrainingSlice> labelled = new ArrayList<>(), volume = new ArrayList<>();
		for (int i = 0; i < 3; i++)
			labelled.add(new TrainingSlice("l" + i, withPatch(1, 0), new int[N * N], N, N));
		for (int z = 0; z < 6; z++)
			volume.add(new TrainingSlice("u#" + z, z < 3 ? withPatch(1, 4) : withPatch(0, 6 - z), null, N, N));
		final List<Suggestion> byScore, covering, typical;
		try (NDManager root = Engines.pytorch().newBaseManager(); Looks net = new Looks(root)) {
			final List<Suggestion> scored = SliceSuggestions.score(net, List.of(volume), N, 4, PcswParameters.defaults(), root);
			byScore = SliceSuggestions.pick(scored, 2, 0, 0);
			covering = SliceSuggestions.cover(net, labelled, List.of(volume), scored, 2, false, 2, 0, N, 4, root);
			typical = SliceSuggestions.cover(net, labelled, List.of(volume), scored, 2, true, 2, 0, N, 4, root);
			assertTrue(scored.get(3).score() > scored.get(4).score() && scored.get(4).score() > scored.get(5).score(), scored.toString());
		}
		assertTrue(byScore.stream().allMatch(s -> s.slice() < 3), byScore.toString());
		assertEquals(List.of(3, 4), covering.stream().map(Suggestion::slice).toList());
		// the coarse level samples every second pixel: the 2 x 2 and the 1-pixel patch look alike, the 3 x 3 apart, so
		// the two alike are the most typical of the dark cluster
		assertEquals(List.of(4, 5), typical.stream().map(Suggestion::slice).toList());
	}

	/** A slice of {@code background} with a grey (0.5) square of {@code patch} pixels a side at (20, 20). */
	private static float[] withPatch(final float background, final int patch) {
		final float[] image = new float[N * N];
		Arrays.fill(image, background);
		for (int y = 20; y < 20 + patch; y++)
			for (int x = 20; x < 20 + patch; x++)
				image[y * N + x] = 0.5f;
		return image;
	}

	@Test
	void clustersAreAutoNoneOrACount() {
		assertEquals(0, SliceSuggestions.clusters("auto"));
		assertEquals(-1, SliceSuggestions.clusters("none"));
		assertEquals(-1, SliceSuggestions.clusters(" "));
		assertEquals(-1, SliceSuggestions.clusters(null));
		assertEquals(12, SliceSuggestions.clusters(" 12 "));
		for (final String bad : List.of("0", "-3", "many", "auto2"))
			assertEquals("must be auto, none or a count of at least 1, got '" + bad + "'", assertThrows(IllegalArgumentException.class,
				() -> SliceSuggestions.clusters(bad)).getMessage());
	}

	@Test
	void negativeStrataAreRefused() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SliceSuggestions.pick(List.of(), 1, 0, -1));
		assertEquals("strata must be at least 0, got -1", e.getMessage());
	}
}
