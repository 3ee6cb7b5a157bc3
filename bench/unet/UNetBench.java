import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.unet.UNet;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.loss.CeDiceLoss;
import io.github.sssfiji.util.ProcessMemory;

/**
 * Training-step benchmark of the DJL U-Net, the Java half of bench/unet/run.sh: forward, CE+Dice
 * loss, backward and an SGD step (momentum 0.9, weight decay 1e-4, as torch.optim.SGD), one fixed
 * batch, per-step sub-manager. Prints median step time and RSS at the first measured and the last
 * step. Args: batch size steps threads [classes] [warmup].
 */
public class UNetBench {

	public static void main(final String[] args) throws Exception {
		final int batch = Integer.parseInt(args[0]);
		final int size = Integer.parseInt(args[1]);
		final int steps = Integer.parseInt(args[2]);
		final int threads = Integer.parseInt(args[3]);
		final int classes = args.length > 4 ? Integer.parseInt(args[4]) : 4;
		final int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 3;
		final boolean phases = Boolean.getBoolean("bench.phases");
		Engines.setThreads(threads);
		final Engine engine = Engines.pytorch();
		final double lr = 0.01, momentum = 0.9, weightDecay = 1e-4;
		try (NDManager root = engine.newBaseManager(); UNet net = UNet.create(UNetConfig.uniMatch(1, classes), root, 0);
			NDManager data = root.newSubManager(); NDManager optimizerState = root.newSubManager())
		{
			final NDArray x = data.randomNormal(new Shape(batch, 1, size, size));
			final NDArray y = data.randomInteger(0, classes, new Shape(batch, size, size), DataType.INT64);
			final List<NDArray> params = new ArrayList<>(net.state().parameters().values());
			final List<NDArray> buffers = new ArrayList<>();
			for (final NDArray p : params)
				buffers.add(optimizerState.zeros(p.getShape()));
			final double[] times = new double[steps];
			final double[] phase = new double[4];
			double rssStart = 0;
			float loss = Float.NaN;
			for (int i = 0; i < warmup + steps; i++) {
				if (i == warmup) rssStart = ProcessMemory.residentMegabytes();
				final long t0 = System.nanoTime();
				long t1, t2, t3;
				try (NDManager step = root.newSubManager()) {
					// an op's result joins its first operand's manager: the step's inputs must be step arrays,
					// or every activation would pile up in the long-lived data manager
					final NDArray xs = x.duplicate();
					xs.attach(step);
					final NDArray ys = y.duplicate();
					ys.attach(step);
					net.state().zeroGradients();
					try (GradientCollector collector = engine.newGradientCollector()) {
						final NDArray logits = net.forward(xs, true);
						if (phases) logits.toFloatArray();
						t1 = System.nanoTime();
						final NDArray l = CeDiceLoss.of(logits, ys);
						l.tempAttach(step);
						t2 = System.nanoTime();
						collector.backward(l);
						loss = l.getFloat();
						t3 = System.nanoTime();
					}
					for (int k = 0; k < params.size(); k++) {
						final NDArray p = params.get(k);
						final NDArray buffer = buffers.get(k);
						try (NDArray g = p.getGradient(); NDArray decay = p.mul(weightDecay)) {
							g.addi(decay);
							buffer.muli(momentum).addi(g);
							try (NDArray update = buffer.mul(lr)) {
								p.subi(update);
							}
						}
					}
				}
				final long t4 = System.nanoTime();
				if (i >= warmup && steps >= 100 && (i - warmup + 1) % (steps / 4) == 0)
					System.out.printf("djl rss after %d steps: %.0f MB, loss %.4f%n", i - warmup + 1, ProcessMemory.residentMegabytes(), loss);
				if (i >= warmup) {
					times[i - warmup] = (t4 - t0) / 1e9;
					phase[0] += (t1 - t0) / 1e9;
					phase[1] += (t2 - t1) / 1e9;
					phase[2] += (t3 - t2) / 1e9;
					phase[3] += (t4 - t3) / 1e9;
				}
			}
			final double[] sorted = times.clone();
			Arrays.sort(sorted);
			System.out.printf("djl threads=%d batch=%dx1x%dx%d classes=%d steps=%d median_s=%.4f mean_s=%.4f min_s=%.4f " +
				"rss_start_mb=%.0f rss_end_mb=%.0f peak_mb=%.0f loss=%.4f%n", threads, batch, size, size, classes, steps,
				sorted[steps / 2], Arrays.stream(times).average().orElse(Double.NaN), sorted[0], rssStart,
				ProcessMemory.residentMegabytes(), ProcessMemory.peakMegabytes(), loss);
			if (phases)
				System.out.printf("djl phases mean_s: forward=%.4f loss=%.4f backward=%.4f update=%.4f%n", phase[0] / steps,
					phase[1] / steps, phase[2] / steps, phase[3] / steps);
		}
	}
}
