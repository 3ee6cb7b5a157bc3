package io.github.sssfiji.sss.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import ai.djl.ndarray.NDManager;

import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.predict.PredictFiles;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * Which unlabelled slices to label next: each slice is scored by what a trained model does not know
 * about it, from the passes of a PCSW refresh ({@link PcswRefresh#pass}): the mean entropy of its
 * class probabilities divided by {@code ln C} (uncertainty, 0 to 1), the fraction of its pixels PCSW
 * rejects (predicted structures that are not continuous with their neighbours), and for a model
 * that reads prompts the fraction of its pixels where the prompted and the unprompted predictions
 * disagree. The score is their sum. Slices are then taken in score order, skipping slices within
 * {@code spacing} slices of one already taken in the same volume, so that the suggestions do not
 * cluster on neighbours that would teach the same thing.
 */
public final class SliceSuggestions {

	private SliceSuggestions() {}

	/**
	 * One scored slice.
	 *
	 * @param volume index of the volume in the list given
	 * @param slice index of the slice in its volume
	 */
	public record Suggestion(String name, int volume, int slice, double score, double entropy, double rejected, double disagreement) {}

	/** Every slice of {@code volumes} scored, in volume and slice order. */
	public static List<Suggestion> score(final Network net, final List<List<TrainingSlice>> volumes, final int size, final int batch,
		final PcswParameters parameters, final NDManager root)
	{
		final int classes = net.classes();
		final double norm = Math.log(classes);
		final List<Suggestion> out = new ArrayList<>();
		for (int v = 0; v < volumes.size(); v++) {
			final List<TrainingSlice> volume = volumes.get(v);
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
					out.add(new Suggestion(volume.get(slice).name(), v, slice, e + r + d, e, r, d));
				}
			}
		}
		return out;
	}

	/** The {@code count} best slices of {@code scored}: by score, none within {@code spacing} slices of a taken one of its volume. */
	public static List<Suggestion> pick(final List<Suggestion> scored, final int count, final int spacing) {
		final List<Suggestion> sorted = new ArrayList<>(scored);
		sorted.sort(Comparator.comparingDouble(Suggestion::score).reversed().thenComparing(Suggestion::name));
		final List<Suggestion> taken = new ArrayList<>();
		for (final Suggestion s : sorted) {
			if (taken.size() == count) break;
			if (taken.stream().anyMatch(t -> t.volume() == s.volume() && Math.abs(t.slice() - s.slice()) <= spacing)) continue;
			taken.add(s);
		}
		return taken;
	}

	/** The header of {@link #csv}. */
	public static final String CSV_HEADER = "rank,name,volume,slice,score,entropy,rejected,disagreement";

	/**
	 * {@code picked} as CSV, best first: {@value #CSV_HEADER}, one row per suggestion, rank from 1,
	 * volume and slice from 0; what the CLI's {@code suggest} and SSS Suggest Slices write.
	 */
	public static String csv(final List<Suggestion> picked) {
		final StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
		for (int i = 0; i < picked.size(); i++) {
			final Suggestion s = picked.get(i);
			csv.append(String.format(Locale.ROOT, "%d,%s,%d,%d,%.6f,%.6f,%.6f,%.6f%n", i + 1, s.name(), s.volume(), s.slice(), s.score(), s.entropy(),
				s.rejected(), s.disagreement()));
		}
		return csv.toString();
	}
}
