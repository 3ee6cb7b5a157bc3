// The Dice that the ACDC protocol's resizing alone costs: each validation slice's one-hot ground truth
// is resized to S x S and back (bilinear, SliceWarp as SlicePredictor does with the logits), arg-maxed,
// and scored with the validation's 3-D Dice: what a model perfect at S x S would score.
// Run from the repository root after `mvn -B -q -DskipTests package`:
//   jshell --class-path target/sss-app.jar bench/acdc/resize-ceiling.jsh
// Data: ../shared/data/acdc (split 3's 20 validation volumes; the split does not change them).
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.eval.SegmentationMetrics;
import io.github.sssfiji.sss.augment.SliceWarp;
import io.github.sssfiji.sss.predict.SlicePredictor;
import io.github.sssfiji.sss.train.TrainingData;
import java.nio.file.Path;

var data = TrainingData.load(Datasets.open(Path.of("../shared/data/acdc"), "3", ImageFiles.imageReader()), false, System.out);
for (int size : new int[] { 96, 128, 160, 192, 256 }) {
	final double[] sum = new double[4];
	for (var volume : data.validation()) {
		final int w = volume.dims()[0], h = volume.dims()[1], depth = volume.dims()[2], area = w * h;
		final SliceWarp down = SliceWarp.resize(w, h, size, size), up = SliceWarp.resize(size, size, w, h);
		final int[] prediction = new int[area * depth];
		for (int z = 0; z < depth; z++) {
			final float[] best = new float[area];
			java.util.Arrays.fill(best, -1);
			for (int c = 0; c < 4; c++) {
				final float[] oneHot = new float[area];
				for (int i = 0; i < area; i++)
					oneHot[i] = volume.labels()[z * area + i] == c ? 1 : 0;
				final float[] back = up.warp(down.warp(oneHot, 0f), 0f);
				for (int i = 0; i < area; i++)
					if (back[i] > best[i]) {
						best[i] = back[i];
						prediction[z * area + i] = c;
					}
			}
		}
		final double[] dice = SegmentationMetrics.dice(prediction, volume.labels(), 4);
		for (int c = 1; c < 4; c++)
			sum[c] += dice[c];
	}
	final int n = data.validation().size();
	System.out.printf("size %d: Dice RV %.4f Myo %.4f LV %.4f  mean %.4f%n", size, sum[1] / n, sum[2] / n, sum[3] / n, (sum[1] + sum[2] + sum[3]) / 3 / n);
}
/exit
