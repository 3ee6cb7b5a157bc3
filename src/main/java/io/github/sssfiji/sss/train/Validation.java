package io.github.sssfiji.sss.train;

import java.util.List;

import ai.djl.ndarray.NDManager;

import io.github.sssfiji.eval.SegmentationMetrics;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.predict.SlicePredictor;

/**
 * 3-D validation with the ACDC protocol: each volume is predicted slice by slice
 * ({@link SlicePredictor}), Dice is computed per volume and foreground class, averaged over the
 * volumes, then over the classes.
 */
public final class Validation {

	private Validation() {}

	/**
	 * @return mean Dice per class over the volumes (index 0, background, is left at NaN), and at
	 *         index {@code classes} the mean over the foreground classes
	 */
	public static double[] run(final Network net, final List<VolumeData> volumes, final int size, final int batch, final NDManager root) {
		final int classes = net.classes();
		final double[] sum = new double[classes + 1];
		for (final VolumeData v : volumes) {
			final int[] prediction = SlicePredictor.argmax(SlicePredictor.probabilities(net, v.image(), v.dims(), size, batch, root), classes);
			final double[] dice = SegmentationMetrics.dice(prediction, v.labels(), classes);
			for (int c = 1; c < classes; c++)
				sum[c] += dice[c];
		}
		final double[] mean = new double[classes + 1];
		mean[0] = Double.NaN;
		double total = 0;
		for (int c = 1; c < classes; c++) {
			mean[c] = sum[c] / volumes.size();
			total += mean[c];
		}
		mean[classes] = total / (classes - 1);
		return mean;
	}
}
