// What a trained teacher's pseudo-labels get wrong on the split's unlabelled slices, whose ground truth
// the HDF5 files hold (analysis only: training never reads it): how many pixels pass the confidence
// threshold 0.95 and how many of those are wrong; how much PCSW rejects with the default parameters and
// with every class single-instance (the cardiac preset), and how many of the rejected pixels were
// wrong; and the same pseudo-labels averaged with the prediction of the x-flipped (and y-flipped) slices.
// The model's probabilities come from SlicePredictor, as PcswMasks computes them during training.
// Run from the repository root after `mvn -B -q -DskipTests package`, with a model file from a
// benchmark run (MODEL; SPLIT 1, 3 or 7, default 3):
//   MODEL=bench/out/acdc/sss/last.sss jshell --class-path target/sss-app.jar bench/acdc/pseudo-labels.jsh
// Data: ../shared/data/acdc.
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.pcsw.Pcsw;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.predict.SlicePredictor;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.train.TrainingData;
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

final String modelFile = System.getenv("MODEL");
if (modelFile == null || !Files.isRegularFile(Path.of(modelFile))) {
	System.out.println("bench/acdc/pseudo-labels.jsh: set MODEL to a model file (for example bench/out/acdc/sss/last.sss); MODEL=" + modelFile);
	System.exit(2);
}
// the split's lists swapped, so that the unlabelled slices load with their labels
final Path data = Path.of("../shared/data/acdc"), lists = Files.createTempDirectory("sss-pseudo-labels");
final Path split = data.resolve("splits/unimatch/" + System.getenv().getOrDefault("SPLIT", "3"));
Files.copy(split.resolve("unlabeled.txt"), lists.resolve("labeled.txt"));
Files.copy(split.resolve("labeled.txt"), lists.resolve("unlabeled.txt"));
var slices = TrainingData.load(Datasets.open(data, lists.resolve("labeled.txt").toString(), ImageFiles.imageReader()), true, System.out);
try (var noGrad = Engines.noGrad(); var root = Engines.pytorch().newBaseManager(); var model = SssModel.load(Path.of(modelFile), root)) {
	final int classes = model.network().classes(), size = model.inputSize();
	final List<float[]> plain = new ArrayList<>(), withX = new ArrayList<>(), withXY = new ArrayList<>();
	final List<int[]> truths = new ArrayList<>(), dims = new ArrayList<>();
	for (var volume : slices.labelledRuns()) {
		final int w = volume.get(0).width(), h = volume.get(0).height(), area = w * h, depth = volume.size();
		final float[] image = new float[area * depth];
		final int[] truth = new int[area * depth];
		for (int z = 0; z < depth; z++) {
			System.arraycopy(volume.get(z).image(), 0, image, z * area, area);
			System.arraycopy(volume.get(z).labels(), 0, truth, z * area, area);
		}
		final int[] d = { w, h, depth };
		final float[] p = SlicePredictor.probabilities(model.network(), image, d, size, 8, root);
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
	score("averaged with the x-flip", withX, truths, classes);
	score("averaged with the x- and y-flips", withXY, truths, classes);
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
