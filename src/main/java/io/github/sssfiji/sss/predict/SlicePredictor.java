package io.github.sssfiji.sss.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.augment.SliceWarp;

/**
 * Slice-by-slice prediction of a normalised volume with the ACDC protocol: each slice is resized to
 * the training size, predicted (evaluation mode), and its logits resized back to the slice's size
 * (bilinear, pixel areas aligned) before the softmax. A backbone with memory (SAM-2 trained on
 * sequences) predicts the slices in order as a video ({@link Network#newSequence}, SSS design
 * section 4): the encoder still runs on batches of slices, the memory pass then goes slice by slice
 * with the memory of the previous slices; the others predict each slice on its own.
 */
public final class SlicePredictor {

	private SlicePredictor() {}

	/**
	 * Class probabilities of every voxel.
	 *
	 * @param volume normalised intensities, flat, x fastest
	 * @param dims {X, Y, Z}
	 * @param size the training size (a multiple of the backbone's)
	 * @param batch slices per forward pass
	 * @return probabilities flat as {X, Y, Z, C} (class maps one after another), as {@code Pcsw.fromProbabilities} reads them
	 */
	public static float[] probabilities(final Network net, final float[] volume, final int[] dims, final int size, final int batch,
		final NDManager parent)
	{
		return probabilities(net, volume, dims, size, batch, null, parent);
	}

	/**
	 * Class probabilities of every voxel, the network prompted with {@code prompts}: one per slice of
	 * the volume, in the slices' pixel coordinates, moved with each slice to the training size. A
	 * backbone with memory takes the prompted slices as conditioning frames and propagates the
	 * others from its memory; a network that reads no prompts ignores them.
	 *
	 * @param prompts {@code dims[2]} slices of prompts, or {@code null} for none
	 */
	public static float[] probabilities(final Network net, final float[] volume, final int[] dims, final int size, final int batch,
		final SlicePrompts prompts, final NDManager parent)
	{
		if (prompts != null && prompts.count() != dims[2])
			throw new IllegalArgumentException("prompts for " + prompts.count() + " slices, the volume has " + dims[2]);
		final int w = dims[0], h = dims[1], slices = dims[2], area = w * h, classes = net.classes();
		final int n = area * slices;
		final float[] out = new float[n * classes];
		final SliceWarp down = SliceWarp.resize(w, h, size, size), up = SliceWarp.resize(size, size, w, h);
		final float[] back = new float[classes * area];
		final Network.MemorySequence sequence = net.hasMemory() ? net.newSequence(1, slices, parent) : null;
		try (sequence) {
			for (int first = 0; first < slices; first += batch) {
				final int count = Math.min(batch, slices - first);
				final float[] input = new float[count * size * size];
				for (int k = 0; k < count; k++)
					down.warp(volume, (first + k) * area, 1, 0f, input, k * size * size);
				final float[] logits;
				final SlicePrompts given = prompts == null ? null : prompts.select(range(first, count)).warped(down, size);
				try (Engines.NoGrad noGrad = Engines.noGrad(); NDManager step = parent.newSubManager()) {
					final NDList features = net.encode(step.create(input, new Shape(count, 1, size, size)), false);
					logits = sequence == null ? net.decode(features, given, false).toFloatArray() : inOrder(sequence, features, given, classes * size * size);
				}
				softmaxBack(logits, count, first, classes, area, n, up, back, out);
			}
		}
		return out;
	}

	/** The logits of the batch's slices, fed one by one to the sequence, each with its own manager for the intermediates. */
	private static int[] range(final int first, final int count) {
		final int[] indices = new int[count];
		for (int k = 0; k < count; k++)
			indices[k] = first + k;
		return indices;
	}

	private static float[] inOrder(final Network.MemorySequence sequence, final NDList features, final SlicePrompts prompts, final int perSlice) {
		final int count = (int) features.get(0).getShape().get(0);
		final float[] logits = new float[count * perSlice];
		for (int k = 0; k < count; k++)
			try (NDManager frame = features.get(0).getManager().newSubManager()) {
				final NDList slice = new NDList(features.size());
				for (final NDArray level : features) {
					final NDArray row = level.get(new NDIndex(k + ":" + (k + 1)));
					row.attach(frame);
					slice.add(row);
				}
				System.arraycopy(sequence.next(slice, prompts == null ? null : prompts.select(k), false).toFloatArray(), 0, logits, k * perSlice, perSlice);
			}
		return logits;
	}

	/** Resizes the batch's logits back to the slices' size and stores their softmax. */
	private static void softmaxBack(final float[] logits, final int count, final int first, final int classes, final int area, final int n,
		final SliceWarp up, final float[] back, final float[] out)
	{
		final int perSlice = logits.length / count;
		for (int k = 0; k < count; k++) {
			up.warp(logits, k * perSlice, classes, 0f, back, 0);
			final int z = first + k;
			for (int i = 0; i < area; i++) {
				float max = Float.NEGATIVE_INFINITY;
				for (int c = 0; c < classes; c++)
					max = Math.max(max, back[c * area + i]);
				double sum = 0;
				for (int c = 0; c < classes; c++)
					sum += back[c * area + i] = (float) Math.exp(back[c * area + i] - max);
				for (int c = 0; c < classes; c++)
					out[c * n + z * area + i] = (float) (back[c * area + i] / sum);
			}
		}
	}

	/** The most probable class per voxel (the lowest on ties) of {@link #probabilities} output with {@code classes} maps. */
	public static int[] argmax(final float[] probabilities, final int classes) {
		final int n = probabilities.length / classes;
		final int[] labels = new int[n];
		for (int i = 0; i < n; i++) {
			float best = probabilities[i];
			for (int c = 1; c < classes; c++)
				if (probabilities[c * n + i] > best) {
					best = probabilities[c * n + i];
					labels[i] = c;
				}
		}
		return labels;
	}
}
