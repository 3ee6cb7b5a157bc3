package io.github.sssfiji.sss.train;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.util.BitSet;
import java.util.List;

import ai.djl.ndarray.NDManager;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.pcsw.Pcsw;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PcswResult;
import io.github.sssfiji.sss.predict.Propagation;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * PCSW's part in training (SSS design, sections 4 and 5), run every {@code pcswInterval} iterations
 * on every unlabelled volume, in slice order: the teacher predicts the volume without prompts (ACDC
 * protocol, slice by slice), PCSW runs on the per-class probabilities, and every slice keeps what
 * PCSW left on it, in its own coordinates: the pixels PCSW rejected (ignored in the unlabelled loss)
 * and, when the pseudo-labels are prompted ({@link PseudoLabels}), PCSW's prompts (per class a box
 * and a click on every {@code promptFrequency}-th slice of a kept chain; the best-scoring chain's
 * where a class has several on one slice). With {@link PseudoLabels#PROPAGATED} the teacher then
 * decodes the volume again with these prompts (SAM-2 with memory propagates from the prompted
 * slices in both directions, {@link Propagation}; without memory each slice reads its own) and
 * each slice keeps the result as its pseudo-labels until the next refresh. The batch
 * sampler warps all of it with the slice. Volumes of one slice, or whose slices differ in size, are
 * skipped (PCSW needs neighbouring slices).
 */
public final class PcswRefresh {

	private PcswRefresh() {}

	/**
	 * The passes over one volume: the unprompted probabilities, PCSW's result on them, its prompts
	 * per slice, and the prompted probabilities ({@code null} unless asked for).
	 */
	public record VolumePass(float[] unprompted, PcswResult pcsw, SlicePrompts prompts, float[] prompted) {}

	/** What a refresh did: rejected pixels and prompted slices as fractions of all unlabelled ones, and its time. */
	public record Summary(double rejected, double promptedSlices, double seconds) {}

	/**
	 * Unprompted teacher, PCSW, and (with {@code prompted}) the teacher again with PCSW's prompts on one
	 * volume.
	 *
	 * @param image normalised, flat, x fastest, of extent {@code dims} = {X, Y, Z}
	 */
	public static VolumePass pass(final Network teacher, final float[] image, final int[] dims, final int size, final int batch,
		final PcswParameters parameters, final boolean prompted, final NDManager root)
	{
		final int classes = teacher.classes();
		final float[] unprompted = SlicePredictor.probabilities(teacher, image, dims, size, batch, root);
		final PcswResult result = Pcsw.fromProbabilities(unprompted, new int[] { dims[0], dims[1], dims[2], classes }, null, parameters);
		final SlicePrompts prompts = SlicePrompts.of(result.prompts(), dims[2], classes);
		return new VolumePass(unprompted, result, prompts, prompted ? prompted(teacher, image, dims, size, batch, prompts, root) : null);
	}

	/**
	 * The teacher prompted with PCSW's prompts. With memory, as SAM-2's video predictor and the
	 * {@code propagate} command run it ({@link Propagation}): forward from the first prompted slice,
	 * every prompted slice a conditioning frame, and backward from it over the slices before, so that
	 * a prompt reaches the slices on both sides (the released PCSW rule prompts one slice per class);
	 * in slice order those before it were decoded without any. Without memory each slice is decoded
	 * with its own prompts: carrying boxes to unprompted slices, as {@link Propagation} does for a
	 * U-Net, lost 2-4 Dice points on ACDC (bench/README, acdc/propagate.jsh).
	 */
	private static float[] prompted(final Network teacher, final float[] image, final int[] dims, final int size, final int batch,
		final SlicePrompts prompts, final NDManager root)
	{
		return teacher.hasMemory() ? Propagation.probabilities(teacher, image, dims, size, batch, prompts, root)
			: SlicePredictor.probabilities(teacher, image, dims, size, batch, prompts, root);
	}

	/**
	 * Refreshes every unlabelled volume for pseudo-labels from {@code source}.
	 *
	 * @param threshold the confidence threshold of the unlabelled loss, applied to propagated pseudo-labels
	 */
	public static Summary refresh(final Network teacher, final List<List<TrainingSlice>> volumes, final int size, final int batch,
		final PcswParameters parameters, final PseudoLabels source, final double threshold, final NDManager root)
	{
		final long start = System.nanoTime();
		final int classes = teacher.classes();
		if (source == PseudoLabels.PROPAGATED && classes > 256)
			throw new InvalidInputException("'pseudoLabels' = \"propagated\" keeps labels as bytes: at most 256 classes, the data has " + classes);
		long rejected = 0, total = 0, prompted = 0, slices = 0;
		for (final List<TrainingSlice> volume : volumes) {
			final TrainingSlice first = volume.get(0);
			final int w = first.width(), h = first.height(), area = w * h;
			total += (long) area * volume.size();
			slices += volume.size();
			if (volume.size() < 2 || volume.stream().anyMatch(s -> s.width() != w || s.height() != h)) continue;
			final float[] image = new float[area * volume.size()];
			for (int z = 0; z < volume.size(); z++)
				System.arraycopy(volume.get(z).image(), 0, image, z * area, area);
			final int[] dims = { w, h, volume.size() };
			final VolumePass pass = pass(teacher, image, dims, size, batch, parameters, source == PseudoLabels.PROPAGATED, root);
			final boolean[] mask = pass.pcsw().rejected();
			final int n = area * volume.size();
			for (int z = 0; z < volume.size(); z++) {
				final TrainingSlice slice = volume.get(z);
				final BitSet bits = new BitSet(area);
				for (int i = 0; i < area; i++)
					if (mask[z * area + i]) bits.set(i);
				rejected += bits.cardinality();
				slice.setRejected(bits);
				if (source == PseudoLabels.TEACHER) continue;
				final SlicePrompts own = pass.prompts().select(z);
				boolean any = false;
				for (int c = 1; c < classes; c++)
					any |= own.has(0, c);
				if (any) prompted++;
				slice.setPrompts(any ? own : null);
				if (pass.prompted() == null) continue;
				final byte[] labels = new byte[area];
				final BitSet confident = new BitSet(area);
				for (int i = 0; i < area; i++) {
					int label = 0;
					float max = pass.prompted()[z * area + i];
					for (int c = 1; c < classes; c++) {
						final float p = pass.prompted()[c * n + z * area + i];
						if (p > max) {
							max = p;
							label = c;
						}
					}
					labels[i] = (byte) label;
					if (max >= threshold) confident.set(i);
				}
				slice.setPropagated(new TrainingSlice.Propagated(labels, confident));
			}
		}
		return new Summary(total == 0 ? 0 : rejected / (double) total, slices == 0 ? 0 : prompted / (double) slices, (System.nanoTime() - start) / 1e9);
	}

	/** The masks of all slices, for a training-state file. */
	public static byte[] save(final List<TrainingSlice> slices) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final DataOutputStream out = new DataOutputStream(bytes);
		out.writeInt(slices.size());
		for (final TrainingSlice slice : slices) {
			final long[] words = slice.rejected() == null ? new long[0] : slice.rejected().toLongArray();
			out.writeInt(words.length);
			for (final long word : words)
				out.writeLong(word);
		}
		out.flush();
		return bytes.toByteArray();
	}

	/** Restores masks written by {@link #save}; the slices must be the same, in the same order. */
	public static void load(final byte[] saved, final List<TrainingSlice> slices, final String source) throws IOException {
		final DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved));
		final int count = in.readInt();
		if (count != slices.size())
			throw new InvalidInputException(source + ": saved PCSW masks for " + count + " unlabelled slices, the data has " + slices.size());
		for (final TrainingSlice slice : slices) {
			final long[] words = new long[in.readInt()];
			for (int i = 0; i < words.length; i++)
				words[i] = in.readLong();
			slice.setRejected(BitSet.valueOf(words));
		}
	}

	/** The prompts and propagated pseudo-labels of all slices, for a training-state file. */
	public static byte[] savePrompts(final List<TrainingSlice> slices) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		final DataOutputStream out = new DataOutputStream(bytes);
		out.writeInt(slices.size());
		for (final TrainingSlice slice : slices) {
			final SlicePrompts prompts = slice.prompts();
			final int classes = prompts == null ? 0 : prompts.classes();
			out.writeInt(classes);
			for (int c = 1; c < classes; c++) {
				out.writeBoolean(prompts.has(0, c));
				if (!prompts.has(0, c)) continue;
				for (final int v : prompts.box(0, c))
					out.writeInt(v);
				for (final int v : prompts.click(0, c))
					out.writeInt(v);
			}
			final TrainingSlice.Propagated propagated = slice.propagated();
			out.writeInt(propagated == null ? -1 : propagated.labels().length);
			if (propagated == null) continue;
			out.write(propagated.labels());
			final long[] words = propagated.confident().toLongArray();
			out.writeInt(words.length);
			for (final long word : words)
				out.writeLong(word);
		}
		out.flush();
		return bytes.toByteArray();
	}

	/** Restores what {@link #savePrompts} wrote; the slices must be the same, in the same order. */
	public static void loadPrompts(final byte[] saved, final List<TrainingSlice> slices, final String source) throws IOException {
		final DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved));
		final int count = in.readInt();
		if (count != slices.size())
			throw new InvalidInputException(source + ": saved PCSW prompts for " + count + " unlabelled slices, the data has " + slices.size());
		for (final TrainingSlice slice : slices) {
			final int classes = in.readInt();
			if (classes < 0 || classes > 65536) throw new InvalidInputException(source + ": saved PCSW prompts are corrupt (" + classes + " classes)");
			SlicePrompts prompts = null;
			if (classes > 0) {
				final SlicePrompts.Builder builder = new SlicePrompts.Builder(1, classes);
				for (int c = 1; c < classes; c++) {
					if (!in.readBoolean()) continue;
					final int[] box = { in.readInt(), in.readInt(), in.readInt(), in.readInt() };
					builder.set(0, c, box, new int[] { in.readInt(), in.readInt() });
				}
				prompts = builder.build();
			}
			slice.setPrompts(prompts);
			final int length = in.readInt();
			if (length < 0) {
				slice.setPropagated(null);
				continue;
			}
			if (length != slice.width() * slice.height())
				throw new InvalidInputException(source + ": saved pseudo-labels of " + length + " pixels for a slice of " + slice.width() * slice.height());
			final byte[] labels = new byte[length];
			in.readFully(labels);
			final long[] words = new long[in.readInt()];
			for (int i = 0; i < words.length; i++)
				words[i] = in.readLong();
			slice.setPropagated(new TrainingSlice.Propagated(labels, BitSet.valueOf(words)));
		}
	}
}
