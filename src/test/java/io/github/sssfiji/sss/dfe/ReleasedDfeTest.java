package io.github.sssfiji.sss.dfe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.djl.Engines;

/**
 * {@link ReleasedDfe} against the released formula computed here with plain loops in double precision
 * (SSS design, section 7), its invariants, and its tensors.
 */
class ReleasedDfeTest {

	private static final int N = 2, H = 4, W = 4;

	@Test
	void matchesTheReleasedFormulaComputedByHand() {
		final int[] channels = { 4, 256 };
		try (NDManager root = Engines.pytorch().newBaseManager(); Dfe dfe = Dfe.create(DfeForm.RELEASED, channels, Dfe.ALL_LEVELS, root, 1);
			NDManager step = root.newSubManager())
		{
			randomiseLayerNorms(dfe, 2);
			final Random random = new Random(3);
			for (int k = 0; k < channels.length; k++) {
				final int c = channels[k];
				final float[] a = normal(random, N * c * H * W), b = normal(random, N * c * H * W);
				final NDArray x = step.create(a, new Shape(N, c, H, W)), y = step.create(b, new Shape(N, c, H, W));
				final Hand hand = new Hand(dfe, k, c);
				final double[] alignedA = hand.aligned(a), alignedB = hand.aligned(b);
				final double[] s = hand.similarity(alignedA, alignedB);
				final float[] similarity = ((ReleasedDfe) dfe).similarity(k, x, y).toFloatArray();
				for (int i = 0; i < N; i++) {
					assertEquals(s[i], similarity[i], 1e-6, "level " + k + ", sample " + i + ": s");
					assertTrue(Math.abs(s[i]) < 0.999, "s = " + s[i] + ": the views differ, so w is not sigmoid(1)");
				}
				assertNotEquals(s[0], s[1], 1e-3, "one s per sample");
				final double[] expected = hand.enhance(alignedA, alignedB, s);
				final NDList levels = new NDList(channels.length), strong = new NDList(channels.length);
				for (int j = 0; j < channels.length; j++) {
					levels.add(j == k ? x : step.zeros(new Shape(N, channels[j], H, W)));
					strong.add(j == k ? y : step.zeros(new Shape(N, channels[j], H, W)));
				}
				final NDArray out = dfe.enhance(levels, strong).get(k);
				assertEquals(new Shape(N, c, H, W), out.getShape());
				assertArrayEquals(toFloat(expected), out.toFloatArray(), 1e-5f, "level " + k);
			}
		}
	}

	/**
	 * Identical views: the pooled vectors are the same, so s = 1, w = sigmoid(1), the difference term
	 * vanishes and the output is the MLP of the (aligned) view, brought back to the level's channels;
	 * {@code enhanceSelf} computes that form directly.
	 */
	@Test
	void identicalViewsGiveSimilarityOneAndTheMlpOfTheView() {
		final int[] channels = { 4, 256 };
		try (NDManager root = Engines.pytorch().newBaseManager(); Dfe dfe = Dfe.create(DfeForm.RELEASED, channels, Dfe.ALL_LEVELS, root, 1);
			NDManager step = root.newSubManager())
		{
			randomiseLayerNorms(dfe, 4);
			final Random random = new Random(5);
			final float[][] values = { normal(random, N * 4 * H * W), normal(random, N * 256 * H * W) };
			final NDList features = new NDList(step.create(values[0], new Shape(N, 4, H, W)), step.create(values[1], new Shape(N, 256, H, W)));
			final NDList general = dfe.enhance(features, features), self = dfe.enhanceSelf(features);
			for (int k = 0; k < channels.length; k++) {
				for (final float s : ((ReleasedDfe) dfe).similarity(k, features.get(k), features.get(k)).toFloatArray())
					assertEquals(1, s, 1e-6);
				final Hand hand = new Hand(dfe, k, channels[k]);
				final float[] mlp = toFloat(hand.back(hand.mlp(hand.aligned(values[k]))));
				assertArrayEquals(mlp, general.get(k).toFloatArray(), 1e-5f, "level " + k + ": enhance(X, X)");
				assertArrayEquals(mlp, self.get(k).toFloatArray(), 1e-5f, "level " + k + ": enhanceSelf(X)");
				assertFalse(java.util.Arrays.equals(values[k], self.get(k).toFloatArray()), "not the identity");
			}
		}
	}

	/** The released module's names, a 1x1 projection to 256 channels and back only where a level has other than 256, and seeded draws. */
	@Test
	void hasTheReleasedTensorsAndProjectsOnlyLevelsNotAt256Channels() {
		try (NDManager root = Engines.pytorch().newBaseManager(); Dfe dfe = Dfe.create(DfeForm.RELEASED, new int[] { 16, 256 }, Dfe.ALL_LEVELS, root, 1);
			Dfe same = Dfe.create(DfeForm.RELEASED, new int[] { 16, 256 }, Dfe.ALL_LEVELS, root, 1); Dfe other = Dfe.create(DfeForm.RELEASED, new int[] { 16, 256 }, Dfe.ALL_LEVELS, root, 2))
		{
			assertEquals(DfeForm.RELEASED, dfe.form());
			final Map<String, NDArray> p = dfe.state().parameters();
			final Set<String> expected = new TreeSet<>();
			for (final String module : new String[] { "proj_convs.0", "back_convs.0", "dfe_modules.0.conv_align", "dfe_modules.1.conv_align" })
				for (final String t : new String[] { ".weight", ".bias" })
					expected.add(module + t);
			for (int k = 0; k < 2; k++)
				for (final int i : new int[] { 0, 1, 3, 4, 6, 7, 9 })
					for (final String t : new String[] { ".weight", ".bias" })
						expected.add("dfe_modules." + k + ".mlp.net." + i + t);
			assertEquals(expected, new TreeSet<>(p.keySet()));
			assertTrue(dfe.state().buffers().isEmpty());
			assertEquals(new Shape(256, 16, 1, 1), p.get("proj_convs.0.weight").getShape());
			assertEquals(new Shape(16, 256, 1, 1), p.get("back_convs.0.weight").getShape());
			assertEquals(new Shape(256, 256, 3, 3), p.get("dfe_modules.1.conv_align.weight").getShape());
			assertEquals(new Shape(512, 256), p.get("dfe_modules.1.mlp.net.0.weight").getShape());
			assertEquals(new Shape(512, 512), p.get("dfe_modules.1.mlp.net.3.weight").getShape());
			assertEquals(new Shape(256, 512), p.get("dfe_modules.1.mlp.net.6.weight").getShape());
			assertEquals(new Shape(256, 256), p.get("dfe_modules.1.mlp.net.9.weight").getShape());
			assertEquals(new Shape(512), p.get("dfe_modules.1.mlp.net.4.bias").getShape());
			assertEquals(new Shape(256), p.get("dfe_modules.1.mlp.net.7.weight").getShape());
			for (final String name : p.keySet()) {
				assertArrayEquals(p.get(name).toFloatArray(), same.state().get(name).toFloatArray(), 0f, name);
				if (!name.contains("mlp.net.1") && !name.contains("mlp.net.4") && !name.contains("mlp.net.7"))
					assertFalse(java.util.Arrays.equals(p.get(name).toFloatArray(), other.state().get(name).toFloatArray()), name);
			}
		}
	}

	/** On the deepest levels only ({@code dfeLevels}), the finer levels have no tensors and pass through unchanged, in either form. */
	@Test
	void deepestLevelsOnlyPassTheFinerLevelsThrough() {
		try (NDManager root = Engines.pytorch().newBaseManager(); NDManager step = root.newSubManager()) {
			step.getEngine().setRandomSeed(7);
			final NDList a = new NDList(step.randomNormal(new Shape(N, 4, 8, 8)), step.randomNormal(new Shape(N, 8, H, W)));
			final NDList b = new NDList(step.randomNormal(new Shape(N, 4, 8, 8)), step.randomNormal(new Shape(N, 8, H, W)));
			for (final DfeForm form : DfeForm.values())
				try (Dfe dfe = Dfe.create(form, new int[] { 4, 8 }, 1, root, 1)) {
					assertTrue(dfe.state().parameters().keySet().stream().allMatch(n -> n.startsWith("level1.") || n.matches("[a-z_]+\\.1\\..*")), form + ": " + dfe.state().parameters().keySet());
					for (final NDList out : new NDList[] { dfe.enhance(a, b), dfe.enhanceSelf(b) })
						assertArrayEquals(b.get(0).toFloatArray(), out.get(0).toFloatArray(), 0f, form.key());
					if (form == DfeForm.RELEASED)
						assertFalse(java.util.Arrays.equals(b.get(1).toFloatArray(), dfe.enhance(a, b).get(1).toFloatArray()), "the deepest level is enhanced");
				}
			assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
				() -> Dfe.create(DfeForm.RELEASED, new int[] { 4, 8 }, 3, root, 1)).getMessage().contains("3"));
		}
	}

	/** Layer-norm weights and biases start at 1 and 0; random ones show that each reaches the right place. */
	private static void randomiseLayerNorms(final Dfe dfe, final long seed) {
		final Random random = new Random(seed);
		dfe.state().parameters().forEach((name, array) -> {
			if (array.getShape().dimension() == 1 && name.matches(".*mlp\\.net\\.[147]\\..*")) {
				final float[] v = new float[(int) array.size()];
				for (int i = 0; i < v.length; i++)
					v[i] = (float) (name.endsWith("weight") ? 1 + 0.3 * random.nextGaussian() : 0.3 * random.nextGaussian());
				array.set(v);
			}
		});
	}

	private static float[] normal(final Random random, final int count) {
		final float[] v = new float[count];
		for (int i = 0; i < v.length; i++)
			v[i] = (float) random.nextGaussian();
		return v;
	}

	private static float[] toFloat(final double[] values) {
		final float[] out = new float[values.length];
		for (int i = 0; i < out.length; i++)
			out[i] = (float) values[i];
		return out;
	}

	/** The released formula with loops over NCHW arrays, from the DFE's tensors. */
	private static final class Hand {

		final int c, k;
		final Dfe dfe;
		final Map<String, float[]> tensors = new java.util.HashMap<>();

		Hand(final Dfe dfe, final int k, final int c) {
			this.dfe = dfe;
			this.k = k;
			this.c = c;
		}

		float[] t(final String name) {
			return tensors.computeIfAbsent(name, n -> dfe.state().get(n).toFloatArray());
		}

		/** align(P(x)) (P: 1x1 conv to 256 unless c = 256; align: 3x3 conv, zero padding 1), N x 256 x H x W. */
		double[] aligned(final float[] x) {
			double[] in = new double[x.length];
			for (int i = 0; i < x.length; i++)
				in[i] = x[i];
			if (c != 256) in = conv(in, c, 256, 1, t("proj_convs." + k + ".weight"), t("proj_convs." + k + ".bias"));
			final String align = "dfe_modules." + k + ".conv_align";
			return conv(in, 256, 256, 3, t(align + ".weight"), t(align + ".bias"));
		}

		/** cos of the pooled vectors, per sample. */
		double[] similarity(final double[] a, final double[] b) {
			final double[] s = new double[N];
			for (int n = 0; n < N; n++) {
				double dot = 0, na = 0, nb = 0;
				for (int ch = 0; ch < 256; ch++) {
					double pa = 0, pb = 0;
					for (int p = 0; p < H * W; p++) {
						pa += a[(n * 256 + ch) * H * W + p];
						pb += b[(n * 256 + ch) * H * W + p];
					}
					pa /= H * W;
					pb /= H * W;
					dot += pa * pb;
					na += pa * pa;
					nb += pb * pb;
				}
				s[n] = dot / Math.sqrt(na * nb);
			}
			return s;
		}

		/** Q(w MLP(A) + (1 - w) MLP(B) + (1 - s)(B - A)), w = sigmoid(s). */
		double[] enhance(final double[] a, final double[] b, final double[] s) {
			final double[] ma = mlp(a), mb = mlp(b), out = new double[a.length];
			for (int n = 0; n < N; n++) {
				final double w = 1 / (1 + Math.exp(-s[n]));
				for (int i = n * 256 * H * W; i < (n + 1) * 256 * H * W; i++)
					out[i] = w * ma[i] + (1 - w) * mb[i] + (1 - s[n]) * (b[i] - a[i]);
			}
			return back(out);
		}

		/** Q: 1x1 conv back to c channels unless c = 256. */
		double[] back(final double[] x) {
			return c == 256 ? x : conv(x, 256, c, 1, t("back_convs." + k + ".weight"), t("back_convs." + k + ".bias"));
		}

		/** The MLP on each pixel's 256 channels. */
		double[] mlp(final double[] x) {
			final String net = "dfe_modules." + k + ".mlp.net.";
			final int[] widths = { 256, 512, 512, 256, 256 };
			final double[] out = new double[x.length];
			for (int n = 0; n < N; n++)
				for (int p = 0; p < H * W; p++) {
					double[] h = new double[256];
					for (int ch = 0; ch < 256; ch++)
						h[ch] = x[(n * 256 + ch) * H * W + p];
					for (int i = 0; i < 4; i++) {
						final float[] weight = t(net + 3 * i + ".weight"), bias = t(net + 3 * i + ".bias");
						final double[] y = new double[widths[i + 1]];
						for (int o = 0; o < y.length; o++) {
							double sum = bias[o];
							for (int j = 0; j < widths[i]; j++)
								sum += weight[o * widths[i] + j] * h[j];
							y[o] = sum;
						}
						if (i < 3) {
							final float[] g = t(net + (3 * i + 1) + ".weight"), beta = t(net + (3 * i + 1) + ".bias");
							double mean = 0, variance = 0;
							for (final double v : y)
								mean += v;
							mean /= y.length;
							for (final double v : y)
								variance += (v - mean) * (v - mean);
							variance /= y.length;
							for (int o = 0; o < y.length; o++)
								y[o] = Math.max(0, (y[o] - mean) / Math.sqrt(variance + 1e-5) * g[o] + beta[o]);
						}
						h = y;
					}
					for (int ch = 0; ch < 256; ch++)
						out[(n * 256 + ch) * H * W + p] = h[ch];
				}
			return out;
		}

		/** A convolution with a square odd kernel, stride 1, zero padding kernel / 2, N x in x H x W -> N x out x H x W. */
		static double[] conv(final double[] x, final int in, final int outChannels, final int kernel, final float[] weight, final float[] bias) {
			final double[] out = new double[N * outChannels * H * W];
			final int r = kernel / 2;
			for (int n = 0; n < N; n++)
				for (int o = 0; o < outChannels; o++)
					for (int yy = 0; yy < H; yy++)
						for (int xx = 0; xx < W; xx++) {
							double sum = bias[o];
							for (int i = 0; i < in; i++)
								for (int dy = -r; dy <= r; dy++)
									for (int dx = -r; dx <= r; dx++) {
										final int sy = yy + dy, sx = xx + dx;
										if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
										sum += weight[((o * in + i) * kernel + dy + r) * kernel + dx + r] * x[((n * in + i) * H + sy) * W + sx];
									}
							out[((n * outChannels + o) * H + yy) * W + xx] = sum;
						}
			return out;
		}
	}
}
