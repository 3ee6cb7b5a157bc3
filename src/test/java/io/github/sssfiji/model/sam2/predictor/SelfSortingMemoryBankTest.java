package io.github.sssfiji.model.sam2.predictor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Medical SAM 2's self-sorting memory bank on hand-made vectors: append while not full, which entry
 * a new memory replaces, the quality margin, the softmax weights and the two selections.
 */
class SelfSortingMemoryBankTest {

	private static final float[] IMAGE = { 1, 0 };

	/** Unit vector at {@code degrees} in the plane: cosine similarities are cosines of angle differences. */
	private static float[] at(final double degrees) {
		final double a = Math.toRadians(degrees);
		return new float[] { (float) Math.cos(a), (float) Math.sin(a) };
	}

	/** A full bank of 3 at 0, 10 and 90 degrees (ids 0, 1, 2), qualities 0.8, 0.8, 0.5. */
	private static SelfSortingMemoryBank full() {
		final SelfSortingMemoryBank bank = new SelfSortingMemoryBank(3);
		assertEquals(-1, bank.offer(0, at(0), 0.8, IMAGE));
		assertEquals(-1, bank.offer(1, at(10), 0.8, IMAGE));
		assertEquals(-1, bank.offer(2, at(90), 0.5, IMAGE));
		return bank;
	}

	@Test
	void aBankThatIsNotFullAppendsEveryMemory() {
		final SelfSortingMemoryBank bank = new SelfSortingMemoryBank(3);
		// identical memories, low quality: appended all the same while there is room
		assertEquals(-1, bank.offer(7, at(0), 0.0, IMAGE));
		assertEquals(-1, bank.offer(8, at(0), 0.0, IMAGE));
		assertEquals(List.of(7, 8), bank.ids());
	}

	@Test
	void aNewMemoryReplacesTheEntryMostSimilarToTheEntryLeastSimilarToIt() {
		final SelfSortingMemoryBank bank = full();
		// m at 180: the least similar entry i is id 0 (cos 180 deg = -1; id 1: -0.985, id 2: 0), and
		// the entry most similar to it, j, is id 1 (cos 10 deg = 0.985 > cos 90 deg = 0):
		// sim(m, i) = -1 < 0.985 and quality 0.75 > 0.8 - 0.1, so id 1 is replaced and m goes to the end
		assertEquals(1, bank.offer(3, at(180), 0.75, IMAGE));
		assertEquals(List.of(0, 2, 3), bank.ids());
	}

	@Test
	void aMemoryNoLessSimilarThanTheClosestPairIsRefused() {
		final SelfSortingMemoryBank bank = new SelfSortingMemoryBank(3);
		bank.offer(0, at(0), 0.5, IMAGE);
		bank.offer(1, at(60), 0.5, IMAGE);
		bank.offer(2, at(120), 0.5, IMAGE);
		// m at 50: least similar i = id 2 (70 deg), whose closest other is id 1 (60 deg): cos 70 < cos 60, replaced
		final SelfSortingMemoryBank copy = new SelfSortingMemoryBank(3);
		copy.offer(0, at(0), 0.5, IMAGE);
		copy.offer(1, at(60), 0.5, IMAGE);
		copy.offer(2, at(120), 0.5, IMAGE);
		assertEquals(1, copy.offer(3, at(50), 0.9, IMAGE));
		// m at 60 exactly: least similar i = id 0 (60 deg, first of the tie with id 2), closest other j = id 1
		// (60 deg): not strictly less similar, refused
		assertEquals(3, bank.offer(3, at(60), 0.9, IMAGE));
		assertEquals(List.of(0, 1, 2), bank.ids());
	}

	@Test
	void theQualityMarginIsStrict() {
		// as in the replacement case, j = id 1 of quality 0.8: replaced only above 0.8 - 0.1
		final SelfSortingMemoryBank low = full();
		assertEquals(3, low.offer(3, at(180), 0.69, IMAGE), "quality 0.69 does not replace 0.8");
		assertEquals(List.of(0, 1, 2), low.ids());
		final SelfSortingMemoryBank above = full();
		assertEquals(1, above.offer(3, at(180), 0.71, IMAGE), "quality 0.71 replaces 0.8");
	}

	@Test
	void aBankOfOneNeverReplaces() {
		final SelfSortingMemoryBank bank = new SelfSortingMemoryBank(1);
		bank.offer(0, at(0), 0.1, IMAGE);
		assertEquals(1, bank.offer(1, at(180), 1.0, IMAGE));
		assertEquals(List.of(0), bank.ids());
	}

	@Test
	void theWeightsAreTheSoftmaxOfTheCosineSimilaritiesOfTheImageEmbeddings() {
		final SelfSortingMemoryBank bank = new SelfSortingMemoryBank(4);
		// image embeddings (not unit: normalised by the bank) at 0, 90 and 180 degrees to the query (3, 0)
		bank.offer(0, at(0), 0.5, new float[] { 2, 0 });
		bank.offer(1, at(0), 0.5, new float[] { 0, 5 });
		bank.offer(2, at(0), 0.5, new float[] { -1, 0 });
		final double e = Math.E, sum = e + 1 + 1 / e;
		assertArrayEquals(new double[] { e / sum, 1 / sum, 1 / e / sum }, bank.weights(new float[] { 3, 0 }), 1e-9);
		assertEquals(0.5, SelfSortingMemoryBank.cosine(new float[] { 1, 0 }, at(60)), 1e-6);
	}

	@Test
	void samplingDrawsWithReplacementInProportionAndTopTakesTheLargestWeights() {
		final SelfSortingMemoryBank bank = new SelfSortingMemoryBank(4);
		for (int id = 0; id < 3; id++)
			bank.offer(10 + id, at(0), 0.5, IMAGE);
		final double[] weights = { 0.2, 0.5, 0.3 };
		final int[] counts = new int[3];
		final List<Integer> drawn = bank.sample(weights, 30000, new Random(1));
		for (final int id : drawn)
			counts[id - 10]++;
		for (int k = 0; k < 3; k++)
			assertEquals(weights[k], counts[k] / 30000.0, 0.01, "entry " + k);
		assertEquals(drawn.subList(0, 6), bank.sample(weights, 6, new Random(1)), "a seeded generator repeats its draws");
		assertEquals(List.of(11, 12), bank.top(weights, 2));
		assertEquals(List.of(11, 12, 10), bank.top(weights, 6), "at most the bank's entries, each once");
		assertEquals(List.of(10, 11), bank.top(new double[] { 0.4, 0.4, 0.2 }, 2), "ties: earlier in the bank first");
		assertTrue(bank.sample(new double[] { 0, 1, 0 }, 10, new Random(2)).stream().allMatch(id -> id == 11));
	}
}
