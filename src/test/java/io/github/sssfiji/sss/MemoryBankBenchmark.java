package io.github.sssfiji.sss;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.loss.CeDiceLoss;

/**
 * Times sequence decoding of a random-init {@code sam2-micro} backbone with memory under the two
 * {@link MemoryBank} rules in one process, the rules alternating per repetition: prediction (no
 * gradient, one slice per call as {@code SlicePredictor} feeds them, encoder excluded) and a training
 * decode plus backward of one run. Threads come from {@code -Dai.djl.pytorch.num_threads}.
 * <p>
 * Usage: {@code bench/run-java.sh -Dai.djl.pytorch.num_threads=T io.github.sssfiji.sss.MemoryBankBenchmark SIZE SLICES TRAIN_LENGTH REPEATS CLASSES}.
 * Prints, per rule, the median and minimum over the repetitions of the prediction's ms per slice and
 * of the training decode + backward's ms per slice.
 * </p>
 */
public final class MemoryBankBenchmark {

	private MemoryBankBenchmark() {}

	public static void main(final String[] args) {
		final int size = Integer.parseInt(args[0]), slices = Integer.parseInt(args[1]), trainLength = Integer.parseInt(args[2]),
			repeats = Integer.parseInt(args[3]), classes = Integer.parseInt(args[4]);
		final Engine engine = Engines.pytorch();
		final Random random = new Random(1);
		final float[] volume = new float[slices * size * size];
		for (int i = 0; i < volume.length; i++)
			volume[i] = random.nextFloat();
		final int[] labels = new int[trainLength * size * size];
		for (int i = 0; i < labels.length; i++)
			labels[i] = (i % size) * classes / size;
		final MemoryBank[] rules = MemoryBank.values();
		final double[][] predict = new double[rules.length][repeats], train = new double[rules.length][repeats];
		try (NDManager root = engine.newBaseManager()) {
			final Sam2Network[] nets = new Sam2Network[rules.length];
			for (int k = 0; k < rules.length; k++)
				nets[k] = Sam2Network.create(Sam2Network.MICRO, classes, size, null, true, rules[k], root, 5);
			for (int rep = -1; rep < repeats; rep++) // repetition -1 warms up
				for (int k = 0; k < rules.length; k++) {
					final Sam2Network net = nets[k];
					try (NDManager step = root.newSubManager()) {
						final NDList features;
						try (Engines.NoGrad noGrad = Engines.noGrad()) {
							features = net.encode(step.create(volume, new Shape(slices, 1, size, size)), false);
						}
						long start = System.nanoTime();
						try (Network.MemorySequence sequence = net.newSequence(1, slices, step); Engines.NoGrad noGrad = Engines.noGrad()) {
							for (int t = 0; t < slices; t++)
								try (NDManager frame = step.newSubManager()) {
									final NDList slice = new NDList();
									for (final NDArray level : features) {
										final NDArray row = level.get(new NDIndex(t + ":" + (t + 1)));
										row.attach(frame);
										slice.add(row);
									}
									sequence.next(slice, null, false).toFloatArray();
								}
						}
						final double predictMs = (System.nanoTime() - start) / 1e6 / slices;
						net.state().zeroGradients();
						final NDList trainFeatures;
						try (Engines.NoGrad noGrad = Engines.noGrad()) {
							trainFeatures = net.encode(step.create(Arrays.copyOf(volume, trainLength * size * size), new Shape(trainLength, 1, size, size)),
								false);
						}
						start = System.nanoTime();
						try (GradientCollector collector = engine.newGradientCollector()) {
							final NDArray logits = net.decodeSequences(trainFeatures, trainLength,
								SlicePrompts.fromLabels(labels, null, trainLength, size, classes).keepSlices(i -> i == 0), true);
							collector.backward(CeDiceLoss.of(logits, step.create(labels, new Shape(trainLength, size, size))));
						}
						final double trainMs = (System.nanoTime() - start) / 1e6 / trainLength;
						if (rep >= 0) {
							predict[k][rep] = predictMs;
							train[k][rep] = trainMs;
						}
					}
				}
			for (final Sam2Network net : nets)
				net.close();
		}
		System.out.println("rule,size,classes,threads,slices,predict_ms_per_slice_median,predict_min,train_length,train_ms_per_slice_median,train_min");
		for (int k = 0; k < rules.length; k++)
			System.out.println(String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%.1f,%.1f,%d,%.1f,%.1f", rules[k].key(), size, classes,
				System.getProperty("ai.djl.pytorch.num_threads", "default"), slices, median(predict[k]), min(predict[k]), trainLength, median(train[k]),
				min(train[k])));
	}

	private static double median(final double[] values) {
		final double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static double min(final double[] values) {
		return Arrays.stream(values).min().orElse(Double.NaN);
	}
}
