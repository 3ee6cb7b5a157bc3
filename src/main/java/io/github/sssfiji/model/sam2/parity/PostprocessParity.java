package io.github.sssfiji.model.sam2.parity;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.scijava.plugin.Plugin;

import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.model.sam2.predictor.Sam2Postprocess;
import io.github.sssfiji.nn.Resize;

/**
 * {@code postprocess/}: mask upsampling to a non-square original size (the size is the output's
 * shape) and the point-coordinate transform from an original size stated in the manifest
 * ({@code HxW=[h, w]} in the meaning of {@code coords_in.npy}); coordinates must match exactly.
 */
@Plugin(type = ParityGroup.class, name = "postprocess")
public class PostprocessParity implements ParityGroup {

	private static final Pattern SIZE = Pattern.compile("HxW\\s*=\\s*\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]");

	@Override
	public String name() {
		return "postprocess";
	}

	@Override
	public List<String> prefixes() {
		return List.of("postprocess/");
	}

	@Override
	public void compare(final ParityRun run, final ParityReport report) throws Exception {
		final ParityFolder folder = run.folder();
		final int s = folder.config().imageSize();
		final String low = "postprocess/nonsquare_input_low_res.npy", logits = "postprocess/nonsquare_masks_logits.npy";
		if (folder.lists(low) && folder.lists(logits)) {
			report.input(low);
			final TensorData in = folder.read(low);
			final long[] outShape = folder.unpackedShape(logits);
			final int c = (int) in.shape()[1], inH = (int) in.shape()[2], inW = (int) in.shape()[3];
			final int outH = (int) outShape[outShape.length - 2], outW = (int) outShape[outShape.length - 1];
			report.add(ParityCheck.compare(logits, Resize.bilinear(in.floats(), c, inH, inW, outH, outW, false),
				new long[] { 1, c, outH, outW }, folder.read(logits), EncoderParity.ABS, EncoderParity.REL));
		}
		final String coordsIn = "postprocess/coords_in.npy", coordsOut = "postprocess/coords_out.npy";
		if (folder.lists(coordsIn) && folder.lists(coordsOut)) {
			report.input(coordsIn);
			final Matcher m = SIZE.matcher(folder.meaning(coordsIn));
			if (!m.find()) {
				report.add(ParityCheck.failed(coordsOut, "the manifest entry of " + coordsIn + " does not state the original size as HxW=[h, w]"));
				return;
			}
			final int h = Integer.parseInt(m.group(1)), w = Integer.parseInt(m.group(2));
			final TensorData in = folder.read(coordsIn);
			report.add(ParityCheck.compare(coordsOut, Sam2Postprocess.transformCoords(in.floats(), w, h, s), in.shape(), folder.read(coordsOut),
				0, 0));
		}
	}
}
