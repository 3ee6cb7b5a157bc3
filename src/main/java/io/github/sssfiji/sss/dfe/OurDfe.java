package io.github.sssfiji.sss.dfe;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.nn.Ops;

/**
 * Discriminative Feature Enhancement in our form ({@link DfeForm#OURS}; SSS design, section 3): per
 * feature level, with the weak-view features W (detached) and the strong-view features S,
 * <pre>
 * sim    = cos(W, S) per pixel over channels (L2, eps 1e-6)
 * common = relu(sim) (W + S) / 2,   dis = 1 - sim
 * S'     = S + phi(concat(common, dis * S))
 * phi    = Conv1x1(2C -> C) -> LayerNorm2d -> GELU -> Conv1x1(C -> C)
 * </pre>
 * The last convolution starts at zero, so DFE starts as the identity. By default only the strong
 * branch uses DFE, so only the unlabelled loss trains it; with {@code dfeScope = all} every branch uses it.
 * Tensors are named {@code level<k>.{reduce,norm,out}.*}. With {@code dfeLevels} set, the finer
 * levels have none and pass through unchanged.
 */
final class OurDfe implements Dfe {

	/** Epsilon of the per-pixel L2 normalisation and of the layer norm. */
	public static final float EPS = 1e-6f;

	private final ModelState state;
	/** Whether this DFE's state is its own (closed with it) rather than a scope of its network's. */
	private final boolean owned;
	private final Level[] levels;

	private record Level(Conv2d reduce, NDArray normWeight, NDArray normBias, Conv2d out, int channels) {}

	/** Levels before {@code first} have no DFE ({@code null} in {@link #levels}). */
	private OurDfe(final int[] channels, final int first, final ModelState state, final boolean owned, final long seed) {
		this.state = state;
		this.owned = owned;
		levels = new Level[channels.length];
		final Random random = new Random(seed);
		for (int k = first; k < channels.length; k++) {
			final int c = channels[k];
			final String name = "level" + k;
			final Conv2d reduce = Conv2d.create(state, name + ".reduce", 2 * c, c, 1, random);
			final float[] ones = new float[c];
			java.util.Arrays.fill(ones, 1f);
			final NDArray weight = state.addParameter(name + ".norm.weight", ones, new Shape(c));
			final NDArray bias = state.addParameter(name + ".norm.bias", new float[c], new Shape(c));
			final Conv2d out = Conv2d.create(state, name + ".out", c, c, 1, random);
			state.assign(name + ".out.weight", new float[c * c], new Shape(c, c, 1, 1), "DFE initialisation");
			state.assign(name + ".out.bias", new float[c], new Shape(c), "DFE initialisation");
			levels[k] = new Level(reduce, weight, bias, out, c);
		}
	}

	/** See {@link Dfe#create(DfeForm, int[], int, ModelState, long)}. */
	static OurDfe create(final int[] channels, final int first, final ModelState state, final boolean owned, final long seed) {
		return new OurDfe(channels, first, state, owned, seed);
	}

	@Override
	public DfeForm form() {
		return DfeForm.OURS;
	}

	@Override
	public ModelState state() {
		return state;
	}

	/**
	 * Enhanced strong features, level by level.
	 *
	 * @param weak weak-view features (no gradient needed), same shapes as {@code strong}
	 * @throws IllegalArgumentException if the levels do not match
	 */
	@Override
	public NDList enhance(final NDList weak, final NDList strong) {
		if (weak.size() != levels.length || strong.size() != levels.length)
			throw new IllegalArgumentException("DFE has " + levels.length + " levels, got " + weak.size() + " weak and " + strong.size() + " strong");
		final NDList out = new NDList(levels.length);
		for (int k = 0; k < levels.length; k++)
			out.add(levels[k] == null ? strong.get(k) : enhance(k, weak.get(k), strong.get(k)));
		return out;
	}

	/**
	 * The features of a single view enhanced with themselves as the reference, where no second view
	 * exists (labelled slices, the teacher and prediction with {@code dfeScope = all}). With W = S the
	 * similarity is {@code |S|^2 / (|S|^2 + eps^2)}, 1 wherever {@code |S| >> eps}, so common = S and
	 * {@code dis * S} = 0 (both are also 0 at S = 0): {@code S' = S + phi(concat(S, 0))}. It is computed
	 * in that form, the reduce convolution without its weights for the second half of its input, which
	 * spares the similarity and half the convolution on every labelled slice and prediction.
	 */
	@Override
	public NDList enhanceSelf(final NDList features) {
		if (features.size() != levels.length) throw new IllegalArgumentException("DFE has " + levels.length + " levels, got " + features.size());
		final NDList out = new NDList(levels.length);
		for (int k = 0; k < levels.length; k++) {
			final Level level = levels[k];
			final NDArray s = features.get(k);
			if (level == null) {
				out.add(s);
				continue;
			}
			if (s.getShape().get(1) != level.channels)
				throw new IllegalArgumentException("DFE level " + k + ": features " + s.getShape() + " must have " + level.channels + " channels");
			// a slice of a parameter lands in the parameter's manager: move it to the step's
			final NDArray weight = state.get("level" + k + ".reduce.weight").get(new NDIndex(":, 0:" + level.channels));
			weight.attach(s.getManager());
			out.add(residual(level, Ops.conv2d(s, weight, state.get("level" + k + ".reduce.bias"), 0), s));
		}
		return out;
	}

	private NDArray enhance(final int k, final NDArray w, final NDArray s) {
		final Level level = levels[k];
		if (!w.getShape().equals(s.getShape()) || s.getShape().get(1) != level.channels)
			throw new IllegalArgumentException("DFE level " + k + ": weak " + w.getShape() + " and strong " + s.getShape() +
				" must agree and have " + level.channels + " channels");
		final NDArray similarity = unit(w).mul(unit(s)).sum(new int[] { 1 }, true);
		final NDArray common = Ops.div(w.add(s).mul(Activation.relu(similarity)), 2);
		final NDArray dissimilar = s.mul(similarity.neg().add(1));
		return residual(level, level.reduce.forward(Ops.concatChannels(common, dissimilar)), s);
	}

	/** {@code s + out(gelu(norm(reduced)))}: the part of phi after the reduce convolution, added to the features. */
	private static NDArray residual(final Level level, final NDArray reduced, final NDArray s) {
		return s.add(level.out.forward(Activation.gelu(layerNorm2d(reduced, level))));
	}

	/**
	 * {@code x / sqrt(|x|^2 + eps^2)} per pixel. Not {@code x / max(|x|, eps)}: at a zero vector that
	 * form's backward is 0 / 0 in the square root (NaN), while this one stays finite and differs from
	 * it by less than 1e-12 relative wherever {@code |x| >> eps}.
	 */
	private static NDArray unit(final NDArray x) {
		return x.div(x.square().sum(new int[] { 1 }, true).add((float) (EPS * EPS)).sqrt());
	}

	/** Layer norm over the channels of each pixel, as SAM's {@code LayerNorm2d}. */
	private static NDArray layerNorm2d(final NDArray x, final Level level) {
		final NDManager step = x.getManager();
		final NDArray mean = x.mean(new int[] { 1 }, true);
		final NDArray centred = x.sub(mean);
		final NDArray variance = centred.square().mean(new int[] { 1 }, true);
		// reshapes of parameters land in the parameters' manager: move them to the step's
		final NDArray weight = level.normWeight.reshape(1, level.channels, 1, 1);
		weight.attach(step);
		final NDArray bias = level.normBias.reshape(1, level.channels, 1, 1);
		bias.attach(step);
		return centred.div(variance.add(EPS).sqrt()).mul(weight).add(bias);
	}

	@Override
	public void close() {
		if (owned) state.close();
	}
}
