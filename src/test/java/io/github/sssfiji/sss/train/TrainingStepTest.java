package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.nn.Ops;
import io.github.sssfiji.sss.DfeNetwork;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.Sam2Network;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.augment.Rng;
import io.github.sssfiji.sss.dfe.Dfe;
import io.github.sssfiji.sss.dfe.DfeForm;
import io.github.sssfiji.sss.dfe.DfeScope;

class TrainingStepTest {

	private static final UNetConfig SMALL = new UNetConfig(1, 3, new int[] { 4, 8, 8, 16, 16 }, new double[] { 0, 0, 0, 0, 0 });

	/** Random-blob slices with labels, enough for the sampler (also for {@link Sam2PretrainedStepIT}). */
	static TrainingData data() {
		final Rng rng = new Rng(9);
		final List<TrainingSlice> labelled = new ArrayList<>(), unlabelled = new ArrayList<>();
		for (int k = 0; k < 4; k++) {
			final float[] image = new float[40 * 36];
			final int[] labels = new int[image.length];
			for (int i = 0; i < image.length; i++) {
				labels[i] = (i % 40) / 14;
				image[i] = labels[i] * 0.3f + 0.1f * rng.nextFloat();
			}
			labelled.add(new TrainingSlice("l" + k, image, labels, 40, 36));
			unlabelled.add(new TrainingSlice("u" + k, image.clone(), null, 40, 36));
		}
		return new TrainingData(List.of("background", "a", "b"), labelled, List.of(unlabelled), List.of());
	}

	/** A skipped step says which parameter's gradient broke, so that an intermittent failure can be traced. */
	@Test
	void nonFiniteGradientNamesTheParameter() {
		try (NDManager root = Engines.pytorch().newBaseManager(); Network student = UNetNetwork.create(SMALL, root, 1)) {
			final Map<String, NDArray> parameters = student.state().parameters();
			final String broken = parameters.keySet().stream().skip(3).findFirst().orElseThrow();
			try (ai.djl.training.GradientCollector collector = Engines.pytorch().newGradientCollector(); NDManager step = root.newSubManager()) {
				NDArray loss = step.zeros(new ai.djl.ndarray.types.Shape(1));
				for (final Map.Entry<String, NDArray> p : parameters.entrySet())
					// Ops.mul: DJL's mul(Number) lets the scalar that backward reads be freed (docs/engineering-notes.md)
					loss = loss.add(Ops.mul(p.getValue().sum(), p.getKey().equals(broken) ? Float.NaN : 1f));
				collector.backward(loss);
			}
			final String reason = TrainingStep.nonFiniteGradient(student.state(), "");
			assertTrue(reason != null && reason.contains("1 of " + parameters.size()) && reason.contains(broken + " ")
				&& reason.contains(parameters.get(broken).size() + " NaN") && !reason.contains("last"), reason);
			student.state().zeroGradients();
			assertEquals(null, TrainingStep.nonFiniteGradient(student.state(), ""));
		}
	}

	/** DFE sits on the strong branch only, so a gradient reaching it comes from the unlabelled loss, whichever view it compares with. */
	@Test
	void dfeIsTrainedByTheUnlabelledLoss() {
		dfeIsTrainedByTheUnlabelledLoss("weak");
		dfeIsTrainedByTheUnlabelledLoss("strong");
	}

	private static void dfeIsTrainedByTheUnlabelledLoss(final String reference) {
		final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 2).with("confidenceThreshold", 0).with("iterations", 10)
			.with("dfeReference", reference);
		try (NDManager root = Engines.pytorch().newBaseManager();
			DfeNetwork student = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.STRONG, 2);
			Network teacher = student.newInstance(root, 1))
		{
			Ema.copy(student.state(), teacher.state());
			final Dfe dfe = student.dfe();
			final int studentOwned = student.inner().state().manager().getManagedArrays().size();
			final int teacherOwned = teacher.state().manager().getManagedArrays().size();
			final int dfeOwned = dfe.state().manager().getManagedArrays().size();
			try (Optimizer optimizer = new Optimizer(Optimizer.Kind.SGD, 0.9, 1e-4, prefixed(student), root)) {
				final TrainingStep step = new TrainingStep(config, student, teacher, optimizer);
				final StepResult r = step.run(new BatchSampler(config, data()).sample(0, true), 0, config.optimisation().lr(), 1, root);
				assertFalse(r.skipped());
				assertTrue(r.unlabelledLoss() > 0);
				assertEquals(1, r.confidentFraction(), 0.5);
				assertEquals((r.labelledLoss() + r.unlabelledLoss()) / 2, r.loss(), 1e-6);
				// the step's arrays are gone: the models' managers hold only their tensors
				assertEquals(studentOwned, student.inner().state().manager().getManagedArrays().size());
				assertEquals(teacherOwned, teacher.state().manager().getManagedArrays().size());
				assertEquals(dfeOwned, dfe.state().manager().getManagedArrays().size());
				for (int k = 0; k < 5; k++)
					assertTrue(max(dfe.state().get("level" + k + ".out.weight").toFloatArray()) > 0, "level " + k + " moved from zero");
			}
		}
	}

	/**
	 * The released form on the strong branch: one step gives every one of its tensors a gradient (the
	 * labelled slices do not pass through it, so that gradient is the unlabelled loss's), and the step
	 * leaves no array behind. The trainer builds the student of {@code dfeForm = released} with it on its deepest levels.
	 */
	@Test
	void releasedDfeIsTrainedInEveryTensorByTheUnlabelledLoss() {
		final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 2).with("confidenceThreshold", 0).with("iterations", 10)
			.with("dfeForm", "released");
		try (NDManager root = Engines.pytorch().newBaseManager();
			DfeNetwork student = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.STRONG, DfeForm.RELEASED, Dfe.ALL_LEVELS, 2);
			Network teacher = student.newInstance(root, 1);
			Network built = Trainer.newStudent(config, 3, root))
		{
			assertEquals(DfeForm.RELEASED, ((DfeNetwork) built).form());
			assertEquals(TrainingConfig.RELEASED_DFE_LEVELS, ((DfeNetwork) built).levels());
			Ema.copy(student.state(), teacher.state());
			final int studentOwned = student.inner().state().manager().getManagedArrays().size();
			try (Optimizer optimizer = new Optimizer(Optimizer.Kind.ADAMW, 0.9, 0.01, prefixed(student), root)) {
				final StepResult r = new TrainingStep(config, student, teacher, optimizer).run(new BatchSampler(config, data()).sample(0, true), 0, 1e-3, 1, root);
				assertFalse(r.skipped());
				assertTrue(r.unlabelledLoss() > 0);
				assertEquals(studentOwned, student.inner().state().manager().getManagedArrays().size());
				int tensors = 0;
				for (final Map.Entry<String, NDArray> p : student.state().parameters().entrySet())
					if (p.getKey().startsWith(DfeNetwork.PREFIX)) {
						tensors++;
						try (NDArray g = p.getValue().getGradient().abs().sum()) {
							assertTrue(g.getFloat() > 0, p.getKey() + " gets a gradient");
						}
					}
				// five levels, none at 256 channels: projection, alignment, MLP (4 linear, 3 layer norms) and projection back, weight and bias each
				assertEquals(5 * 2 * (1 + 1 + 7 + 1), tensors);
			}
		}
	}

	/**
	 * With {@code dfeScope = all} DFE is part of the student: a supervised step trains it through the
	 * labelled loss, a semi-supervised step runs with it on every branch and leaves no array behind,
	 * and the EMA teacher carries it.
	 */
	@Test
	void dfeInEveryBranchIsTrainedByTheLabelledLossToo() {
		final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 2).with("confidenceThreshold", 0).with("iterations", 10)
			.with("dfeScope", "all");
		try (NDManager root = Engines.pytorch().newBaseManager(); DfeNetwork student = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.ALL, 2);
			Network teacher = student.newInstance(root, 1); Optimizer optimizer = new Optimizer(Optimizer.Kind.SGD, 0.9, 1e-4, prefixed(student), root))
		{
			Ema.copy(student.state(), teacher.state());
			final TrainingStep step = new TrainingStep(config, student, teacher, optimizer);
			final BatchSampler sampler = new BatchSampler(config, data());
			final StepResult supervised = step.run(sampler.sample(0, false), 0, config.optimisation().lr(), 0, root);
			assertFalse(supervised.skipped(), supervised.toString());
			for (int k = 0; k < 5; k++)
				assertTrue(max(student.state().get(DfeNetwork.PREFIX + "level" + k + ".out.weight").toFloatArray()) > 0, "level " + k + " moved from zero");
			final int studentOwned = student.state().manager().getManagedArrays().size();
			final int innerOwned = student.inner().state().manager().getManagedArrays().size();
			final int dfeOwned = student.dfe().state().manager().getManagedArrays().size();
			final StepResult semi = step.run(sampler.sample(1, true), 1, config.optimisation().lr(), 1, root);
			assertFalse(semi.skipped(), semi.toString());
			assertTrue(semi.unlabelledLoss() > 0);
			assertEquals(studentOwned, student.state().manager().getManagedArrays().size());
			assertEquals(innerOwned, student.inner().state().manager().getManagedArrays().size());
			assertEquals(dfeOwned, student.dfe().state().manager().getManagedArrays().size());
			assertTrue(max(teacher.state().get(DfeNetwork.PREFIX + "level0.out.weight").toFloatArray()) > 0, "the teacher follows");
		}
	}

	/** DFE starts as the identity, so the first step's losses cannot depend on which view it compares with. */
	@Test
	void dfeReferenceDoesNotMatterAtInitialisation() {
		final double[][] losses = new double[2][];
		final String[] references = { "weak", "strong" };
		for (int r = 0; r < 2; r++) {
			final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 2).with("confidenceThreshold", 0).with("iterations", 10)
				.with("dfeReference", references[r]);
			try (NDManager root = Engines.pytorch().newBaseManager();
				Network student = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.STRONG, 2);
				Network teacher = student.newInstance(root, 1); Optimizer optimizer = new Optimizer(Optimizer.Kind.SGD, 0.9, 1e-4, prefixed(student), root))
			{
				Ema.copy(student.state(), teacher.state());
				final StepResult result = new TrainingStep(config, student, teacher, optimizer).run(new BatchSampler(config, data()).sample(0, true), 0,
					config.optimisation().lr(), 1, root);
				losses[r] = new double[] { result.labelledLoss(), result.unlabelledLoss() };
			}
		}
		org.junit.jupiter.api.Assertions.assertArrayEquals(losses[0], losses[1], 1e-6);
		assertTrue(losses[0][1] > 0);
	}

	/**
	 * With labelled runs the SAM-2 student decodes them with memory: a semi-supervised step trains
	 * the memory modules and leaves no array behind in the models' managers.
	 */
	@Test
	void labelledSequencesTrainTheMemory() {
		final TrainingConfig config = TrainingConfig.defaults().with("backbone", Sam2Network.MICRO).with("crop", 32).with("batch", 4)
			.with("unlabelledBatch", 2).with("sequenceLength", 2).with("confidenceThreshold", 0).with("iterations", 10).with("promptProbability", 1);
		final List<List<TrainingSlice>> runs = List.of(data().labelled());
		final TrainingData data = TrainingData.ofRuns(List.of("background", "a", "b"), runs, data().unlabelledVolumes(), List.of());
		try (NDManager root = Engines.pytorch().newBaseManager(); Network student = Trainer.newStudent(config, 3, root);
			Network teacher = student.newInstance(root, 1))
		{
			Ema.copy(student.state(), teacher.state());
			final Map<String, NDArray> trained = new LinkedHashMap<>();
			student.state().parameters().forEach((n, a) -> trained.put("student/" + n, a));
			final String memory = "memory_attention.layers.0.cross_attn_image.k_proj.weight";
			final float[] before = student.state().get(memory).toFloatArray(), tpos = student.state().get("maskmem_tpos_enc").toFloatArray();
			final int studentOwned = student.state().manager().getManagedArrays().size();
			try (Optimizer optimizer = new Optimizer(Optimizer.Kind.ADAMW, 0.9, 0.01, trained, root)) {
				final StepResult r = new TrainingStep(config, student, teacher, optimizer).run(new BatchSampler(config, data).sample(0, true), 0,
					1e-3, 1, root);
				assertFalse(r.skipped(), r.toString());
				assertTrue(r.labelledLoss() > 0 && r.unlabelledLoss() > 0, r.toString());
				assertFalse(java.util.Arrays.equals(before, student.state().get(memory).toFloatArray()), "memory attention trained");
				assertFalse(java.util.Arrays.equals(tpos, student.state().get("maskmem_tpos_enc").toFloatArray()), "maskmem_tpos_enc trained");
				assertEquals(studentOwned, student.state().manager().getManagedArrays().size());
			}
		}
	}

	/**
	 * With {@code memoryBank} selective the labelled runs are decoded with the self-sorting bank: a
	 * step of runs of 4 (slice 0 prompted, slices 1 to 3 reading the bank) trains memory attention,
	 * the memory encoder and {@code maskmem_tpos_enc}, and the student's architecture records the rule.
	 */
	@Test
	void labelledSequencesTrainTheMemoryWithTheSelectiveBank() {
		final TrainingConfig config = TrainingConfig.defaults().with("backbone", Sam2Network.MICRO).with("crop", 32).with("batch", 4)
			.with("unlabelledBatch", 2).with("sequenceLength", 4).with("memoryBank", "selective").with("promptFrequency", 4)
			.with("confidenceThreshold", 0).with("iterations", 10).with("promptProbability", 1);
		final TrainingData data = TrainingData.ofRuns(List.of("background", "a", "b"), List.of(data().labelled()), data().unlabelledVolumes(), List.of());
		try (NDManager root = Engines.pytorch().newBaseManager(); Network student = Trainer.newStudent(config, 3, root);
			Network teacher = student.newInstance(root, 1))
		{
			assertEquals("selective", student.architecture().get(Sam2Network.MEMORY_BANK).getAsString());
			assertEquals("selective", teacher.architecture().get(Sam2Network.MEMORY_BANK).getAsString());
			Ema.copy(student.state(), teacher.state());
			final Map<String, NDArray> trained = new LinkedHashMap<>();
			student.state().parameters().forEach((n, a) -> trained.put("student/" + n, a));
			final List<String> memory = List.of("memory_attention.layers.0.cross_attn_image.k_proj.weight", "maskmem_tpos_enc",
				"memory_encoder.out_proj.weight");
			final List<float[]> before = memory.stream().map(n -> student.state().get(n).toFloatArray()).toList();
			final int studentOwned = student.state().manager().getManagedArrays().size();
			try (Optimizer optimizer = new Optimizer(Optimizer.Kind.ADAMW, 0.9, 0.01, trained, root)) {
				final StepResult r = new TrainingStep(config, student, teacher, optimizer).run(new BatchSampler(config, data).sample(0, true), 0,
					1e-3, 1, root);
				assertFalse(r.skipped(), r.toString());
				assertTrue(r.labelledLoss() > 0, r.toString());
				for (int i = 0; i < memory.size(); i++)
					assertFalse(java.util.Arrays.equals(before.get(i), student.state().get(memory.get(i)).toFloatArray()), memory.get(i) + " trained");
				assertEquals(studentOwned, student.state().manager().getManagedArrays().size());
			}
		}
	}

	/**
	 * In labelled runs only every {@code promptFrequency}-th slice carries prompts: with runs of 2 and
	 * frequency 2 the first slice of each run has the prompt of every class its label map shows, the
	 * second none; with frequency 1 both have theirs.
	 */
	@Test
	void labelledRunsArePromptedEveryPromptFrequencySlices() {
		final TrainingConfig base = TrainingConfig.defaults().with("backbone", Sam2Network.MICRO).with("crop", 32).with("batch", 4)
			.with("unlabelledBatch", 2).with("sequenceLength", 2).with("iterations", 10).with("promptProbability", 1);
		final TrainingData data = TrainingData.ofRuns(List.of("background", "a", "b"), List.of(data().labelled()), data().unlabelledVolumes(), List.of());
		try (NDManager root = Engines.pytorch().newBaseManager(); Network student = Trainer.newStudent(base, 3, root)) {
			final Batch batch = new BatchSampler(base, data).sample(0, false);
			final int area = batch.size() * batch.size();
			int prompted = 0;
			for (final int frequency : new int[] { 2, 1 }) {
				final SlicePrompts prompts = new TrainingStep(base.with("promptFrequency", frequency), student, null, null).prompts(batch, 0);
				assertEquals(4, prompts.count());
				for (int i = 0; i < 4; i++)
					for (int c = 1; c < 3; c++) {
						boolean present = false;
						for (int p = i * area; p < (i + 1) * area && !present; p++)
							present = batch.labels()[p] == c;
						final boolean expected = present && (frequency == 1 || i % 2 == 0);
						assertEquals(expected, prompts.has(i, c), "frequency " + frequency + ", slice " + i + ", class " + c);
						if (expected && i % 2 == 1) prompted++;
					}
			}
			assertTrue(prompted > 0, "the second slices of the runs show a class");
		}
	}

	/** The ramp-up weight w enters as {@code (L_l + w L_u) / (1 + w)}; a batch without unlabelled part is a supervised step. */
	@Test
	void unlabelledWeightScalesTheUnlabelledLoss() {
		final TrainingConfig config = TrainingConfig.defaults().with("mode", "consistency").with("crop", 32).with("batch", 2).with("confidenceThreshold", 0)
			.with("iterations", 10);
		try (NDManager root = Engines.pytorch().newBaseManager(); Network student = UNetNetwork.create(SMALL, root, 1);
			Network teacher = student.newInstance(root, 1); Optimizer optimizer = new Optimizer(Optimizer.Kind.SGD, 0.9, 1e-4, prefixed(student), root))
		{
			Ema.copy(student.state(), teacher.state());
			final TrainingStep step = new TrainingStep(config, student, teacher, optimizer);
			final BatchSampler sampler = new BatchSampler(config, data());
			final StepResult weighted = step.run(sampler.sample(0, true), 0, config.optimisation().lr(), 0.25, root);
			assertTrue(weighted.unlabelledLoss() > 0);
			assertEquals(0.25, weighted.unlabelledWeight(), 0);
			assertEquals((weighted.labelledLoss() + 0.25 * weighted.unlabelledLoss()) / 1.25, weighted.loss(), 1e-6);
			final Batch labelledOnly = sampler.sample(1, false);
			assertFalse(labelledOnly.hasUnlabelled());
			final StepResult supervised = step.run(labelledOnly, 1, config.optimisation().lr(), 0, root);
			assertTrue(Double.isNaN(supervised.unlabelledLoss()));
			assertEquals(supervised.labelledLoss(), supervised.loss(), 0);
		}
	}

	/** The teacher follows the student by the EMA rule after a step (t = 1: m = 0.5). */
	@Test
	void teacherIsTheEmaOfTheStudent() {
		final TrainingConfig config = TrainingConfig.defaults().with("mode", "consistency").with("emaWarmup", 0).with("crop", 32).with("batch", 2).with("iterations", 10);
		try (NDManager root = Engines.pytorch().newBaseManager(); Network student = UNetNetwork.create(SMALL, root, 1);
			Network teacher = student.newInstance(root, 5))
		{
			final float[] teacherBefore = teacher.state().get("decoder.head.weight").toFloatArray();
			try (Optimizer optimizer = new Optimizer(Optimizer.Kind.SGD, 0.9, 1e-4, prefixed(student), root)) {
				new TrainingStep(config, student, teacher, optimizer).run(new BatchSampler(config, data()).sample(1, true), 1, config.optimisation().lr(), 1, root);
			}
			final float[] after = teacher.state().get("decoder.head.weight").toFloatArray();
			final float[] studentNow = student.state().get("decoder.head.weight").toFloatArray();
			for (int i = 0; i < after.length; i++)
				assertEquals(0.5 * teacherBefore[i] + 0.5 * studentNow[i], after[i], 1e-6);
		}
	}

	/** A non-finite loss skips the update: parameters, buffers and teacher stay as they were. */
	@Test
	void nonFiniteLossesSkipTheStep() {
		final TrainingConfig config = TrainingConfig.defaults().with("mode", "supervised").with("crop", 32).with("batch", 2).with("iterations", 10);
		final TrainingData clean = data();
		final List<TrainingSlice> poisoned = new ArrayList<>();
		for (final TrainingSlice s : clean.labelled()) {
			final float[] image = s.image().clone();
			image[5] = Float.NaN;
			poisoned.add(new TrainingSlice(s.name(), image, s.labels(), s.width(), s.height()));
		}
		final TrainingData data = new TrainingData(clean.classNames(), poisoned, List.of(), List.of());
		try (NDManager root = Engines.pytorch().newBaseManager(); Network student = UNetNetwork.create(SMALL, root, 1);
			Optimizer optimizer = new Optimizer(Optimizer.Kind.SGD, 0.9, 1e-4, prefixed(student), root))
		{
			final Map<String, float[]> before = new LinkedHashMap<>();
			student.state().parameters().forEach((n, a) -> before.put(n, a.toFloatArray()));
			student.state().buffers().forEach((n, a) -> before.put(n, a.toFloatArray()));
			final StepResult r = new TrainingStep(config, student, null, optimizer).run(new BatchSampler(config, data).sample(0, true), 0, config.optimisation().lr(), 1, root);
			assertTrue(r.skipped());
			assertTrue(Double.isNaN(r.loss()));
			before.forEach((n, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v, student.state().get(n).toFloatArray(), 0f, n));
			assertEquals(0, optimizer.steps());
		}
	}

	private static float max(final float[] values) {
		float max = 0;
		for (final float v : values)
			max = Math.max(max, Math.abs(v));
		return max;
	}

	private static Map<String, NDArray> prefixed(final Network net) {
		final Map<String, NDArray> map = new LinkedHashMap<>();
		net.state().parameters().forEach((n, a) -> map.put("student/" + n, a));
		return map;
	}

	/** Every unlabelled slice of {@link #data()} with a PCSW prompt for class 1 in its top-left corner, away from both classes' pixels. */
	private static TrainingData withCornerPrompts(final TrainingData data) {
		for (final TrainingSlice slice : data.unlabelled())
			slice.setPrompts(new SlicePrompts.Builder(1, 3).set(0, 1, new int[] { 1, 1, 9, 7 }, new int[] { 4, 4 }).build());
		return data;
	}

	/**
	 * The student's strong views are prompted with the PCSW prompts carried through the weak view's
	 * geometry and the view's CutMix, exactly; prompts derived from the view's target (class 1 lies
	 * in columns 14-27, far from the corner box) or no prompts at all fail this test.
	 */
	@Test
	void strongViewsArePromptedWithTheCarriedPcswPromptsNotTheirTargets() {
		final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 2).with("unlabelledBatch", 2).with("iterations", 10)
			.with("pseudoLabels", "prompted").with("promptProbability", 1).with("promptJitter", 0).with("cutmixProbability", 0);
		try (NDManager root = Engines.pytorch().newBaseManager(); Network student = Trainer.newStudent(config, 3, root)) {
			assertTrue(student.usesPrompts());
			final Batch batch = new BatchSampler(config, withCornerPrompts(data())).sample(3, true);
			final SlicePrompts prompts = new TrainingStep(config, student, null, null).prompts(batch, 3);
			final int nl = batch.labelledCount(), nu = batch.unlabelledCount();
			assertEquals(nl + 2 * nu, prompts.count());
			int carried = 0;
			for (int i = 0; i < nu; i++)
				for (int c = 1; c < 3; c++) {
					assertEquals(batch.weakPrompts().has(i, c), prompts.has(nl + i, c));
					assertEquals(batch.weakPrompts().has(i, c), prompts.has(nl + nu + i, c));
					if (!batch.weakPrompts().has(i, c)) continue;
					carried++;
					assertArrayEquals(batch.weakPrompts().box(i, c), prompts.box(nl + i, c));
					assertArrayEquals(batch.weakPrompts().click(i, c), prompts.click(nl + nu + i, c));
					final int[] box = prompts.box(nl + i, c);
					// the corner box, moved by the weak augmentation, stays small: a box of class 1's pixels would span 14 columns
					assertTrue(box[2] - box[0] <= 12 && box[3] - box[1] <= 12, java.util.Arrays.toString(box));
				}
			assertTrue(carried > 0, "some views kept the corner prompt");
		}
	}

	/** The teacher predicts the weak views with the prompts carried into them, and without when the pseudo-labels are the teacher's own. */
	@Test
	void theTeacherReadsTheCarriedPromptsOnlyWhenPseudoLabelsArePrompted() {
		for (final String source : new String[] { "prompted", "teacher" }) {
			final TrainingConfig config = TrainingConfig.defaults().with("crop", 32).with("batch", 2).with("unlabelledBatch", 2).with("iterations", 10)
				.with("pseudoLabels", source).with("dfe", false);
			final TrainingConfig promptable = config.with("pseudoLabels", "prompted");
			try (NDManager root = Engines.pytorch().newBaseManager(); Network student = Trainer.newStudent(promptable, 3, root);
				Network inner = student.newInstance(root, 1); Optimizer optimizer = new Optimizer(Optimizer.Kind.ADAMW, 0.9, 0.01, prefixed(student), root))
			{
				final List<SlicePrompts> seen = new ArrayList<>();
				final Network teacher = new Recording(inner, seen);
				final Batch batch = new BatchSampler(config, withCornerPrompts(data())).sample(3, true);
				new TrainingStep(config, student, teacher, optimizer).run(batch, 3, 1e-3, 1, root);
				assertEquals(1, seen.size());
				if (source.equals("teacher")) assertEquals(null, seen.get(0));
				else {
					assertTrue(batch.weakPrompts() != null && seen.get(0) == batch.weakPrompts());
					boolean any = false;
					for (int i = 0; i < batch.unlabelledCount(); i++)
						any |= seen.get(0).has(i, 1);
					assertTrue(any);
				}
			}
		}
	}

	/** A network that records the prompts each decode gets and otherwise is {@code inner}. */
	private record Recording(Network inner, List<SlicePrompts> seen) implements Network {

		@Override
		public String kind() {
			return inner.kind();
		}

		@Override
		public int classes() {
			return inner.classes();
		}

		@Override
		public int inputChannels() {
			return inner.inputChannels();
		}

		@Override
		public int sizeMultiple() {
			return inner.sizeMultiple();
		}

		@Override
		public int[] featureChannels() {
			return inner.featureChannels();
		}

		@Override
		public ai.djl.ndarray.NDList encode(final NDArray x, final boolean training) {
			return inner.encode(x, training);
		}

		@Override
		public NDArray decode(final ai.djl.ndarray.NDList features, final boolean training) {
			return decode(features, null, training);
		}

		@Override
		public boolean usesPrompts() {
			return inner.usesPrompts();
		}

		@Override
		public NDArray decode(final ai.djl.ndarray.NDList features, final SlicePrompts prompts, final boolean training) {
			seen.add(prompts);
			return inner.decode(features, prompts, training);
		}

		@Override
		public io.github.sssfiji.nn.ModelState state() {
			return inner.state();
		}

		@Override
		public com.google.gson.JsonObject architecture() {
			return inner.architecture();
		}

		@Override
		public Network newInstance(final NDManager parent, final long seed) {
			return inner.newInstance(parent, seed);
		}

		@Override
		public void close() {
			inner.close();
		}
	}
}
