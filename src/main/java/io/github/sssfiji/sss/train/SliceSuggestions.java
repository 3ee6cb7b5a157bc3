package io.github.sssfiji.sss.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.data.Dataset;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.augment.SliceWarp;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.predict.PredictFiles;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * Which unlabelled slices to label next: each slice is scored by what a trained model does not know
 * about it, from the passes of a PCSW refresh ({@link PcswRefresh#pass}): the mean entropy of its
 * class probabilities divided by {@code ln C} (uncertainty, 0 to 1), the fraction of its pixels PCSW
 * rejects (predicted structures that are not continuous with their neighbours), and for a model
 * that reads prompts the fraction of its pixels where the prompted and the unprompted predictions
 * disagree. The score is their sum.
 * <p>
 * Slices are then taken one at a time ({@link #pick}), never within {@code spacing} slices of one
 * already taken in the same volume, and spread out: each next suggestion is the best-scored slice
 * among those of the subjects ({@link Dataset#subject(String)}: the patient) with the fewest
 * suggestions so far and, among these, of the depth range with the fewest (a volume's slices fall
 * into {@code strata} equal ranges by relative position: base, middle and apex of a heart for 3).
 * By score alone the suggestions crowd on what the model finds hard everywhere: on ACDC six of ten
 * were the first slice of a volume, and both frames of one patient's slice 9 were taken
 * ({@code bench/README.md}).
 * <p>
 * Or spread by what the slices look like to the model ({@link #pickCovering}): the labelled and the
 * unlabelled slices are grouped by their features ({@link #features}, {@link KMeans}), and each next
 * suggestion is the best-scored slice of the group with the fewest labelled and suggested slices, the
 * largest first, so that the labels reach the kinds of slices none shows yet (the groups of TypiClust,
 * Hacohen et al. 2022). Within a group the score chooses or, as in TypiClust, the most typical slice
 * ({@link #typicality}): with few labels the slices most like many others teach more than the hard
 * ones, which at that budget are often outliers. The groups with the most typical slice are the
 * default of the CLI's {@code suggest} and SSS Suggest Slices: on ACDC they gained most over random
 * slices of any ranking measured ({@code bench/README.md}).
 */
public final class SliceSuggestions {

	private SliceSuggestions() {}

	/** The default of {@code strata} in {@link #pick}: three depth ranges per volume. */
	public static final int STRATA = 3;

	/**
	 * One scored slice.
	 *
	 * @param subject the subject (patient) of its volume, {@link Dataset#subject(String)}
	 * @param volume index of the volume in the list given
	 * @param slice index of the slice in its volume
	 * @param depth the number of slices of its volume
	 */
	public record Suggestion(String name, String subject, int volume, int slice, int depth, double score, double entropy, double rejected,
		double disagreement)
	{

		/** The depth range of this slice in its volume, 0 to {@code strata - 1}, by the centre of the slice; a volume of one slice is in the middle. */
		public int stratum(final int strata) {
			return Math.min(strata - 1, (int) Math.floor((slice + 0.5) * strata / depth));
		}
	}

	/** Every slice of {@code volumes} scored, in volume and slice order. */
	public static List<Suggestion> score(final Network net, final List<List<TrainingSlice>> volumes, final int size, final int batch,
		final PcswParameters parameters, final NDManager root)
	{
		final int classes = net.classes();
		final double norm = Math.log(classes);
		final List<Suggestion> out = new ArrayList<>();
		for (int v = 0; v < volumes.size(); v++) {
			final List<TrainingSlice> volume = volumes.get(v);
			final String subject = subject(volume.get(0).name());
			final int w = volume.get(0).width(), h = volume.get(0).height(), area = w * h, depth = volume.size();
			final boolean stack = volume.stream().allMatch(s -> s.width() == w && s.height() == h);
			for (int first = 0; first < depth; first = stack ? depth : first + 1) {
				// a volume whose slices differ in size is scored slice by slice (no PCSW, which needs a stack)
				final List<TrainingSlice> part = stack ? volume : volume.subList(first, first + 1);
				final int pw = part.get(0).width(), ph = part.get(0).height(), pa = pw * ph, pd = part.size();
				final float[] image = new float[pa * pd];
				for (int z = 0; z < pd; z++)
					System.arraycopy(part.get(z).image(), 0, image, z * pa, pa);
				final int[] dims = { pw, ph, pd };
				final boolean pcsw = pd > 1;
				final PcswRefresh.VolumePass pass = pcsw ? PcswRefresh.pass(net, image, dims, size, batch, parameters, net.usesPrompts(), root) : null;
				final float[] p = pass != null ? pass.unprompted() : SlicePredictor.probabilities(net, image, dims, size, batch, root);
				final float[] entropy = PredictFiles.entropy(p, classes);
				final int[] plain = SlicePredictor.argmax(p, classes);
				final int[] prompted = pass != null && pass.prompted() != null ? SlicePredictor.argmax(pass.prompted(), classes) : null;
				for (int z = 0; z < pd; z++) {
					double e = 0, r = 0, d = 0;
					for (int i = z * pa; i < (z + 1) * pa; i++) {
						e += entropy[i];
						if (pass != null && pass.pcsw().rejected()[i]) r++;
						if (prompted != null && prompted[i] != plain[i]) d++;
					}
					e /= pa * norm;
					r /= pa;
					d /= pa;
					final int slice = stack ? z : first;
					out.add(new Suggestion(volume.get(slice).name(), subject, v, slice, depth, e + r + d, e, r, d));
				}
			}
		}
		return out;
	}

	/**
	 * The subject of a slice name: the name of a 3-D item's slice is {@code <item>#<z>}
	 * ({@link TrainingData}), of a 2-D item its file's base name; both by {@link Dataset#subject(String)}.
	 */
	static String subject(final String sliceName) {
		return Dataset.subject(sliceName.replaceFirst("#\\d+$", ""));
	}

	/**
	 * The {@code count} slices to suggest of {@code scored}, in the order taken: none within {@code spacing}
	 * slices of a taken one of its volume; each next one the best by score among the slices of the
	 * subjects with the fewest taken and, for {@code strata} of 2 or more, among these of the depth
	 * range ({@link Suggestion#stratum}) with the fewest taken. {@code strata} 1 spreads over subjects
	 * only, 0 not at all (score order).
	 */
	public static List<Suggestion> pick(final List<Suggestion> scored, final int count, final int spacing, final int strata) {
		if (strata < 0) throw new IllegalArgumentException("strata must be at least 0, got " + strata);
		final Map<String, Integer> bySubject = new HashMap<>();
		final int[] byStratum = new int[Math.max(strata, 1)];
		// subjects first, then depth ranges: both counts are at most count, so this key orders them lexicographically
		return takeGreedily(scored, scores(scored), count, spacing, i -> strata == 0 ? 0 : bySubject.getOrDefault(scored.get(i).subject(), 0) * (count + 1L) +
			(strata > 1 ? byStratum[scored.get(i).stratum(strata)] : 0), i -> {
				bySubject.merge(scored.get(i).subject(), 1, Integer::sum);
				if (strata > 1) byStratum[scored.get(i).stratum(strata)]++;
			});
	}

	/** The score of each of {@code scored}, in its order. */
	private static double[] scores(final List<Suggestion> scored) {
		return scored.stream().mapToDouble(Suggestion::score).toArray();
	}

	/**
	 * Takes up to {@code count} of {@code scored} one at a time: each next the one of highest
	 * {@code preference} (then the first by name) among the slices of the smallest {@code key}, none within
	 * {@code spacing} slices of a taken one of its volume; {@code taken} is told each index taken, so that
	 * the keys can change.
	 */
	private static List<Suggestion> takeGreedily(final List<Suggestion> scored, final double[] preference, final int count, final int spacing,
		final IntToLongFunction key, final IntConsumer taken)
	{
		final Integer[] order = new Integer[scored.size()];
		for (int i = 0; i < order.length; i++)
			order[i] = i;
		Arrays.sort(order, Comparator.<Integer> comparingDouble(i -> -preference[i]).thenComparing(i -> scored.get(i).name()));
		final boolean[] used = new boolean[order.length];
		final Map<Integer, List<Integer>> takenSlices = new HashMap<>();
		final List<Suggestion> picked = new ArrayList<>();
		while (picked.size() < count) {
			int best = -1;
			long bestKey = Long.MAX_VALUE;
			for (final int i : order) {
				if (used[i]) continue;
				final Suggestion s = scored.get(i);
				if (takenSlices.getOrDefault(s.volume(), List.of()).stream().anyMatch(t -> Math.abs(t - s.slice()) <= spacing)) {
					used[i] = true; // a taken neighbour stays taken
					continue;
				}
				// in order of preference, so only a strictly smaller key replaces the best
				final long k = key.applyAsLong(i);
				if (k < bestKey) {
					best = i;
					bestKey = k;
				}
			}
			if (best < 0) break;
			final Suggestion s = scored.get(best);
			used[best] = true;
			picked.add(s);
			takenSlices.computeIfAbsent(s.volume(), v -> new ArrayList<>()).add(s.slice());
			taken.accept(best);
		}
		return picked;
	}

	/**
	 * What each slice looks like to {@code net}: the coarsest level of {@link Network#encode} (the slice
	 * resized to {@code size} as for prediction), averaged over the slice and scaled to unit length, so
	 * that the squared distance of two slices is 2 - 2 cos of their angle; in the order of {@code slices}.
	 */
	public static float[][] features(final Network net, final List<TrainingSlice> slices, final int size, final int batch, final NDManager root) {
		final float[][] out = new float[slices.size()][];
		for (int first = 0; first < slices.size(); first += batch) {
			final int count = Math.min(batch, slices.size() - first);
			final float[] input = new float[count * size * size];
			for (int k = 0; k < count; k++) {
				final TrainingSlice s = slices.get(first + k);
				SliceWarp.resize(s.width(), s.height(), size, size).warp(s.image(), 0, 1, 0f, input, k * size * size);
			}
			try (Engines.NoGrad noGrad = Engines.noGrad(); NDManager step = root.newSubManager()) {
				final NDList levels = net.encode(step.create(input, new Shape(count, 1, size, size)), false);
				NDArray coarsest = levels.get(0);
				for (final NDArray level : levels)
					if (level.getShape().get(2) * level.getShape().get(3) < coarsest.getShape().get(2) * coarsest.getShape().get(3)) coarsest = level;
				final int channels = (int) coarsest.getShape().get(1);
				final float[] mean = coarsest.mean(new int[] { 3 }).mean(new int[] { 2 }).toFloatArray();
				for (int k = 0; k < count; k++) {
					final float[] f = Arrays.copyOfRange(mean, k * channels, (k + 1) * channels);
					double norm = 0;
					for (final float v : f)
						norm += v * v;
					norm = Math.sqrt(norm);
					if (norm > 0) for (int j = 0; j < channels; j++)
						f[j] /= norm;
					out[first + k] = f;
				}
			}
		}
		return out;
	}

	/** The seed of the clustering in {@link #cover}: the same suggestions for the same model and data. */
	static final long CLUSTER_SEED = 0;

	/** How many nearest neighbours in its group {@link #typicality} averages over: TypiClust's 20. */
	static final int TYPICALITY_NEIGHBOURS = 20;

	/**
	 * How typical each point is of its cluster (TypiClust): the inverse of the mean distance to its
	 * {@code neighbours} nearest other points of the same cluster (fewer where the cluster has fewer);
	 * 0 for a point alone in its cluster, infinite where all those neighbours coincide with it.
	 *
	 * @param cluster the cluster of each point
	 */
	public static double[] typicality(final float[][] points, final int[] cluster, final int neighbours) {
		if (cluster.length != points.length) throw new IllegalArgumentException(cluster.length + " clusters for " + points.length + " points");
		if (neighbours < 1) throw new IllegalArgumentException("neighbours must be at least 1, got " + neighbours);
		final int n = points.length;
		final double[] out = new double[n];
		final double[] distances = new double[n];
		for (int i = 0; i < n; i++) {
			int m = 0;
			for (int j = 0; j < n; j++) {
				if (j == i || cluster[j] != cluster[i]) continue;
				double d = 0;
				for (int c = 0; c < points[i].length; c++) {
					final double t = points[i][c] - points[j][c];
					d += t * t;
				}
				distances[m++] = Math.sqrt(d);
			}
			if (m == 0) continue;
			Arrays.sort(distances, 0, m);
			final int k = Math.min(neighbours, m);
			double mean = 0;
			for (int j = 0; j < k; j++)
				mean += distances[j];
			mean /= k;
			out[i] = 1 / mean;
		}
		return out;
	}

	/**
	 * The {@code count} slices to suggest of {@code scored} (the slices of {@code volumes}, as
	 * {@link #score} returns them), spread by their looks: {@code labelled} and the unlabelled slices are
	 * clustered by their {@link #features} into {@code clusters} groups ({@link KMeans}; 0: the number of
	 * labelled slices plus {@code count}, as TypiClust), then {@link #pickCovering}, within a group by
	 * score or, {@code typical}, by {@link #typicality} among all slices of the group.
	 */
	public static List<Suggestion> cover(final Network net, final List<TrainingSlice> labelled, final List<List<TrainingSlice>> volumes,
		final List<Suggestion> scored, final int clusters, final boolean typical, final int count, final int spacing, final int size, final int batch,
		final NDManager root)
	{
		final List<TrainingSlice> unlabelled = volumes.stream().flatMap(List::stream).toList();
		if (scored.size() != unlabelled.size())
			throw new IllegalArgumentException(scored.size() + " scored slices for " + unlabelled.size() + " unlabelled ones");
		final List<TrainingSlice> all = new ArrayList<>(labelled);
		all.addAll(unlabelled);
		final int k = Math.min(all.size(), clusters > 0 ? clusters : labelled.size() + count);
		final float[][] features = features(net, all, size, batch, root);
		final int[] cluster = KMeans.assign(features, k, CLUSTER_SEED);
		final int[] covered = new int[k];
		for (int i = 0; i < labelled.size(); i++)
			covered[cluster[i]]++;
		final double[] preference = typical ? Arrays.copyOfRange(typicality(features, cluster, TYPICALITY_NEIGHBOURS), labelled.size(), all.size())
			: scores(scored);
		return pickCovering(scored, preference, Arrays.copyOfRange(cluster, labelled.size(), all.size()), covered, count, spacing);
	}

	/**
	 * The {@code count} slices to suggest of {@code scored}, in the order taken: none within {@code spacing}
	 * slices of a taken one of its volume; each next one the one of highest {@code preference} (the score,
	 * or the typicality) among the slices of the cluster with the fewest labelled ({@code covered}, per
	 * cluster) and taken slices and, of those, with the most slices of {@code scored}.
	 *
	 * @param preference what chooses within a cluster, per slice of {@code scored}
	 * @param cluster the cluster of each slice of {@code scored}, 0 to {@code covered.length - 1}
	 */
	public static List<Suggestion> pickCovering(final List<Suggestion> scored, final double[] preference, final int[] cluster, final int[] covered,
		final int count, final int spacing)
	{
		if (cluster.length != scored.size()) throw new IllegalArgumentException(cluster.length + " clusters for " + scored.size() + " slices");
		if (preference.length != scored.size()) throw new IllegalArgumentException(preference.length + " preferences for " + scored.size() + " slices");
		final int n = scored.size();
		final int[] sizes = new int[covered.length], taken = covered.clone();
		for (final int c : cluster)
			sizes[c]++;
		// fewest labelled and taken first, then the largest cluster: both at most n, so the key orders them lexicographically
		return takeGreedily(scored, preference, count, spacing, i -> taken[cluster[i]] * (n + 1L) + (n - sizes[cluster[i]]), i -> taken[cluster[i]]++);
	}

	/**
	 * The {@code count} slices of {@code volumes} to suggest: scored ({@link #score}), then picked spread
	 * over subjects and {@code strata} depth ranges ({@link #pick}) when {@code clusters} is negative, or
	 * covering {@code clusters} groups of like slices with {@code labelled} (0: as many as labelled slices
	 * plus {@code count}), the best-scored or, {@code typical}, the most typical of a group ({@link #cover});
	 * what the CLI's {@code suggest} and SSS Suggest Slices do.
	 */
	public static List<Suggestion> suggest(final Network net, final List<TrainingSlice> labelled, final List<List<TrainingSlice>> volumes,
		final int count, final int spacing, final int strata, final int clusters, final boolean typical, final int size, final int batch,
		final NDManager root)
	{
		final List<Suggestion> scored = score(net, volumes, size, batch, PcswParameters.defaults(), root);
		return clusters < 0 ? pick(scored, count, spacing, strata)
			: cover(net, labelled, volumes, scored, clusters, typical, count, spacing, size, batch, root);
	}

	/**
	 * The {@code clusters} of {@link #suggest} from its text form, as the CLI's {@code --clusters} and the
	 * command's key take it: {@code none}, empty or {@code null} -1 (spread by depth ranges), {@code auto} 0
	 * (the default of both), else a count of at least 1.
	 *
	 * @throws IllegalArgumentException naming the value, for anything else
	 */
	public static int clusters(final String value) {
		if (value == null || value.isBlank() || value.trim().equals(NO_CLUSTERS)) return -1;
		if (value.trim().equals(AUTO_CLUSTERS)) return 0;
		try {
			final int clusters = Integer.parseInt(value.trim());
			if (clusters >= 1) return clusters;
		}
		catch (final NumberFormatException e) {
			// refused below
		}
		throw new IllegalArgumentException("must be auto, none or a count of at least 1, got '" + value + "'");
	}

	/**
	 * The text form of {@link #clusters} for groups of like slices, as many as labelled slices plus
	 * those to suggest: with {@code typical}, the default of the CLI and the command, the ranking that
	 * gained most over random slices on ACDC (bench/README.md).
	 */
	public static final String AUTO_CLUSTERS = "auto";

	/** The text form of {@link #clusters} for no groups: spread over subjects and depth ranges instead. */
	public static final String NO_CLUSTERS = "none";

	/** The header of {@link #csv}. */
	public static final String CSV_HEADER = "rank,name,volume,slice,score,entropy,rejected,disagreement,subject";

	/**
	 * {@code picked} as CSV, best first: {@value #CSV_HEADER}, one row per suggestion, rank from 1,
	 * volume and slice from 0; what the CLI's {@code suggest} and SSS Suggest Slices write.
	 */
	public static String csv(final List<Suggestion> picked) {
		final StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
		for (int i = 0; i < picked.size(); i++) {
			final Suggestion s = picked.get(i);
			csv.append(String.format(Locale.ROOT, "%d,%s,%d,%d,%.6f,%.6f,%.6f,%.6f,%s%n", i + 1, s.name(), s.volume(), s.slice(), s.score(), s.entropy(),
				s.rejected(), s.disagreement(), s.subject()));
		}
		return csv.toString();
	}
}
