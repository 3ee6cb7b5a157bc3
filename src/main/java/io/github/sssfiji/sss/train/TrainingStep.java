package io.github.sssfiji.sss.train;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import io.github.sssfiji.model.unet.FeaturePerturbation;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.nn.Ops;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.augment.CutMixBox;
import io.github.sssfiji.sss.augment.Rng;
import io.github.sssfiji.sss.dfe.Dfe;
import io.github.sssfiji.sss.dfe.DfeReference;
import io.github.sssfiji.sss.loss.CeDiceLoss;

/**
 * One SSS training iteration (SSS design, section 2) on a {@link Batch}:
 * <ol>
 * <li>labelled loss {@code L_l = (CE + Dice) / 2} on the weakly augmented labelled slices;</li>
 * <li>the EMA teacher (evaluation mode, no gradient) predicts the weak views: pseudo-labels,
 * confidences and its multi-scale features;</li>
 * <li>the student encodes labelled and both strong views in one pass; with DFE each strong view's
 * features are enhanced with the other strong view's features (detached; {@code dfeReference =
 * strong}, the default) or with the teacher's weak-view features, CutMixed with the view's boxes
 * ({@code weak});
 * complementary channel dropout (UniMatch V2) perturbs the two strong views' deepest features;
 * one decoder pass gives all logits; with {@code dfeScope = all} ({@link io.github.sssfiji.sss.DfeNetwork}) the labelled
 * slices' features, and the teacher's, are enhanced with themselves as the reference;</li>
 * <li>{@code L_u} = mean over the two views of {@code (CE + Dice) / 2} against the CutMixed
 * pseudo-labels, weighted by {@code confidence >= tau}, PCSW-rejected and padding pixels ignored;
 * {@code L = (L_l + w L_u) / (1 + w)} with the ramp-up weight w of {@link Schedule} (the design's
 * {@code (L_l + L_u) / 2} once w = 1, and the supervised loss while w = 0);</li>
 * <li>if the loss and every gradient are finite: optimiser update, then EMA update of the teacher
 * (parameters and buffers); otherwise the step is skipped and reported, and the batch-norm
 * statistics the forward pass changed are restored.</li>
 * </ol>
 * With {@code sequenceLength} above 1 the labelled slices are runs of consecutive slices of a volume
 * ({@link BatchSampler}), decoded in order with SAM-2's memory ({@link Network#decodeSequences});
 * the strong views and the teacher's weak views stay independent slices.
 * A network that reads prompts (SAM-2, the promptable U-Net) gets them for the student's batch (see
 * {@code prompts}); its teacher reads the PCSW prompts carried into the weak views when the
 * pseudo-labels are prompted ({@link PseudoLabels}), none otherwise, and with imported weights both encode the
 * unlabelled samples with the frozen pretrained encoder ({@link Network#encode(NDArray, int, boolean)}).
 * Every array of the step lives in a sub-manager closed at the end of the step. Randomness: the
 * torch generator (encoder dropout) is reseeded from (seed, iteration), the dropout masks come from
 * {@link Rng#forIteration}.
 */
public final class TrainingStep {

	static final int STREAM_FEATURES = 3, STREAM_PROMPTS = 4;

	private final TrainingConfig config;
	private final Network student;
	private final Network teacher;
	/** The student's DFE, or {@code null} for a student without. */
	private final Dfe dfe;
	private final Optimizer optimizer;

	/**
	 * @param student the network trained, with its DFE when DFE is on ({@link Network#dfe()})
	 * @param teacher the EMA teacher, or {@code null} in supervised mode
	 */
	public TrainingStep(final TrainingConfig config, final Network student, final Network teacher, final Optimizer optimizer) {
		this.config = config;
		this.student = student;
		this.teacher = teacher;
		this.dfe = student.dfe();
		this.optimizer = optimizer;
	}

	/**
	 * Runs iteration {@code t} on {@code batch} with learning rate {@code lr} and unlabelled-loss weight
	 * {@code unlabelledWeight} (see {@link Schedule}); a batch without an unlabelled part is a
	 * supervised step.
	 */
	public StepResult run(final Batch batch, final long t, final double lr, final double unlabelledWeight, final NDManager root) {
		final long start = System.nanoTime();
		final Engine engine = root.getEngine();
		engine.setRandomSeed((int) (Rng.forIteration(config.run().seed(), t, 0).nextLong() & 0x7fffffff));
		final int s = batch.size(), nl = batch.labelledCount(), nu = batch.unlabelledCount();
		try (NDManager step = root.newSubManager()) {
			final NDArray xl = step.create(batch.labelledImages(), new Shape(nl, 1, s, s));
			final NDArray yl = step.create(batch.labels(), new Shape(nl, s, s));
			NDList weakFeatures = null;
			UnlabelledTargets t1 = null, t2 = null;
			NDArray xs = null;
			double confident = Double.NaN;
			if (batch.hasUnlabelled()) {
				final NDArray xw = step.create(batch.weakImages(), new Shape(nu, 1, s, s));
				weakFeatures = teacher.encode(xw, 0, false);
				// prompted pseudo-labels: the teacher reads the PCSW prompts carried into each weak view
				final NDArray probabilities = teacher.decode(weakFeatures, batch.weakPrompts(), false).softmax(1);
				final float[] confidence = probabilities.max(new int[] { 1 }).toFloatArray();
				final long[] argmax = probabilities.argMax(1).toLongArray();
				final int[] pseudo = new int[argmax.length];
				for (int i = 0; i < pseudo.length; i++)
					pseudo[i] = (int) argmax[i];
				if (batch.propagatedSlices() != null)
					// propagated pseudo-labels, where the latest refresh gave the slice some
					for (int i = 0, area = s * s; i < nu; i++)
						if (batch.propagatedSlices()[i]) {
							System.arraycopy(batch.propagatedLabels(), i * area, pseudo, i * area, area);
							System.arraycopy(batch.propagatedConfidence(), i * area, confidence, i * area, area);
						}
				t1 = UnlabelledTargets.build(pseudo, confidence, batch.ignore(), batch.boxes1(), s, config.consistency().confidenceThreshold());
				t2 = UnlabelledTargets.build(pseudo, confidence, batch.ignore(), batch.boxes2(), s, config.consistency().confidenceThreshold());
				confident = fraction(t1);
				xs = NDArrays.concat(new NDList(xl, step.create(batch.strong1(), new Shape(nu, 1, s, s)),
					step.create(batch.strong2(), new Shape(nu, 1, s, s))), 0);
			}
			// the forward pass updates batch-norm statistics in place: keep them to undo a non-finite step
			final Map<String, float[]> buffers = new LinkedHashMap<>();
			student.state().buffers().forEach((name, array) -> buffers.put(name, array.toFloatArray()));
			student.state().zeroGradients();
			final NDArray loss, labelledLoss, unlabelledLoss;
			try (GradientCollector collector = engine.newGradientCollector()) {
				if (!batch.hasUnlabelled()) {
					labelledLoss = CeDiceLoss.of(decodeLabelled(student.encode(xl, nl, true), prompts(batch, t)), yl);
					unlabelledLoss = null;
					loss = labelledLoss;
				}
				else {
					final NDList features = student.encoderFeatures(xs, nl, true);
					// the labelled slices as the student's encode gives them (DFE-enhanced with themselves when its DFE acts in every branch)
					final NDList labelled = student.selfEnhanced(slice(features, 0, nl));
					NDList strong1 = slice(features, nl, nl + nu), strong2 = slice(features, nl + nu, nl + 2 * nu);
					if (dfe != null) {
						final boolean weak = config.method().dfeReference() == DfeReference.WEAK;
						final NDList reference1 = weak ? mixFeatures(weakFeatures, batch.boxes1(), s, step) : detached(strong2);
						final NDList reference2 = weak ? mixFeatures(weakFeatures, batch.boxes2(), s, step) : detached(strong1);
						strong1 = dfe.enhance(reference1, strong1);
						strong2 = dfe.enhance(reference2, strong2);
					}
					final int deepest = features.size() - 1;
					final NDList masks = FeaturePerturbation.complementaryMasks(step, nu, (int) features.get(deepest).getShape().get(1),
						Rng.forIteration(config.run().seed(), t, STREAM_FEATURES));
					strong1 = FeaturePerturbation.withDeepestMasked(strong1, masks.get(0));
					strong2 = FeaturePerturbation.withDeepestMasked(strong2, masks.get(1));
					final SlicePrompts prompts = prompts(batch, t);
					final NDArray labelledLogits, strongLogits;
					if (config.sam2().sequenceLength() == 1) {
						// one decoder pass for the labelled slices and both views
						final NDList all = new NDList(features.size());
						for (int k = 0; k < features.size(); k++)
							all.add(NDArrays.concat(new NDList(labelled.get(k), strong1.get(k), strong2.get(k)), 0));
						final NDArray logits = student.decode(all, prompts, true);
						labelledLogits = logits.get(new NDIndex("0:" + nl));
						strongLogits = logits.get(new NDIndex(nl + ":"));
					}
					else {
						final NDList views = new NDList(features.size());
						for (int k = 0; k < features.size(); k++)
							views.add(NDArrays.concat(new NDList(strong1.get(k), strong2.get(k)), 0));
						labelledLogits = decodeLabelled(labelled, prompts == null ? null : prompts.select(range(0, nl)));
						strongLogits = student.decode(views, prompts == null ? null : prompts.select(range(nl, nl + 2 * nu)), true);
					}
					labelledLoss = CeDiceLoss.of(labelledLogits, yl);
					final NDArray l1 = unlabelledLoss(strongLogits.get(new NDIndex("0:" + nu)), t1, step, nu, s);
					final NDArray l2 = unlabelledLoss(strongLogits.get(new NDIndex(nu + ":")), t2, step, nu, s);
					unlabelledLoss = Ops.div(l1.add(l2), 2);
					loss = Ops.div(labelledLoss.add(Ops.mul(unlabelledLoss, (float) unlabelledWeight)), (float) (1 + unlabelledWeight));
				}
				collector.backward(loss);
			}
			final double total = loss.getFloat(), ll = labelledLoss.getFloat(), lu = unlabelledLoss == null ? Double.NaN : unlabelledLoss.getFloat();
			// a finite loss can still give non-finite gradients (the cause seen so far, DJL freeing the scalar of
			// mul(Number) before backward, is gone: Ops.mul); one such update would ruin every weight
			String skipReason = Double.isFinite(total) ? null : "the loss is " + total;
			if (skipReason == null) skipReason = nonFiniteGradient(student.state(), "");
			final boolean finite = skipReason == null;
			if (finite) {
				optimizer.step(lr);
				if (teacher != null) Ema.update(teacher.state(), student.state(), Ema.momentum(t, config.consistency().emaMax(), config.consistency().emaWarmup()));
			}
			else buffers.forEach((name, values) -> student.state().buffers().get(name).set(values));
			return new StepResult(t, total, ll, lu, batch.hasUnlabelled() ? unlabelledWeight : 0, lr, confident, skipReason, (System.nanoTime() - start) / 1e9);
		}
	}

	/**
	 * The student's logits of the labelled slices: runs of {@code sequenceLength} slices decoded in
	 * order with memory (SSS design, section 4); a backbone without memory decodes them one by one.
	 */
	private NDArray decodeLabelled(final NDList features, final SlicePrompts prompts) {
		return student.decodeSequences(features, config.sam2().sequenceLength(), prompts, true);
	}

	private static int[] range(final int from, final int to) {
		final int[] out = new int[to - from];
		for (int i = 0; i < out.length; i++)
			out[i] = from + i;
		return out;
	}

	/**
	 * The prompts of the student's batch (labelled slices, then the two strong views), or
	 * {@code null} for a network without prompts. Labelled slices: box and farthest interior click
	 * of each class of the augmented label map, each box side moved at random by up to
	 * {@code promptJitter} of its extent (PCSW's boxes err like that). Strong views: with prompted
	 * pseudo-labels the PCSW prompts carried through the weak view's geometry and the view's CutMix
	 * ({@link Batch#strongPrompts1()}), never prompts computed from the view's target; otherwise
	 * none. Each prompt is kept with probability {@code promptProbability}, so that the decoder
	 * also learns to segment without prompts, as it must at prediction time. In labelled runs
	 * decoded with memory only every {@code promptFrequency}-th slice has prompts.
	 */
	SlicePrompts prompts(final Batch batch, final long t) {
		if (!student.usesPrompts()) return null;
		final int s = batch.size(), classes = student.classes(), nu = batch.unlabelledCount();
		final Rng random = Rng.forIteration(config.run().seed(), t, STREAM_PROMPTS);
		SlicePrompts prompts = SlicePrompts.fromLabels(batch.labels(), null, batch.labelledCount(), s, classes)
			.jittered(config.prompting().promptJitter(), s, random);
		if (batch.hasUnlabelled()) {
			final boolean carried = batch.strongPrompts1() != null;
			prompts = SlicePrompts.concat(prompts, carried ? batch.strongPrompts1() : SlicePrompts.none(nu, classes),
				carried ? batch.strongPrompts2() : SlicePrompts.none(nu, classes));
		}
		if (config.sam2().sequenceLength() > 1) {
			final int labelled = batch.labelledCount();
			prompts = prompts.keepSlices(i -> i >= labelled || i % config.sam2().sequenceLength() % config.prompting().promptFrequency() == 0);
		}
		return prompts.keep(config.prompting().promptProbability(), random);
	}

	/**
	 * {@code null} when every gradient of {@code state} is finite, otherwise which parameters' are not
	 * (one sum per parameter: NaN and infinities propagate into it): how many, and the first and last
	 * in registration order with their NaN and infinite counts, names prefixed with {@code owner}.
	 * Whether only the last layers or the whole backward pass broke tells where a NaN started.
	 */
	static String nonFiniteGradient(final ModelState state, final String owner) {
		String first = null, last = null;
		int broken = 0;
		for (final Map.Entry<String, NDArray> parameter : state.parameters().entrySet()) {
			if (!parameter.getValue().hasGradient()) continue;
			// getGradient gives a new handle in the parameter's manager: close it with the sums
			try (NDArray gradient = parameter.getValue().getGradient(); NDArray sum = gradient.sum()) {
				if (Float.isFinite(sum.getFloat())) continue;
				try (NDArray nan = gradient.isNaN(); NDArray nanCount = nan.sum(); NDArray inf = gradient.isInfinite(); NDArray infCount = inf.sum()) {
					last = owner + parameter.getKey() + " " + gradient.getShape() + " (" + nanCount.getLong() + " NaN, " + infCount.getLong() + " infinite values)";
				}
				if (first == null) first = last;
				broken++;
			}
		}
		if (broken == 0) return null;
		return "the gradients of " + broken + " of " + state.parameters().size() + " " + owner + "parameters are not finite, first " + first
			+ (broken > 1 ? ", last " + last : "");
	}

	/** {@code (CE + Dice) / 2} of one strong view against its targets. */
	static NDArray unlabelledLoss(final NDArray logits, final UnlabelledTargets targets, final NDManager step, final int count, final int size) {
		final Shape shape = new Shape(count, size, size);
		return CeDiceLoss.of(logits, step.create(targets.labels(), shape), step.create(targets.weights(), shape));
	}

	/**
	 * The weak-view features with each sample's CutMix box filled from sample {@link Batch#mixSource},
	 * so that DFE compares each strong view with the weak view of the same content.
	 */
	static NDList mixFeatures(final NDList features, final CutMixBox[] boxes, final int size, final NDManager step) {
		final NDList mixed = new NDList(features.size());
		for (final NDArray level : features) {
			final Shape shape = level.getShape();
			final int n = (int) shape.get(0), side = (int) shape.get(2), factor = size / side;
			final float[] mask = new float[n * side * side];
			for (int i = 0; i < n; i++)
				System.arraycopy(boxes[i].mask(size, factor), 0, mask, i * side * side, side * side);
			final NDArray m = step.create(mask, new Shape(n, 1, side, shape.get(3)));
			mixed.add(level.mul(m.neg().add(1)).add(level.flip(0).mul(m)));
		}
		return mixed;
	}

	private static NDList detached(final NDList features) {
		final NDList out = new NDList(features.size());
		for (final NDArray level : features)
			out.add(level.stopGradient());
		return out;
	}

	private static NDList slice(final NDList features, final int from, final int to) {
		final NDList out = new NDList(features.size());
		for (final NDArray level : features)
			out.add(level.get(new NDIndex(from + ":" + to)));
		return out;
	}

	private static double fraction(final UnlabelledTargets targets) {
		long used = 0;
		for (int i = 0; i < targets.weights().length; i++)
			if (targets.weights()[i] > 0 && targets.labels()[i] != UnlabelledTargets.IGNORE) used++;
		return used / (double) targets.weights().length;
	}
}
