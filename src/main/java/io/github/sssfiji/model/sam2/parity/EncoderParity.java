package io.github.sssfiji.model.sam2.parity;

import java.util.List;

import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import io.github.sssfiji.model.sam2.modeling.ImageFeatures;
import io.github.sssfiji.model.sam2.predictor.Sam2Transforms;

/**
 * {@code image/} and {@code encoder/}: the [0, 1] image and the normalised model input from the raw
 * uint8 image, then the Hiera stage outputs, FPN levels and their position encodings, the
 * high-resolution decoder features and the image embedding, as the image predictor computes them.
 */
@Plugin(type = ParityGroup.class, name = "encoder")
public class EncoderParity implements ParityGroup {

	static final double ABS = 1e-4;
	static final double REL = 1e-3;

	@Override
	public String name() {
		return "encoder";
	}

	@Override
	public List<String> prefixes() {
		return List.of("image/", "encoder/");
	}

	@Override
	public void compare(final ParityRun run, final ParityReport report) throws Exception {
		final ParityFolder folder = run.folder();
		report.input(ParityRun.IMAGE);
		final int h = run.imageHeight(), w = run.imageWidth(), s = folder.config().imageSize();
		final float[] unit = Sam2Transforms.toUnit(run.imagePixels(), h, w, 1);
		check(run, report, "image/image_01.npy", unit, new long[] { h, w });
		check(run, report, "image/image_norm.npy", Sam2Transforms.normalizeUnit(unit, 1, h, w, s, true), new long[] { 1, 3, s, s });
		final ImageFeatures f = run.features();
		final int stages = folder.config().stages().length;
		for (int i = 0; i < stages; i++) {
			check(run, report, "encoder/trunk_stage" + i + ".npy", f.trunkStage(i));
			check(run, report, "encoder/neck_fpn" + i + ".npy", f.neckLevel(i));
			check(run, report, "encoder/neck_pos" + i + ".npy", f.neckPosition(i));
		}
		check(run, report, "encoder/feat_s0.npy", f.highResS0());
		check(run, report, "encoder/feat_s1.npy", f.highResS1());
		check(run, report, "encoder/image_embed.npy", f.imageEmbedding());
	}

	private static void check(final ParityRun run, final ParityReport report, final String file, final float[] actual,
		final long[] shape) throws Exception
	{
		if (run.folder().lists(file))
			report.add(ParityCheck.compare(file, actual, shape, run.folder().read(file), ABS, REL));
	}

	private static void check(final ParityRun run, final ParityReport report, final String file, final NDArray actual)
		throws Exception
	{
		if (run.folder().lists(file)) report.add(ParityCheck.compare(file, actual, run.folder().read(file), ABS, REL));
	}
}
