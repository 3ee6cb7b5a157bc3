// Segmenting the ACDC validation volumes from one prompt per structure on the middle slice only
// (`propagate`: Propagation), against the same model without prompts: per class 3-D Dice averaged over
// the volumes, as validation computes it (SegmentationMetrics.dice). The prompt of a class is the box and
// farthest interior click of its ground truth on the volume's middle slice (a user's box); classes absent
// there get none. Run from the repository root after `mvn -B -q -DskipTests package`, with a model file
// that reads prompts (a U-Net trained with --pseudo-labels prompted or propagated, or a SAM-2 model):
//   MODEL=bench/out/prompted/sss/best.sss jshell --class-path target/sss-app.jar bench/acdc/propagate.jsh
// Data: ../shared/data/acdc (the split's validation list).
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.eval.SegmentationMetrics;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.Propagation;
import io.github.sssfiji.sss.predict.SlicePredictor;
import io.github.sssfiji.sss.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

final String modelFile = System.getenv("MODEL");
if (modelFile == null || !Files.isRegularFile(Path.of(modelFile))) {
	System.out.println("bench/acdc/propagate.jsh: set MODEL to a model file that reads prompts; MODEL=" + modelFile);
	System.exit(2);
}
final Path data = Path.of("../shared/data/acdc");
var dataset = Datasets.open(data, System.getenv().getOrDefault("SPLIT", "3"), ImageFiles.imageReader());
try (var noGrad = Engines.noGrad(); var root = Engines.pytorch().newBaseManager(); var model = SssModel.load(Path.of(modelFile), root)) {
	final int classes = model.network().classes(), size = model.inputSize();
	if (!model.network().usesPrompts()) {
		System.out.println(modelFile + ": the model reads no prompts");
		System.exit(2);
	}
	final double[] plainSum = new double[classes], promptedSum = new double[classes];
	int volumes = 0;
	final long start = System.nanoTime();
	for (var item : dataset.validation()) {
		final var v = TrainingData.volume(item);
		final int[] dims = v.dims();
		final int area = dims[0] * dims[1], middle = dims[2] / 2;
		final SlicePrompts onMiddle = SlicePrompts.fromLabels(Arrays.copyOfRange(v.labels(), middle * area, (middle + 1) * area), null, 1, dims[0], dims[1],
			classes);
		final SlicePrompts.Builder builder = new SlicePrompts.Builder(dims[2], classes);
		for (int c = 1; c < classes; c++)
			if (onMiddle.has(0, c)) builder.set(middle, c, onMiddle.box(0, c), onMiddle.click(0, c));
		final int[] plain = SlicePredictor.argmax(SlicePredictor.probabilities(model.network(), v.image(), dims, size, 8, root), classes);
		final int[] prompted = SlicePredictor.argmax(Propagation.probabilities(model.network(), v.image(), dims, size, 8, builder.build(), root), classes);
		final double[] a = SegmentationMetrics.dice(plain, v.labels(), classes), b = SegmentationMetrics.dice(prompted, v.labels(), classes);
		for (int c = 1; c < classes; c++) {
			plainSum[c] += a[c];
			promptedSum[c] += b[c];
		}
		volumes++;
		System.out.printf("%s: unprompted %s, propagated %s%n", v.name(), Arrays.toString(Arrays.copyOfRange(a, 1, classes)),
			Arrays.toString(Arrays.copyOfRange(b, 1, classes)));
	}
	for (final String row : new String[] { "unprompted", "propagated from the middle slice" }) {
		final double[] sum = row.equals("unprompted") ? plainSum : promptedSum;
		final StringBuilder line = new StringBuilder(row + ":");
		double mean = 0;
		for (int c = 1; c < classes; c++) {
			line.append(String.format(" %.4f", sum[c] / volumes));
			mean += sum[c] / volumes / (classes - 1);
		}
		System.out.println(line.append(String.format("  mean %.4f  (%d volumes)", mean, volumes)));
	}
	System.out.printf("%.1f s%n", (System.nanoTime() - start) / 1e9);
}
/exit
