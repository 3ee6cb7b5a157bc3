package io.github.sssfiji.sss.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.Networks;
import io.github.sssfiji.sss.augment.Rng;
import io.github.sssfiji.sss.dfe.Dfe;
import io.github.sssfiji.sss.dfe.DfeForm;

/**
 * What DFE's form costs a U-Net {@code sss} step at the ACDC benchmark's shapes (crop 128, batch 8 labelled + 4
 * unlabelled, AdamW). A main class, not a test: {@code bench/run-java.sh io.github.sssfiji.sss.train.DfeFormBenchmark
 * [threads] [steps] [levelRuns] [configs...]}, a config being {@code ours}, {@code released} (on its default levels)
 * or {@code FORM:N} ({@code dfeLevels} = N; 0 for every level). Prints, per level, forward and backward of DFE for
 * the two strong views as the training step runs them, then whole training steps of each config, the configs taking
 * turns so that a busy machine slows them alike.
 */
public final class DfeFormBenchmark {

	private DfeFormBenchmark() {}

	public static void main(final String[] args) {
		final int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
		final int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
		final int levelRuns = args.length > 2 ? Integer.parseInt(args[2]) : 3;
		final List<String> configs = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of("ours", "released", "released:0");
		Engines.setThreads(threads);
		final Engine engine = Engines.pytorch();
		engine.setRandomSeed(0);
		System.out.printf(Locale.ROOT, "threads %d (engine %d), %d processors, OMP_WAIT_POLICY=%s%n", threads, Engines.threads(), Runtime.getRuntime().availableProcessors(),
			System.getenv("OMP_WAIT_POLICY"));
		final int[] channels = { 16, 32, 64, 128, 256 };
		final int nu = 4;
		try (NDManager root = engine.newBaseManager()) {
			if (levelRuns > 0) for (int k = 0; k < channels.length; k++) {
				final int size = 128 >> k;
				final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "level %d (%d channels, %d x %d):", k, channels[k], size, size));
				for (final DfeForm form : DfeForm.values()) {
					final double[] ms = new double[levelRuns];
					try (Dfe dfe = Dfe.create(form, new int[] { channels[k] }, Dfe.ALL_LEVELS, root, 1)) {
						for (int r = -1; r < levelRuns; r++) {
							final double t = levelStep(dfe, root, nu, channels[k], size);
							if (r >= 0) ms[r] = t;
						}
					}
					Arrays.sort(ms);
					line.append(String.format(Locale.ROOT, "  %s median %.0f ms (min %.0f, max %.0f)", form.key(), ms[levelRuns / 2], ms[0], ms[levelRuns - 1]));
				}
				System.out.println(line);
			}
			if (steps <= 0) return;
			final Map<String, double[]> times = new LinkedHashMap<>();
			final Map<String, Run> runs = new LinkedHashMap<>();
			for (final String c : configs) {
				runs.put(c, new Run(c, root));
				times.put(c, new double[steps]);
			}
			for (final Run s : runs.values())
				s.step(0, root); // warm-up
			for (int i = 0; i < steps; i++)
				for (final String c : configs)
					times.get(c)[i] = runs.get(c).step(i + 1, root);
			final double base = median(times.get(configs.get(0)));
			for (final String c : configs) {
				final double[] t = times.get(c).clone();
				Arrays.sort(t);
				System.out.printf(Locale.ROOT, "step %-12s median %.2f s (min %.2f, max %.2f) over %d steps, %.1fx %s%n", c, median(t), t[0], t[t.length - 1],
					steps, median(t) / base, configs.get(0));
			}
			for (final Run s : runs.values())
				s.close();
		}
	}

	/** One training step's DFE work at a level: both strong views enhanced against each other (detached), forward and backward, in ms. */
	private static double levelStep(final Dfe dfe, final NDManager root, final int n, final int c, final int size) {
		try (NDManager step = root.newSubManager()) {
			final NDArray s1 = step.randomNormal(new Shape(n, c, size, size)), s2 = step.randomNormal(new Shape(n, c, size, size));
			final NDArray t1 = step.randomNormal(s1.getShape()), t2 = step.randomNormal(s2.getShape());
			s1.setRequiresGradient(true);
			s2.setRequiresGradient(true);
			final long start = System.nanoTime();
			try (GradientCollector collector = step.getEngine().newGradientCollector()) {
				final NDArray e1 = dfe.enhance(new NDList(s2.stopGradient()), new NDList(s1)).get(0);
				final NDArray e2 = dfe.enhance(new NDList(s1.stopGradient()), new NDList(s2)).get(0);
				collector.backward(e1.mul(t1).sum().add(e2.mul(t2).sum()));
			}
			final double ms = (System.nanoTime() - start) / 1e6;
			dfe.state().zeroGradients();
			return ms;
		}
	}

	private static double median(final double[] values) {
		final double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	/** A student, teacher, optimiser and sampler for one config. */
	private static final class Run implements AutoCloseable {

		final TrainingConfig config;
		final Network student, teacher;
		final Optimizer optimizer;
		final BatchSampler sampler;
		final TrainingStep step;

		Run(final String name, final NDManager root) {
			final String[] parts = name.split(":");
			TrainingConfig c = TrainingConfig.defaults().with("crop", 128).with("batch", 8).with("unlabelledBatch", 4).with("dfeForm", parts[0]);
			if (parts.length > 1) c = c.with("dfeLevels", Integer.parseInt(parts[1]));
			config = c;
			student = Trainer.newStudent(config, 4, root);
			teacher = student.newInstance(root, 1);
			Ema.copy(student.state(), teacher.state());
			final Map<String, NDArray> trained = new LinkedHashMap<>();
			student.state().parameters().forEach((n, a) -> trained.put("student/" + n, a));
			optimizer = new Optimizer(Optimizer.Kind.ADAMW, 0.9, 0.01, trained, root);
			sampler = new BatchSampler(config, data());
			step = new TrainingStep(config, student, teacher, optimizer);
		}

		double step(final long t, final NDManager root) {
			final StepResult r = step.run(sampler.sample(t, true), t, 1e-3, 1, root);
			if (r.skipped()) throw new IllegalStateException("skipped step: " + r.skipReason());
			return r.seconds();
		}

		@Override
		public void close() {
			optimizer.close();
			teacher.close();
			student.close();
		}
	}

	/** Blob slices of 160 x 160 with 4 classes (the sampler's input; the content does not change the cost). */
	private static TrainingData data() {
		final Rng rng = new Rng(9);
		final List<TrainingSlice> labelled = new ArrayList<>(), unlabelled = new ArrayList<>();
		final int w = 160, h = 160;
		for (int k = 0; k < 8; k++) {
			final float[] image = new float[w * h];
			final int[] labels = new int[image.length];
			for (int i = 0; i < image.length; i++) {
				labels[i] = Math.min(3, (i % w) / 40);
				image[i] = labels[i] * 0.3f + 0.1f * rng.nextFloat();
			}
			labelled.add(new TrainingSlice("l" + k, image, labels, w, h));
			unlabelled.add(new TrainingSlice("u" + k, image.clone(), null, w, h));
		}
		return new TrainingData(List.of("background", "a", "b", "c"), labelled, List.of(unlabelled), List.of());
	}
}
