package io.github.sssfiji.model.sam2.parity;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.model.sam2.modeling.ImageFeatures;
import io.github.sssfiji.model.sam2.modeling.MaskDecoder;
import io.github.sssfiji.model.sam2.modeling.PromptEncoder;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.model.sam2.predictor.Sam2ImagePredictor;
import io.github.sssfiji.model.sam2.predictor.Sam2Prompt;

/**
 * {@code prompts/}: for every case folder, from its raw inputs (points, labels, box, mask prompt in
 * original pixels) and the image encoded by the predictor: the prompt-encoder inputs (exact) and
 * outputs, the raw decoder outputs of all tokens, and per {@code multi/} and {@code single/} the
 * selected low-res logits, IoUs, output tokens and object score, the boolean masks at the original
 * size (a pixel may differ only where |logit| < 1e-3) and the upscaled logits.
 */
@Plugin(type = ParityGroup.class, name = "prompts")
public class PromptParity implements ParityGroup {

	private static final String DIR = "prompts/";
	private static final double MASK_MARGIN = 1e-3;

	@Override
	public String name() {
		return "prompts";
	}

	@Override
	public List<String> prefixes() {
		return List.of(DIR);
	}

	@Override
	public void compare(final ParityRun run, final ParityReport report) throws Exception {
		final ParityFolder folder = run.folder();
		final Sam2Model model = run.model();
		final PromptEncoder encoder = model.promptEncoder();
		final int s = folder.config().imageSize(), low = s / 4, d = folder.config().dModel();
		final int h = run.imageHeight(), w = run.imageWidth();
		final Sam2ImagePredictor predictor = run.predictor();
		final ImageFeatures features = run.features();
		try (NDManager m = run.newManager()) {
			check(report, folder, DIR + "image_pe.npy", encoder.densePositionEncoding(m));
			check(report, folder, DIR + "dense_embeddings_nomask.npy", encoder.noMaskDense(m, 1));
		}
		final Set<String> cases = new LinkedHashSet<>();
		for (final String file : folder.files())
			if (file.startsWith(DIR) && file.indexOf('/', DIR.length()) > 0) cases.add(file.substring(0, file.indexOf('/', DIR.length()) + 1));
		for (final String c : cases) {
			final float[] points = floats(folder, report, c + "input_points.npy");
			final long[] labelValues = longs(folder, report, c + "input_labels.npy");
			final float[] box = floats(folder, report, c + "input_box.npy");
			final float[] mask = floats(folder, report, c + "input_mask_logits.npy");
			final int[] labels = labelValues == null ? null : new int[labelValues.length];
			for (int i = 0; labels != null && i < labels.length; i++) labels[i] = (int) labelValues[i];
			final Sam2Prompt prompt = Sam2Prompt.of(points, labels, box, mask);
			final int n = prompt.sparseCount();
			final float[] coords = prompt.modelCoords(w, h, s);
			final float[] modelLabels = prompt.modelLabels();
			check(report, folder, c + "pe_point_coords.npy", coords, new long[] { 1, n, 2 }, 0, 0);
			check(report, folder, c + "pe_point_labels.npy", modelLabels, new long[] { 1, n }, 0, 0);
			if (mask != null) check(report, folder, c + "pe_mask.npy", mask, new long[] { 1, 1, low, low }, 0, 0);
			try (NDManager m = run.newManager()) {
				final NDArray sparse = n == 0 ? m.zeros(new Shape(1, 0, d))
					: encoder.embedPoints(m.create(coords, new Shape(1, n, 2)), m.create(modelLabels, new Shape(1, n)), true);
				final NDArray dense = mask == null ? encoder.noMaskDense(m, 1)
					: encoder.embedMask(m.create(mask, new Shape(1, 1, low, low)));
				check(report, folder, c + "sparse_embeddings.npy", sparse);
				if (mask != null) check(report, folder, c + "dense_embeddings.npy", dense);
				final NDArray pe = encoder.densePositionEncoding(m);
				final MaskDecoder.Output out = model.maskDecoder().predict(features.imageEmbedding(), pe, sparse, dense,
					features.highResS0(), features.highResS1());
				check(report, folder, c + "decoder_token0_mask.npy", out.allMasks.get(":, 0:1, :, :"));
				check(report, folder, c + "decoder_all_iou.npy", out.allIou);
				check(report, folder, c + "decoder_all_mask_tokens.npy", out.allMaskTokens);
				for (final boolean multi : new boolean[] { true, false }) {
					final String sub = c + (multi ? "multi/" : "single/");
					final NDList selected = out.select(multi, true, 0.05f, 0.98f, true);
					check(report, folder, sub + "sam_output_tokens.npy", selected.get(2));
					// the user-facing path: the predictor from the raw prompt
					final Sam2ImagePredictor.Prediction p = predictor.predict(prompt, multi);
					check(report, folder, sub + "low_res_masks.npy", p.lowResLogits, new long[] { 1, p.masks, low, low }, EncoderParity.ABS,
						EncoderParity.REL);
					check(report, folder, sub + "iou_predictions.npy", p.iou, new long[] { 1, p.masks }, EncoderParity.ABS, EncoderParity.REL);
					check(report, folder, sub + "object_score_logits.npy", new float[] { p.objectScore }, new long[] { 1, 1 }, EncoderParity.ABS,
						EncoderParity.REL);
					check(report, folder, sub + "masks_logits_upscaled.npy", p.logits, new long[] { p.masks, h, w }, EncoderParity.ABS,
						EncoderParity.REL);
					if (folder.lists(sub + "masks_bool.npy"))
						report.add(ParityCheck.compareMask(sub + "masks_bool.npy", p.logits, new long[] { p.masks, h, w },
							folder.read(sub + "masks_bool.npy").longs(), folder.unpackedShape(sub + "masks_bool.npy"), MASK_MARGIN));
				}
			}
		}
	}

	private static float[] floats(final ParityFolder folder, final ParityReport report, final String file) throws Exception {
		if (!folder.lists(file)) return null;
		report.input(file);
		return folder.read(file).floats();
	}

	private static long[] longs(final ParityFolder folder, final ParityReport report, final String file) throws Exception {
		if (!folder.lists(file)) return null;
		report.input(file);
		final TensorData t = folder.read(file);
		return t.longs();
	}

	private static void check(final ParityReport report, final ParityFolder folder, final String file, final NDArray actual)
		throws Exception
	{
		if (folder.lists(file)) report.add(ParityCheck.compare(file, actual, folder.read(file), EncoderParity.ABS, EncoderParity.REL));
	}

	private static void check(final ParityReport report, final ParityFolder folder, final String file, final float[] actual,
		final long[] shape, final double abs, final double rel) throws Exception
	{
		if (folder.lists(file)) report.add(ParityCheck.compare(file, actual, shape, folder.read(file), abs, rel));
	}
}
