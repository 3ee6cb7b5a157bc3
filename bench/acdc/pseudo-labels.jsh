// What a trained teacher's pseudo-labels get wrong on the split's unlabelled slices, whose ground truth
// the HDF5 files hold (analysis only: training never reads it): how many pixels pass the confidence
// threshold 0.95 and how many of those are wrong (per class: pixels labelled c with confidence >= 0.95
// whose truth is not c, over the pixels labelled c), Dice per class pooled over all slices; how much PCSW
// rejects with the default parameters and with every class single-instance (the cardiac preset), and how
// many of the rejected pixels were wrong; the same pseudo-labels averaged with the prediction of the
// x-flipped (and y-flipped) slices; and, for a model that reads prompts, the prompted teacher: the model
// again with PCSW's prompts (every promptFrequency-th slice of a kept chain, PROMPT_FREQ, default 2), as a
// PCSW refresh computes it in training with pseudoLabels "propagated" (PcswRefresh.pass), over all slices
// and over the prompted ones; for a model with memory (SAM-2 trained on runs of slices) also the prompted
// pass in one direction only (slice order, as without the backward pass of Propagation), so that the two
// directions of the refresh are measured against one. Several models (MODEL=a.sss,b.sss) are scored one after another.
// Run from the repository root after `mvn -B -q -DskipTests package`, with model files from a benchmark run
// (MODEL; SPLIT 1, 3 or 7, default 3):
//   MODEL=bench/out/acdc/sss/last.sss jshell -R-Xmx2g --class-path target/sss-app.jar bench/acdc/pseudo-labels.jsh
// (FLIPS=false leaves out the flip-averaged lines, LIMIT=K scores the first K volumes only.) Every score is
// accumulated volume by volume, so memory does not grow with the split. Data: ../shared/data/acdc.
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.pcsw.Pcsw;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.predict.SlicePredictor;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.train.TrainingData;
import io.github.sssfiji.sss.train.PcswRefresh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

float[] flip(final float[] values, final int w, final int h, final boolean x) {
	final float[] out = new float[values.length];
	for (int s = 0; s < values.length / (w * h); s++)
		for (int y = 0; y < h; y++)
			for (int i = 0; i < w; i++)
				out[(s * h + y) * w + i] = values[(s * h + (x ? y : h - 1 - y)) * w + (x ? w - 1 - i : i)];
	return out;
}

/** Pixel counts of one series of pseudo-labels against the truth. */
class Score {
	final String name;
	final int classes;
	long confident, wrong, total;
	final double[] overlap, predicted, truth, confidentOf, wrongOf;

	Score(final String name, final int classes) {
		this.name = name;
		this.classes = classes;
		overlap = new double[classes];
		predicted = new double[classes];
		truth = new double[classes];
		confidentOf = new double[classes];
		wrongOf = new double[classes];
	}

	/** Adds the pixels {@code from..to} of a volume's probabilities {X, Y, Z, C} (n voxels per class map). */
	void add(final float[] p, final int[] t, final int n, final int from, final int to) {
		for (int i = from; i < to; i++) {
			int label = 0;
			float max = p[i];
			for (int c = 1; c < classes; c++)
				if (p[c * n + i] > max) {
					max = p[c * n + i];
					label = c;
				}
			total++;
			if (max >= 0.95f) {
				confident++;
				confidentOf[label]++;
				if (label != t[i]) {
					wrong++;
					wrongOf[label]++;
				}
			}
			predicted[label]++;
			truth[t[i]]++;
			if (label == t[i]) overlap[t[i]]++;
		}
	}

	void print() {
		final StringBuilder dice = new StringBuilder(), errors = new StringBuilder();
		double mean = 0;
		for (int c = 1; c < classes; c++) {
			final double d = 2 * overlap[c] / (predicted[c] + truth[c]);
			mean += d / (classes - 1);
			dice.append(String.format(" %.4f", d));
			errors.append(String.format(" %.3f", 100 * wrongOf[c] / Math.max(1, confidentOf[c])));
		}
		System.out.printf("%s: confident %.2f %% of the pixels, confident and wrong %.3f %% (per class %%:%s); Dice over all slices%s, mean %.4f%n",
			name, 100.0 * confident / total, 100.0 * wrong / total, errors, dice, mean);
	}
}

final String modelFiles = System.getenv("MODEL");
if (modelFiles == null || !Arrays.stream(modelFiles.split(",")).allMatch(f -> Files.isRegularFile(Path.of(f)))) {
	System.out.println("bench/acdc/pseudo-labels.jsh: set MODEL to model files, comma-separated (for example bench/out/acdc/sss/last.sss); MODEL=" + modelFiles);
	System.exit(2);
}
final int promptFrequency = Integer.parseInt(System.getenv().getOrDefault("PROMPT_FREQ", "2"));
final boolean flips = Boolean.parseBoolean(System.getenv().getOrDefault("FLIPS", "true"));
// the split's lists swapped, so that the unlabelled slices load with their labels
final Path data = Path.of("../shared/data/acdc"), lists = Files.createTempDirectory("sss-pseudo-labels");
final Path split = data.resolve("splits/unimatch/" + System.getenv().getOrDefault("SPLIT", "3"));
Files.copy(split.resolve("unlabeled.txt"), lists.resolve("labeled.txt"));
Files.copy(split.resolve("labeled.txt"), lists.resolve("unlabeled.txt"));
var slices = TrainingData.load(Datasets.open(data, lists.resolve("labeled.txt").toString(), ImageFiles.imageReader()), true, System.out);
for (final String modelFile : modelFiles.split(","))
try (var noGrad = Engines.noGrad(); var root = Engines.pytorch().newBaseManager(); var model = SssModel.load(Path.of(modelFile), root)) {
	System.out.println("== " + modelFile);
	final int classes = model.network().classes(), size = model.inputSize();
	final boolean promptable = model.network().usesPrompts();
	final Score teacher = new Score("teacher", classes), withX = new Score("averaged with the x-flip", classes),
		withXY = new Score("averaged with the x- and y-flips", classes), prompted = new Score("prompted teacher (PCSW prompts)", classes),
		onPromptedPlain = new Score("  teacher on the prompted slices", classes),
		onPromptedPrompted = new Score("  prompted teacher on the prompted slices", classes),
		onPromptedOracle = new Score("  the model prompted from the ground truth on the same slices and classes", classes),
		forwardOnly = new Score("prompted teacher, one direction (slice order; memory models)", classes);
	final boolean memory = model.network().hasMemory();
	final PcswParameters[] presets = { PcswParameters.defaults(), PcswParameters.cardiac() };
	final long[] rejected = new long[2], rejectedWrong = new long[2];
	long voxels = 0;
	int promptedSlices = 0;
	// LIMIT: the first so many volumes only (a quick check of the script)
	for (var volume : slices.labelledRuns().subList(0, Math.min(slices.labelledRuns().size(), Integer.parseInt(System.getenv().getOrDefault("LIMIT", "100000"))))) {
		final int w = volume.get(0).width(), h = volume.get(0).height(), area = w * h, depth = volume.size(), n = area * depth;
		final float[] image = new float[n];
		final int[] truth = new int[n];
		for (int z = 0; z < depth; z++) {
			System.arraycopy(volume.get(z).image(), 0, image, z * area, area);
			System.arraycopy(volume.get(z).labels(), 0, truth, z * area, area);
		}
		final int[] d = { w, h, depth };
		final var pass = promptable && depth > 1 ? PcswRefresh.pass(model.network(), image, d, size, 8,
			PcswParameters.defaults().toBuilder().promptFrequency(promptFrequency).build(), true, root) : null;
		final float[] p = pass != null ? pass.unprompted() : SlicePredictor.probabilities(model.network(), image, d, size, 8, root);
		teacher.add(p, truth, n, 0, n);
		voxels += n;
		if (promptable) prompted.add(pass != null ? pass.prompted() : p, truth, n, 0, n);
		// slices before the first prompted one are decoded in slice order without a prompt, as a refresh did
		// before the backward pass
		if (memory) forwardOnly.add(pass != null ? SlicePredictor.probabilities(model.network(), image, d, size, 8, pass.prompts(), root) : p, truth, n, 0, n);
		if (pass != null)
			for (int z = 0; z < depth; z++) {
				boolean any = false;
				for (int c = 1; c < classes; c++)
					any |= pass.prompts().has(z, c);
				if (!any) continue;
				promptedSlices++;
				onPromptedPlain.add(p, truth, n, z * area, (z + 1) * area);
				onPromptedPrompted.add(pass.prompted(), truth, n, z * area, (z + 1) * area);
				// how much the model follows a prompt: the box and click of the truth instead of PCSW's
				final SlicePrompts fromTruth = SlicePrompts.fromLabels(Arrays.copyOfRange(truth, z * area, (z + 1) * area), null, 1, w, h, classes);
				final SlicePrompts.Builder oracle = new SlicePrompts.Builder(1, classes);
				for (int c = 1; c < classes; c++)
					if (pass.prompts().has(z, c) && fromTruth.has(0, c)) oracle.set(0, c, fromTruth.box(0, c), fromTruth.click(0, c));
				onPromptedOracle.add(SlicePredictor.probabilities(model.network(), Arrays.copyOfRange(image, z * area, (z + 1) * area), new int[] { w, h, 1 },
					size, 1, oracle.build(), root), Arrays.copyOfRange(truth, z * area, (z + 1) * area), area, 0, area);
			}
		if (depth > 1) {
			final int[] label = SlicePredictor.argmax(p, classes);
			for (int k = 0; k < presets.length; k++) {
				final boolean[] mask = Pcsw.fromProbabilities(p, new int[] { w, h, depth, classes }, null, presets[k]).rejected();
				for (int i = 0; i < n; i++)
					if (mask[i]) {
						rejected[k]++;
						if (label[i] != truth[i]) rejectedWrong[k]++;
					}
			}
		}
		if (!flips) continue;
		final float[] px = flip(SlicePredictor.probabilities(model.network(), flip(image, w, h, true), d, size, 8, root), w, h, true);
		final float[] x = new float[p.length];
		for (int i = 0; i < p.length; i++)
			x[i] = (p[i] + px[i]) / 2;
		withX.add(x, truth, n, 0, n);
		final float[] py = flip(SlicePredictor.probabilities(model.network(), flip(image, w, h, false), d, size, 8, root), w, h, false);
		for (int i = 0; i < p.length; i++)
			x[i] = (p[i] + px[i] + py[i]) / 3;
		withXY.add(x, truth, n, 0, n);
	}
	teacher.print();
	if (promptable) {
		prompted.print();
		if (memory) forwardOnly.print();
		System.out.printf("prompted slices: %d of %d%n", promptedSlices, slices.labelled().size());
		onPromptedPlain.print();
		onPromptedPrompted.print();
		onPromptedOracle.print();
	}
	if (flips) {
		withX.print();
		withXY.print();
	}
	for (int k = 0; k < presets.length; k++)
		System.out.printf("PCSW, single instance %s: %.3f %% of the pixels rejected, %.1f %% of them wrong%n", presets[k].singleInstance(),
			100.0 * rejected[k] / voxels, 100.0 * rejectedWrong[k] / Math.max(1, rejected[k]));
}
Files.delete(lists.resolve("labeled.txt"));
Files.delete(lists.resolve("unlabeled.txt"));
Files.delete(lists);
/exit
