package io.github.sssfiji.sss.dfe;

import java.util.Arrays;
import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.LayerNorm;
import io.github.sssfiji.nn.Linear;
import io.github.sssfiji.nn.ModelState;

/**
 * DFE in the authors' released form ({@link DfeForm#RELEASED}; SSS design, section 7, after
 * {@code models/dfe.py} of AIGeeksGroup/SSS). Per feature level, with the reference features A
 * (detached) and the strong-view features B, both C x H x W:
 * <pre>
 * A, B   = align(P(A)), align(P(B))      P: Conv1x1(C -> 256), none when C = 256; align: one Conv3x3(256 -> 256)
 * s      = cos(mean_HW(A), mean_HW(B))    one scalar per sample (eps 1e-8)
 * w      = sigmoid(s)
 * fused  = w MLP(A) + (1 - w) MLP(B)      MLP per pixel: Linear 256->512, LN, ReLU, Linear 512->512, LN, ReLU,
 *                                                        Linear 512->256, LN, ReLU, Linear 256->256 (LN eps 1e-5)
 * B'     = Q(fused + (1 - s) (B - A))     Q: Conv1x1(256 -> C), none when C = 256
 * </pre>
 * Q is ours: the released code hands its 256-channel output to SAM-2's decoder, our decoders need the
 * level's own channels back. Every layer starts as PyTorch initialises it (nothing zero-initialised),
 * as in the released code: unlike {@link OurDfe} this form does not start as the identity, and zeroing
 * Q would not make it one (it would hand the decoder zeros). The tensors keep the released module's
 * names, {@code proj_convs.<k>.*}, {@code dfe_modules.<k>.conv_align.*},
 * {@code dfe_modules.<k>.mlp.net.<i>.*} (i = 0, 3, 6, 9 linear, 1, 4, 7 layer norm), and Q is
 * {@code back_convs.<k>.*}, k being the level's index in the network. With {@code dfeLevels} set, the
 * finer levels have none and pass through unchanged.
 */
final class ReleasedDfe implements Dfe {

	/** The width DFE works at (the released {@code out_dim}). */
	static final int WIDTH = 256;
	/** The MLP's hidden width. */
	static final int HIDDEN = 512;
	/** {@code torch.nn.LayerNorm}'s default epsilon, as the released MLP uses. */
	static final float LAYER_NORM_EPS = 1e-5f;
	/** {@code F.cosine_similarity}'s default epsilon. */
	static final float COSINE_EPS = 1e-8f;

	private final ModelState state;
	/** Whether this DFE's state is its own (closed with it) rather than a scope of its network's. */
	private final boolean owned;
	private final Level[] levels;

	/** One level: {@code project} and {@code back} are {@code null} at 256 channels. */
	private record Level(int channels, Conv2d project, Conv2d align, Linear[] linear, LayerNorm[] norm, Conv2d back) {}

	/** Levels before {@code first} have no DFE ({@code null} in {@link #levels}). */
	private ReleasedDfe(final int[] channels, final int first, final ModelState state, final boolean owned, final long seed) {
		this.state = state;
		this.owned = owned;
		levels = new Level[channels.length];
		final Random random = new Random(seed);
		final int[] widths = { WIDTH, HIDDEN, HIDDEN, WIDTH, WIDTH };
		for (int k = first; k < channels.length; k++) {
			final int c = channels[k];
			final Conv2d project = c == WIDTH ? null : Conv2d.create(state, "proj_convs." + k, c, WIDTH, 1, random);
			final String module = "dfe_modules." + k;
			final Conv2d align = Conv2d.create(state, module + ".conv_align", WIDTH, WIDTH, 3, random);
			final Linear[] linear = new Linear[4];
			final LayerNorm[] norm = new LayerNorm[3];
			for (int i = 0; i < 4; i++) {
				linear[i] = Linear.create(state, module + ".mlp.net." + 3 * i, widths[i], widths[i + 1], random);
				if (i < 3) {
					final float[] ones = new float[widths[i + 1]];
					Arrays.fill(ones, 1f);
					final String name = module + ".mlp.net." + (3 * i + 1);
					final Shape shape = new Shape(widths[i + 1]);
					norm[i] = LayerNorm.of(state.addParameter(name + ".weight", ones, shape), state.addParameter(name + ".bias", new float[widths[i + 1]], shape),
						LAYER_NORM_EPS);
				}
			}
			final Conv2d back = c == WIDTH ? null : Conv2d.create(state, "back_convs." + k, WIDTH, c, 1, random);
			levels[k] = new Level(c, project, align, linear, norm, back);
		}
	}

	/** See {@link Dfe#create(DfeForm, int[], int, ModelState, long)}. */
	static ReleasedDfe create(final int[] channels, final int first, final ModelState state, final boolean owned, final long seed) {
		return new ReleasedDfe(channels, first, state, owned, seed);
	}

	@Override
	public DfeForm form() {
		return DfeForm.RELEASED;
	}

	@Override
	public ModelState state() {
		return state;
	}

	@Override
	public NDList enhance(final NDList reference, final NDList strong) {
		if (reference.size() != levels.length || strong.size() != levels.length)
			throw new IllegalArgumentException("DFE has " + levels.length + " levels, got " + reference.size() + " reference and " + strong.size() + " strong");
		final NDList out = new NDList(levels.length);
		for (int k = 0; k < levels.length; k++) {
			final NDArray a = reference.get(k), b = strong.get(k);
			if (levels[k] == null) {
				out.add(b);
				continue;
			}
			check(k, a, b);
			final long n = b.getShape().get(0);
			// both views through the shared layers in one batch: reference first, then strong
			final NDArray aligned = aligned(levels[k], NDArrays.concat(new NDList(a, b), 0));
			final NDArray alignedA = aligned.get(new NDIndex("0:" + n)), alignedB = aligned.get(new NDIndex(n + ":"));
			final NDArray s = similarity(alignedA, alignedB);
			final NDArray mlp = mlp(levels[k], aligned);
			final NDArray w = Activation.sigmoid(s);
			final NDArray fused = w.mul(mlp.get(new NDIndex("0:" + n))).add(w.neg().add(1).mul(mlp.get(new NDIndex(n + ":"))));
			out.add(back(levels[k], fused.add(s.neg().add(1).mul(alignedB.sub(alignedA)))));
		}
		return out;
	}

	/**
	 * With A = B the pooled vectors are the same, s = 1 (up to rounding), w = sigmoid(1), fused = MLP(A)
	 * and the difference term is 0: {@code B' = Q(MLP(align(P(B))))}, computed in that form (one MLP pass,
	 * no similarity).
	 */
	@Override
	public NDList enhanceSelf(final NDList features) {
		if (features.size() != levels.length) throw new IllegalArgumentException("DFE has " + levels.length + " levels, got " + features.size());
		final NDList out = new NDList(levels.length);
		for (int k = 0; k < levels.length; k++) {
			final NDArray x = features.get(k);
			if (levels[k] == null) {
				out.add(x);
				continue;
			}
			check(k, x, x);
			out.add(back(levels[k], mlp(levels[k], aligned(levels[k], x))));
		}
		return out;
	}

	/**
	 * s of level {@code k} for each sample: the cosine similarity of the globally pooled, aligned
	 * features of the two views, shape (N, 1, 1, 1). For tests.
	 */
	NDArray similarity(final int k, final NDArray reference, final NDArray strong) {
		check(k, reference, strong);
		return similarity(aligned(levels[k], reference), aligned(levels[k], strong));
	}

	private void check(final int k, final NDArray a, final NDArray b) {
		if (!a.getShape().equals(b.getShape()) || b.getShape().dimension() != 4 || b.getShape().get(1) != levels[k].channels)
			throw new IllegalArgumentException("DFE level " + k + ": reference " + a.getShape() + " and strong " + b.getShape() +
				" must agree and have " + levels[k].channels + " channels");
	}

	/** {@code align(P(x))}. */
	private static NDArray aligned(final Level level, final NDArray x) {
		return level.align.forward(level.project == null ? x : level.project.forward(x));
	}

	/** {@code cos(mean_HW(a), mean_HW(b))}, (N, 1, 1, 1). */
	private static NDArray similarity(final NDArray a, final NDArray b) {
		final long n = a.getShape().get(0), c = a.getShape().get(1);
		// DJL's PyTorch mean takes one axis
		final NDArray pa = a.reshape(n, c, -1).mean(new int[] { 2 }), pb = b.reshape(n, c, -1).mean(new int[] { 2 });
		return unit(pa).mul(unit(pb)).sum(new int[] { 1 }).reshape(n, 1, 1, 1);
	}

	/**
	 * {@code v / sqrt(|v|^2 + eps^2)} per sample: equal to {@code F.cosine_similarity}'s normalisation to
	 * far below float rounding wherever {@code |v| >> 1e-8}, and with a finite gradient at a zero vector.
	 */
	private static NDArray unit(final NDArray v) {
		return v.div(v.square().sum(new int[] { 1 }, true).add(COSINE_EPS * COSINE_EPS).sqrt());
	}

	/** The MLP on each pixel's 256 channels, NCHW in and out. */
	private static NDArray mlp(final Level level, final NDArray x) {
		NDArray h = x.transpose(0, 2, 3, 1);
		for (int i = 0; i < 4; i++) {
			h = level.linear[i].forward(h);
			if (i < 3) h = Activation.relu(level.norm[i].forward(h));
		}
		return h.transpose(0, 3, 1, 2);
	}

	/** {@code Q(x)}, back to the level's channels. */
	private static NDArray back(final Level level, final NDArray x) {
		return level.back == null ? x : level.back.forward(x);
	}

	@Override
	public void close() {
		if (owned) state.close();
	}
}
