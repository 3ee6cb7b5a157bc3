// What a trained teacher's pseudo-labels get wrong on the split's unlabelled slices, whose ground truth
// the HDF5 files hold (analysis only: training never reads it): how many pixels pass the confidence
// threshold 0.95 and how many of those are wrong; how much PCSW rejects with the default parameters and
// with every class single-instance (the cardiac preset), and how many of the rejected pixels were
// wrong; the same pseudo-labels averaged with the prediction of the x-flipped (and y-flipped) slices;
// and, for a model that reads prompts, the prompted teacher: the model again with PCSW's prompts (every
// promptFrequency-th slice of a kept chain, PROMPT_FREQ, default 2), as a PCSW refresh computes it in
// training with pseudoLabels "propagated" (PcswRefresh.pass), over all slices and over the prompted ones.
// Several models (MODEL=a.sss,b.sss) are scored one after another on the same slices.
// Run from the repository root after `mvn -B -q -DskipTests package`, with model files from a
// benchmark run (MODEL; SPLIT 1, 3 or 7, default 3):
//   MODEL=bench/out/acdc/sss/last.sss jshell --class-path target/sss-app.jar bench/acdc/pseudo-labels.jsh
// (FLIPS=false leaves out the flip-averaged lines, LIMIT=K scores the first K volumes only.)
// Data: ../shared/data/acdc.
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.pcsw.Pcsw;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.predict.SlicePredictor;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.train.TrainingData;
import io.github.sssfiji.sss.train.PcswRefresh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

float[] flip(final float[] values, final int w, final int h, final boolean x) {
	final float[] out = new float[values.length];
	for (int s = 0; s < values.length / (w * h); s++)
		for (int y = 0; y < h; y++)
			for (int i = 0; i < w; i++)
				out[(s * h + y) * w + i] = values[(s * h + (x ? y : h - 1 - y)) * w + (x ? w - 1 - i : i)];
	return out;
}

void score(final String name, final List<float[]> probabilities, final List<int[]> truths, final int classes) {
	long confident = 0, wrong = 0, total = 0;
	final double[] overlap = new double[classes], predicted = new double[classes], truth = new double[classes];
	for (int v = 0; v < probabilities.size(); v++) {
		final float[] p = probabilities.get(v);
		final int[] t = truths.get(v), label = SlicePredictor.argmax(p, classes);
		final int n = t.length;
		for (int i = 0; i < n; i++) {
			float max = 0;
			for (int c = 0; c < classes; c++)
				max = Math.max(max, p[c * n + i]);
			total++;
			if (max >= 0.95f) {
				confident++;
				if (label[i] != t[i]) wrong++;
			}
			predicted[label[i]]++;
			truth[t[i]]++;
			if (label[i] == t[i]) overlap[t[i]]++;
		}
	}
	final StringBuilder dice = new StringBuilder();
	double mean = 0;
	for (int c = 1; c < classes; c++) {
		final double d = 2 * overlap[c] / (predicted[c] + truth[c]);
		mean += d / (classes - 1);
		dice.append(String.format(" %.4f", d));
	}
	System.out.printf("%s: confident %.2f %% of the pixels, confident and wrong %.3f %%; Dice over all slices%s, mean %.4f%n", name,
		100.0 * confident / total, 100.0 * wrong / total, dice, mean);
}

final String modelFiles = System.getenv("MODEL");
if (modelFiles == null || !java.util.Arrays.stream(modelFiles.split(",")).allMatch(f -> Files.isRegularFile(Path.of(f)))) {
	System.out.println("bench/acdc/pseudo-labels.jsh: set MODEL to model files, comma-separated (for example bench/out/acdc/sss/last.sss); MODEL=" + modelFiles);
	System.exit(2);
}
final int promptFrequency = Integer.parseInt(System.getenv().getOrDefault("PROMPT_FREQ", "2"));
// the split's lists swapped, so that the unlabelled slices load with their labels
final Path data = Path.of("../shared/data/acdc"), lists = Files.createTempDirectory("sss-pseudo-labels");
final Path split = data.resolve("splits/unimatch/" + System.getenv().getOrDefault("SPLIT", "3"));
Files.copy(split.resolve("unlabeled.txt"), lists.resolve("labeled.txt"));
Files.copy(split.resolve("labeled.txt"), lists.resolve("unlabeled.txt"));
var slices = TrainingData.load(Datasets.open(data, lists.resolve("labeled.txt").toString(), ImageFiles.imageReader()), true, System.out);
for (final String modelFile : modelFiles.split(","))
try (var noGrad = Engines.noGrad(); var root = Engines.pytorch().newBaseManager(); var model = SssModel.load(Path.of(modelFile), root)) {
	System.out.println("== " + modelFile);
	final boolean promptable = model.network().usesPrompts();
	final List<float[]> prompted = new ArrayList<>(), promptedOnly = new ArrayList<>(), unpromptedOnly = new ArrayList<>();
	final List<int[]> promptedTruths = new ArrayList<>();
	final int classes = model.network().classes(), size = model.inputSize();
	final List<float[]> plain = new ArrayList<>(), withX = new ArrayList<>(), withXY = new ArrayList<>();
	final List<int[]> truths = new ArrayList<>(), dims = new ArrayList<>();
	// LIMIT: the first so many volumes only (a quick check of the script)
	for (var volume : slices.labelledRuns().subList(0, Math.min(slices.labelledRuns().size(), Integer.parseInt(System.getenv().getOrDefault("LIMIT", "100000"))))) {
		final int w = volume.get(0).width(), h = volume.get(0).height(), area = w * h, depth = volume.size();
		final float[] image = new float[area * depth];
		final int[] truth = new int[area * depth];
		for (int z = 0; z < depth; z++) {
			System.arraycopy(volume.get(z).image(), 0, image, z * area, area);
			System.arraycopy(volume.get(z).labels(), 0, truth, z * area, area);
		}
		final int[] d = { w, h, depth };
		final var pass = promptable && depth > 1 ? PcswRefresh.pass(model.network(), image, d, size, 8,
			PcswParameters.defaults().toBuilder().promptFrequency(promptFrequency).build(), true, root) : null;
		final float[] p = pass != null ? pass.unprompted() : SlicePredictor.probabilities(model.network(), image, d, size, 8, root);
		if (pass != null) {
			prompted.add(pass.prompted());
			// the prompted slices alone, unprompted and prompted, as one-slice volumes of {X, Y, 1, C}
			for (int z = 0; z < depth; z++) {
				boolean any = false;
				for (int c = 1; c < classes; c++)
					any |= pass.prompts().has(z, c);
				if (!any) continue;
				final float[] a = new float[classes * area], b = new float[classes * area];
				for (int c = 0; c < classes; c++) {
					System.arraycopy(p, c * area * depth + z * area, a, c * area, area);
					System.arraycopy(pass.prompted(), c * area * depth + z * area, b, c * area, area);
				}
				unpromptedOnly.add(a);
				promptedOnly.add(b);
				promptedTruths.add(java.util.Arrays.copyOfRange(truth, z * area, (z + 1) * area));
			}
		}
		else prompted.add(p);
		if (!Boolean.parseBoolean(System.getenv().getOrDefault("FLIPS", "true"))) {
			plain.add(p);
			withX.add(p);
			withXY.add(p);
			truths.add(truth);
			dims.add(d);
			continue;
		}
		final float[] px = flip(SlicePredictor.probabilities(model.network(), flip(image, w, h, true), d, size, 8, root), w, h, true);
		final float[] py = flip(SlicePredictor.probabilities(model.network(), flip(image, w, h, false), d, size, 8, root), w, h, false);
		final float[] x = new float[p.length], xy = new float[p.length];
		for (int i = 0; i < p.length; i++) {
			x[i] = (p[i] + px[i]) / 2;
			xy[i] = (p[i] + px[i] + py[i]) / 3;
		}
		plain.add(p);
		withX.add(x);
		withXY.add(xy);
		truths.add(truth);
		dims.add(d);
	}
	score("teacher", plain, truths, classes);
	if (promptable) {
		score("prompted teacher (PCSW prompts)", prompted, truths, classes);
		System.out.printf("prompted slices: %d of %d%n", promptedOnly.size(), slices.labelled().size());
		score("  teacher on the prompted slices", unpromptedOnly, promptedTruths, classes);
		score("  prompted teacher on the prompted slices", promptedOnly, promptedTruths, classes);
	}
	if (Boolean.parseBoolean(System.getenv().getOrDefault("FLIPS", "true"))) {
		score("averaged with the x-flip", withX, truths, classes);
		score("averaged with the x- and y-flips", withXY, truths, classes);
	}
	for (var parameters : new PcswParameters[] { PcswParameters.defaults(), PcswParameters.cardiac() }) {
		long rejected = 0, wrong = 0, total = 0;
		for (int v = 0; v < plain.size(); v++) {
			final int[] d = dims.get(v), truth = truths.get(v), label = SlicePredictor.argmax(plain.get(v), classes);
			if (d[2] < 2) continue;
			final boolean[] mask = Pcsw.fromProbabilities(plain.get(v), new int[] { d[0], d[1], d[2], classes }, null, parameters).rejected();
			for (int i = 0; i < mask.length; i++) {
				total++;
				if (!mask[i]) continue;
				rejected++;
				if (label[i] != truth[i]) wrong++;
			}
		}
		System.out.printf("PCSW, single instance %s: %.3f %% of the pixels rejected, %.1f %% of them wrong%n", parameters.singleInstance(),
			100.0 * rejected / total, 100.0 * wrong / Math.max(1, rejected));
	}
}
Files.delete(lists.resolve("labeled.txt"));
Files.delete(lists.resolve("unlabeled.txt"));
Files.delete(lists);
/exit
