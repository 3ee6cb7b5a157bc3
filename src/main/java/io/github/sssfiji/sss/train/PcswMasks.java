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
import io.github.sssfiji.sss.pcsw.Pcsw;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PcswResult;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * PCSW's part in training (SSS design, section 5): the teacher predicts each unlabelled volume
 * slice by slice (ACDC protocol), PCSW runs on the per-class probabilities, and every slice keeps
 * the pixels PCSW rejected, in its own coordinates. The batch sampler warps that mask with the
 * slice, so rejected pixels are ignored in the unlabelled loss. Volumes of one slice, or whose
 * slices differ in size, are skipped (PCSW needs neighbouring slices).
 */
public final class PcswMasks {

	private PcswMasks() {}

	/**
	 * Recomputes the rejected masks of every unlabelled volume.
	 *
	 * @return the fraction of unlabelled pixels rejected
	 */
	public static double refresh(final Network teacher, final List<List<TrainingSlice>> volumes, final int size, final int batch,
		final PcswParameters parameters, final NDManager root)
	{
		long rejected = 0, total = 0;
		for (final List<TrainingSlice> volume : volumes) {
			final TrainingSlice first = volume.get(0);
			final int w = first.width(), h = first.height(), area = w * h;
			total += (long) area * volume.size();
			if (volume.size() < 2 || volume.stream().anyMatch(s -> s.width() != w || s.height() != h)) continue;
			final float[] image = new float[area * volume.size()];
			for (int z = 0; z < volume.size(); z++)
				System.arraycopy(volume.get(z).image(), 0, image, z * area, area);
			final int[] dims = { w, h, volume.size() };
			final float[] probabilities = SlicePredictor.probabilities(teacher, image, dims, size, batch, root);
			final PcswResult result = Pcsw.fromProbabilities(probabilities, new int[] { w, h, volume.size(), teacher.classes() }, null, parameters);
			final boolean[] mask = result.rejected();
			for (int z = 0; z < volume.size(); z++) {
				final BitSet bits = new BitSet(area);
				for (int i = 0; i < area; i++)
					if (mask[z * area + i]) bits.set(i);
				rejected += bits.cardinality();
				volume.get(z).setRejected(bits);
			}
		}
		return total == 0 ? 0 : rejected / (double) total;
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
}
