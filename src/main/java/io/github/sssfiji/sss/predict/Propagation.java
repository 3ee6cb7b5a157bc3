package io.github.sssfiji.sss.predict;

import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDManager;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.pcsw.Prompt;

/**
 * A volume segmented from prompts on one or a few of its slices. A network with memory (SAM-2
 * trained on sequences) runs as SAM-2's video predictor does: forward from the first prompted slice
 * with every prompted slice as a conditioning frame, and backward from it over the slices before. A
 * network without memory (the promptable U-Net, 2-D SAM-2) carries the boxes along the structure:
 * each slice is decoded with the prompts of its nearest prompted slice's chain, a slice next to a
 * decoded one taking per class the box and farthest interior click of that slice's prediction,
 * until the class disappears. Slices and classes no chain reaches are decoded without prompts.
 */
public final class Propagation {

	private Propagation() {}

	/**
	 * Refuses a network that reads no prompts (a U-Net trained with pseudo-labels {@code teacher}):
	 * the check of the CLI's {@code propagate} and of the Fiji commands that prompt {@code .sss}
	 * models, one message for all.
	 *
	 * @param model the model file's name or path, for the message
	 */
	public static void requirePrompts(final Network net, final String model) {
		if (!net.usesPrompts()) throw new InvalidInputException(model + ": this model reads no prompts (a U-Net trained with pseudoLabels " +
			"'teacher'); train with pseudoLabels prompted (train --pseudo-labels prompted), or segment without prompts (predict, " +
			"SSS Segment Image)");
	}

	/**
	 * Checks prompts against a volume of extent {@code dims} = {X, Y, Z} and a model of
	 * {@code classes} classes (background included): each prompt's class is a foreground class, its
	 * slice (0-based) one of the volume's, its box and click inside the slice. The check of the CLI's
	 * {@code propagate} and of the Fiji commands, one set of messages for all.
	 *
	 * @param source where the prompts come from (a file, "the ROIs"), for the messages
	 * @param image the image's name, for the messages
	 * @throws InvalidInputException naming the first prompt that fails
	 */
	public static void checkPrompts(final List<Prompt> prompts, final int[] dims, final int classes, final String source, final String image) {
		for (final Prompt p : prompts) {
			if (p.classLabel() < 1 || p.classLabel() >= classes)
				throw new InvalidInputException(source + ": a prompt of class " + p.classLabel() + "; the model has classes 1 to " + (classes - 1));
			if (p.slice() < 0 || p.slice() >= dims[2])
				throw new InvalidInputException(source + ": a prompt on slice " + p.slice() + " (counted from 0); " + image + " has slices 0 to " +
					(dims[2] - 1));
			if (p.xMin() > p.xMax() || p.yMin() > p.yMax())
				throw new InvalidInputException(source + ": the box " + Arrays.toString(p.box()) + " on slice " + p.slice() + " is empty");
			if (p.xMin() < 0 || p.yMin() < 0 || p.xMax() >= dims[0] || p.yMax() >= dims[1])
				throw new InvalidInputException(source + ": the box " + Arrays.toString(p.box()) + " on slice " + p.slice() + " leaves the " +
					dims[0] + " x " + dims[1] + " image");
			if (p.clickX() < 0 || p.clickY() < 0 || p.clickX() >= dims[0] || p.clickY() >= dims[1])
				throw new InvalidInputException(source + ": the click " + Arrays.toString(p.click()) + " on slice " + p.slice() + " leaves the " +
					dims[0] + " x " + dims[1] + " image");
		}
	}

	/**
	 * Class probabilities of every voxel, flat as {X, Y, Z, C} (as {@link SlicePredictor#probabilities}).
	 *
	 * @param volume normalised intensities, flat, x fastest, of extent {@code dims} = {X, Y, Z}
	 * @param given prompts of the {@code dims[2]} slices, in the slices' pixel coordinates
	 */
	public static float[] probabilities(final Network net, final float[] volume, final int[] dims, final int size, final int batch,
		final SlicePrompts given, final NDManager root)
	{
		final int slices = dims[2];
		if (given.count() != slices) throw new IllegalArgumentException("prompts for " + given.count() + " slices, the volume has " + slices);
		final boolean[] prompted = promptedSlices(given);
		int first = -1;
		for (int z = 0; z < slices && first < 0; z++)
			if (prompted[z]) first = z;
		if (first < 0) return SlicePredictor.probabilities(net, volume, dims, size, batch, root);
		return net.hasMemory() ? withMemory(net, volume, dims, size, batch, given, first, root) : carried(net, volume, dims, size, given, prompted, root);
	}

	private static boolean[] promptedSlices(final SlicePrompts prompts) {
		final boolean[] prompted = new boolean[prompts.count()];
		for (int z = 0; z < prompted.length; z++)
			for (int c = 1; c < prompts.classes(); c++)
				prompted[z] |= prompts.has(z, c);
		return prompted;
	}

	/** Forward over slices {@code first..}, backward over {@code first..0}; each slice from the pass that reaches it from a prompt. */
	private static float[] withMemory(final Network net, final float[] volume, final int[] dims, final int size, final int batch,
		final SlicePrompts given, final int first, final NDManager root)
	{
		final int area = dims[0] * dims[1], slices = dims[2], classes = net.classes(), n = area * slices;
		final float[] out = new float[n * classes];
		final int[] forward = range(first, slices, 1), backward = range(first, -1, -1);
		final float[] ahead = SlicePredictor.probabilities(net, slices(volume, area, forward), new int[] { dims[0], dims[1], forward.length }, size, batch,
			given.select(forward), root);
		place(ahead, forward, area, slices, classes, out, 0);
		if (first > 0) {
			final float[] behind = SlicePredictor.probabilities(net, slices(volume, area, backward), new int[] { dims[0], dims[1], backward.length }, size,
				batch, given.select(backward), root);
			// the prompted slice itself comes from the forward pass
			place(behind, backward, area, slices, classes, out, 1);
		}
		return out;
	}

	/** Each slice decoded with the prompts carried to it from the nearest prompted slice (the lower one on ties). */
	private static float[] carried(final Network net, final float[] volume, final int[] dims, final int size, final SlicePrompts given,
		final boolean[] prompted, final NDManager root)
	{
		final int w = dims[0], h = dims[1], area = w * h, slices = dims[2], classes = net.classes(), n = area * slices;
		final int[] source = new int[slices];
		for (int z = 0; z < slices; z++) {
			int best = -1;
			for (int p = 0; p < slices; p++)
				if (prompted[p] && (best < 0 || Math.abs(p - z) < Math.abs(best - z))) best = p;
			source[z] = best;
		}
		final float[] out = new float[n * classes];
		for (int p = 0; p < slices; p++) {
			if (!prompted[p]) continue;
			final SlicePrompts start = given.select(p);
			final float[] at = decode(net, volume, p, w, h, size, start, root);
			place(at, new int[] { p }, area, slices, classes, out, 0);
			for (final int step : new int[] { 1, -1 }) {
				SlicePrompts carriedPrompts = next(at, w, h, classes, start);
				for (int z = p + step; z >= 0 && z < slices && source[z] == p; z += step) {
					final float[] probabilities = decode(net, volume, z, w, h, size, carriedPrompts, root);
					place(probabilities, new int[] { z }, area, slices, classes, out, 0);
					carriedPrompts = next(probabilities, w, h, classes, carriedPrompts);
				}
			}
		}
		return out;
	}

	/** The probabilities (w, h, 1, C) of slice {@code z} decoded with {@code prompts} (one slice, slice coordinates). */
	private static float[] decode(final Network net, final float[] volume, final int z, final int w, final int h, final int size,
		final SlicePrompts prompts, final NDManager root)
	{
		final int area = w * h;
		return SlicePredictor.probabilities(net, Arrays.copyOfRange(volume, z * area, (z + 1) * area), new int[] { w, h, 1 }, size, 1, prompts, root);
	}

	/** The prompts for the neighbour of a decoded slice: the prediction's box and click of each class that {@code previous} prompted. */
	private static SlicePrompts next(final float[] probabilities, final int w, final int h, final int classes, final SlicePrompts previous) {
		final SlicePrompts predicted = SlicePrompts.fromLabels(SlicePredictor.argmax(probabilities, classes), null, 1, w, h, classes);
		final SlicePrompts.Builder out = new SlicePrompts.Builder(1, classes);
		for (int c = 1; c < classes; c++)
			if (previous.has(0, c) && predicted.has(0, c)) out.set(0, c, predicted.box(0, c), predicted.click(0, c));
		return out.build();
	}

	private static int[] range(final int from, final int to, final int step) {
		final int[] out = new int[Math.abs(to - from)];
		for (int i = 0, z = from; i < out.length; i++, z += step)
			out[i] = z;
		return out;
	}

	private static float[] slices(final float[] volume, final int area, final int[] order) {
		final float[] out = new float[order.length * area];
		for (int i = 0; i < order.length; i++)
			System.arraycopy(volume, order[i] * area, out, i * area, area);
		return out;
	}

	/** Copies the probabilities of the slices {@code order[skip..]} of a pass ({X, Y, order.length, C}) into the volume's. */
	private static void place(final float[] pass, final int[] order, final int area, final int slices, final int classes, final float[] out,
		final int skip)
	{
		final int m = order.length * area, n = slices * area;
		for (int i = skip; i < order.length; i++)
			for (int c = 0; c < classes; c++)
				System.arraycopy(pass, c * m + i * area, out, c * n + order[i] * area, area);
	}
}
