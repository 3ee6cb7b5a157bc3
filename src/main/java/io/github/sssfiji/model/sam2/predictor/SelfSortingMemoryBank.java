package io.github.sssfiji.model.sam2.predictor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Medical SAM 2's self-sorting memory bank ({@code func_2d/function.py} of SuperMedIntel/Medical-SAM2),
 * its rules written on plain vectors so that a caller can keep one bank per tracked object:
 * <ul>
 * <li><b>Entries.</b> At most {@code capacity} (Medical SAM 2's {@code memory_bank_size}, 16), each a
 * memory (identified here by an id; its flattened memory features give the similarities), a predicted
 * quality (Medical SAM 2's predicted IoU) and the image embedding of its frame.</li>
 * <li><b>Insertion</b> ({@link #offer}). While the bank is not full the new memory m is appended. When
 * full: i is the entry least similar to m (cosine similarity of the flattened memory features, first
 * index on ties), j the entry most similar to entry i other than i itself; if
 * {@code sim(m, i) < sim(i, j)} and {@code quality(m) > quality(j) - }{@value #QUALITY_MARGIN}, entry j
 * is removed and m appended at the end (the bank's order changes as in Medical SAM 2's
 * {@code pop} + {@code append}); otherwise m is refused.</li>
 * <li><b>Weights</b> ({@link #weights}). For a new frame, the softmax over the entries of the cosine
 * similarity between the frame's image embedding and each entry's.</li>
 * <li><b>Selection.</b> {@link #sample}: draws with replacement from the weights (Medical SAM 2's
 * {@code torch.multinomial(..., replacement=True)}), from a caller's generator; {@link #top}: the
 * entries of largest weight, without replacement, for a deterministic selection.</li>
 * </ul>
 * Cosine similarities follow {@code F.normalize} ({@code x / max(||x||, 1e-12)}); sums are in double.
 */
public final class SelfSortingMemoryBank {

	/** Medical SAM 2's soft IoU margin: a new memory may replace an entry whose quality is up to this much higher. */
	public static final double QUALITY_MARGIN = 0.1;

	private record Entry(int id, float[] memory, double quality, float[] image) {}

	private final int capacity;
	private final List<Entry> entries = new ArrayList<>();

	/** An empty bank of at most {@code capacity} entries. */
	public SelfSortingMemoryBank(final int capacity) {
		if (capacity < 1) throw new IllegalArgumentException("a memory bank holds at least one entry, got " + capacity);
		this.capacity = capacity;
	}

	/** The most entries the bank holds. */
	public int capacity() {
		return capacity;
	}

	/** The number of entries. */
	public int size() {
		return entries.size();
	}

	/** The entries' ids in bank order. */
	public List<Integer> ids() {
		final List<Integer> out = new ArrayList<>(entries.size());
		for (final Entry e : entries)
			out.add(e.id());
		return out;
	}

	/** Whether an entry has id {@code id}. */
	public boolean contains(final int id) {
		for (final Entry e : entries)
			if (e.id() == id) return true;
		return false;
	}

	/**
	 * Offers a new memory to the bank by the insertion rule (class javadoc).
	 *
	 * @param id the memory's id (the caller's key to it)
	 * @param memory its flattened memory features (copied, normalised)
	 * @param quality its predicted quality (Medical SAM 2: predicted IoU)
	 * @param image the flattened image embedding of its frame (copied, normalised)
	 * @return the id that is not in the bank after the call: the replaced entry's, {@code id} itself
	 *         when the memory is refused, or -1 when it was appended to a bank that was not full
	 */
	public int offer(final int id, final float[] memory, final double quality, final float[] image) {
		final Entry m = new Entry(id, unit(memory), quality, unit(image));
		if (entries.size() < capacity) {
			entries.add(m);
			return -1;
		}
		final int n = entries.size();
		int i = 0;
		double least = Double.POSITIVE_INFINITY;
		for (int k = 0; k < n; k++) {
			final double s = dot(m.memory(), entries.get(k).memory());
			if (s < least) {
				least = s;
				i = k;
			}
		}
		int j = -1;
		double most = Double.NEGATIVE_INFINITY;
		for (int k = 0; k < n; k++) {
			if (k == i) continue;
			final double s = dot(entries.get(i).memory(), entries.get(k).memory());
			if (s > most) {
				most = s;
				j = k;
			}
		}
		if (j < 0 || !(least < most) || !(quality > entries.get(j).quality() - QUALITY_MARGIN)) return id;
		final Entry replaced = entries.remove(j);
		entries.add(m);
		return replaced.id();
	}

	/**
	 * The weight of each entry, in bank order, for a frame with image embedding {@code image}: the
	 * softmax of the cosine similarities to the entries' image embeddings.
	 */
	public double[] weights(final float[] image) {
		final float[] u = unit(image);
		final double[] w = new double[entries.size()];
		double max = Double.NEGATIVE_INFINITY;
		for (int k = 0; k < w.length; k++) {
			w[k] = dot(u, entries.get(k).image());
			max = Math.max(max, w[k]);
		}
		double sum = 0;
		for (int k = 0; k < w.length; k++) {
			w[k] = Math.exp(w[k] - max);
			sum += w[k];
		}
		for (int k = 0; k < w.length; k++)
			w[k] /= sum;
		return w;
	}

	/** {@code count} ids drawn with replacement with probabilities {@code weights} (in bank order), in draw order. */
	public List<Integer> sample(final double[] weights, final int count, final Random random) {
		checkWeights(weights);
		double total = 0;
		for (final double w : weights)
			total += w;
		final List<Integer> out = new ArrayList<>(count);
		for (int draw = 0; draw < count; draw++) {
			final double u = random.nextDouble() * total;
			double cumulative = 0;
			int k = 0;
			for (; k < weights.length - 1; k++) {
				cumulative += weights[k];
				if (u < cumulative) break;
			}
			out.add(entries.get(k).id());
		}
		return out;
	}

	/** The ids of the {@code min(count, size)} entries of largest weight, largest first (earlier in the bank on ties). */
	public List<Integer> top(final double[] weights, final int count) {
		checkWeights(weights);
		final List<Integer> order = new ArrayList<>(weights.length);
		for (int k = 0; k < weights.length; k++)
			order.add(k);
		Collections.sort(order, (a, b) -> weights[a] != weights[b] ? Double.compare(weights[b], weights[a]) : Integer.compare(a, b));
		final List<Integer> out = new ArrayList<>();
		for (int k = 0; k < Math.min(count, order.size()); k++)
			out.add(entries.get(order.get(k)).id());
		return out;
	}

	private void checkWeights(final double[] weights) {
		if (weights.length != entries.size())
			throw new IllegalArgumentException(weights.length + " weights for a bank of " + entries.size() + " entries");
	}

	/** Cosine similarity of two vectors, as {@code F.normalize} then a dot product. */
	public static double cosine(final float[] a, final float[] b) {
		return dot(unit(a), unit(b));
	}

	private static float[] unit(final float[] x) {
		double norm = 0;
		for (final float v : x)
			norm += (double) v * v;
		final double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
		final float[] out = new float[x.length];
		for (int k = 0; k < x.length; k++)
			out[k] = (float) (x[k] * scale);
		return out;
	}

	private static double dot(final float[] a, final float[] b) {
		if (a.length != b.length) throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " values");
		double s = 0;
		for (int k = 0; k < a.length; k++)
			s += (double) a[k] * b[k];
		return s;
	}
}
