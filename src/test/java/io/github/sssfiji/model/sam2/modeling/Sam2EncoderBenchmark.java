package io.github.sssfiji.model.sam2.modeling;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.util.ProcessMemory;

/**
 * Times the SAM 2 image encoder forward (Hiera trunk + FPN neck, random weights, no gradient) on a
 * random 1 x 3 x S x S input. Run by {@code bench/sam2/encoder.sh}; threads come from
 * {@code -Dai.djl.pytorch.num_threads}. Prints one CSV line:
 * {@code config,size,threads,median_ms,min_ms,params,vmhwm_mb}.
 * <p>
 * Usage: {@code Sam2EncoderBenchmark CONFIG SIZE RUNS WARMUP} with CONFIG {@code tiny}, {@code small}
 * or {@code micro} (the parity fixture's widths, from the shared folder).
 * </p>
 */
public final class Sam2EncoderBenchmark {

	private Sam2EncoderBenchmark() {}

	public static void main(final String[] args) throws IOException {
		final String name = args[0];
		final int size = Integer.parseInt(args[1]), runs = Integer.parseInt(args[2]), warmUp = Integer.parseInt(args[3]);
		final Sam2Config config = name.equals("micro") ? Sam2Config.parse(TestData.sam2Parity().resolve("config.json"))
			: Sam2Config.preset(name);
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final ModelState state = new ModelState(root);
			final ImageEncoder encoder = new ImageEncoder(state.scope("image_encoder"), config);
			final long params = state.parameterCount();
			final double[] ms = new double[runs];
			for (int i = 0; i < warmUp + runs; i++) {
				try (NDManager step = root.newSubManager()) {
					final NDList input = new NDList(step.randomNormal(new Shape(1, 3, size, size)));
					final long t = System.nanoTime();
					final NDList out = encoder.forward(input.head());
					out.get(out.size() - 1).toFloatArray(); // waits for the result
					if (i >= warmUp) ms[i - warmUp] = (System.nanoTime() - t) / 1e6;
				}
			}
			Arrays.sort(ms);
			System.out.println(String.format(Locale.ROOT, "%s,%d,%s,%.1f,%.1f,%d,%.0f", name, size,
				System.getProperty("ai.djl.pytorch.num_threads", "default"), ms[runs / 2], ms[0], params, ProcessMemory.peakMegabytes()));
		}
	}
}
