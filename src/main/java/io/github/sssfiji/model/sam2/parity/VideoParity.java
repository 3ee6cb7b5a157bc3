package io.github.sssfiji.model.sam2.parity;

import java.io.IOException;
import java.util.List;

import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.model.sam2.modeling.ImageFeatures;
import io.github.sssfiji.model.sam2.predictor.Bf16;
import io.github.sssfiji.model.sam2.predictor.Sam2Tracker;
import io.github.sssfiji.model.sam2.predictor.Sam2TrackingConfig;
import io.github.sssfiji.model.sam2.predictor.Sam2Transforms;
import io.github.sssfiji.model.sam2.predictor.TrackedFrame;
import io.github.sssfiji.model.sam2.predictor.TrackingPrompt;

/**
 * {@code video/} and {@code video_bf16mem/}: the frame-by-frame {@code track_step} sequence from the
 * recorded grey frames and the frame-0 box, with a float32 memory bank and with memories rounded to
 * bfloat16 as the official video predictor stores them (looser tolerance, as the fixture states). The
 * float32 sequence tracks the encoder's features, so that they are compared too; the bfloat16 one
 * tracks the frames' pixels, as the tracker's callers do. Stored bfloat16 memories must also be
 * bfloat16 numbers, which the tolerance alone would not notice.
 */
@Plugin(type = ParityGroup.class, name = "video")
public class VideoParity implements ParityGroup {

	static final double BF16_ABS = 1e-3, BF16_REL = 1e-2;

	@Override
	public String name() {
		return "video";
	}

	@Override
	public List<String> prefixes() {
		return List.of("video/", "video_bf16mem/");
	}

	@Override
	public void compare(final ParityRun run, final ParityReport report) throws Exception {
		final ParityFolder folder = run.folder();
		if (!folder.lists("video/frame0_image_u8.npy")) return;
		int frames = 0;
		while (folder.lists("video/frame" + frames + "_image_u8.npy"))
			frames++;
		final Sam2TrackingConfig tracking = Sam2TrackingConfig.parse(folder.dir().resolve("config.json"), folder.config());
		final TrackingPrompt box = boxPrompt(folder, report);
		track(run, report, tracking, box, frames, false);
		if (folder.lists("video_bf16mem/frame1_memattn_memory.npy") || folder.lists("video_bf16mem/frame0_maskmem_features_bf16.npy"))
			track(run, report, tracking, box, frames, true);
	}

	private static void track(final ParityRun run, final ParityReport report, final Sam2TrackingConfig tracking, final TrackingPrompt box,
		final int frames, final boolean bf16) throws IOException
	{
		final ParityFolder folder = run.folder();
		final String prefix = bf16 ? "video_bf16mem/frame" : "video/frame";
		final double abs = bf16 ? BF16_ABS : EncoderParity.ABS, rel = bf16 ? BF16_REL : EncoderParity.REL;
		try (NDManager manager = run.newManager();
			Sam2Tracker tracker = new Sam2Tracker(run.model(), tracking, manager, frames, bf16))
		{
			for (int t = 0; t < frames; t++) {
				final String frame = "video/frame" + t + "_image_u8.npy";
				report.input(frame);
				final TensorData u8 = folder.read(frame);
				final long[] shape = u8.shape();
				if (shape.length != 2) throw new InvalidInputException(folder.dir() + "/" + frame + " must be H x W (grey)");
				final int h = (int) shape[0], w = (int) shape[1];
				final String p = prefix + t + "_";
				try (NDManager step = manager.newSubManager();
					TrackedFrame f = track(run, tracker, step, u8.bytes(), h, w, t == 0 ? box : null, report, bf16 ? null : p + "vision_feat.npy"))
				{
					if (bf16) compareBf16(report, folder, p + "maskmem_features_bf16.npy", f.storedMaskmemFeatures());
					if (t == 0) {
						if (bf16) continue; // frame 0 has no memory input: its outputs are those of video/
						compare(report, folder, "video/maskmem_pos_enc.npy", f.maskmemPosEnc(), abs, rel);
						final String mask = "video/frame0_mem_enc_mask_positive.npy";
						if (folder.lists(mask)) {
							// the fixture stores the S x S mask without batch and channel axes
							final long[] hw = f.highResMasks().getShape().slice(2).getShape();
							report.add(ParityCheck.compareMask(mask, f.highResMasks().toFloatArray(), hw, folder.read(mask).longs(),
								folder.unpackedShape(mask), 1e-3));
						}
					}
					else {
						compare(report, folder, p + "memattn_memory.npy", f.memory().transpose(1, 0, 2), abs, rel);
						compare(report, folder, p + "memattn_memory_pos.npy", f.memoryPos().transpose(1, 0, 2), abs, rel);
					}
					compare(report, folder, p + "pix_feat_with_mem.npy", f.pixFeatWithMem(), abs, rel);
					compare(report, folder, p + "low_res_multimasks.npy", f.lowResMultimasks(), abs, rel);
					compare(report, folder, p + "ious.npy", f.ious(), abs, rel);
					compare(report, folder, p + "pred_masks.npy", f.lowResMasks(), abs, rel);
					compare(report, folder, p + "obj_ptr.npy", f.objPtr(), abs, rel);
					compare(report, folder, p + "object_score_logits.npy", f.objectScoreLogits(), abs, rel);
					compare(report, folder, p + "maskmem_features.npy", f.maskmemFeatures(), abs, rel);
				}
			}
		}
	}

	/**
	 * Tracks one grey frame: from its pixels, or, when {@code visionFeatures} names the reference of
	 * the encoder's last neck level, from the features encoded here and compared with it.
	 */
	private static TrackedFrame track(final ParityRun run, final Sam2Tracker tracker, final NDManager step, final byte[] pixels, final int h,
		final int w, final TrackingPrompt prompt, final ParityReport report, final String visionFeatures) throws IOException
	{
		if (visionFeatures == null) return tracker.track(pixels, h, w, 1, prompt);
		final int s = run.folder().config().imageSize();
		final NDArray image = step.create(Sam2Transforms.normalize(pixels, h, w, 1, s), new Shape(1, 3, s, s));
		final ImageFeatures features = run.model().forwardImage(image);
		compare(report, run.folder(), visionFeatures, features.neckLevel(2), EncoderParity.ABS, EncoderParity.REL);
		return tracker.track(features, prompt);
	}

	/** The bfloat16 tolerance, and every stored value a bfloat16 number. */
	private static void compareBf16(final ParityReport report, final ParityFolder folder, final String file, final NDArray stored) throws IOException {
		if (!folder.lists(file)) return;
		final float[] values = stored.toFloatArray();
		int notBf16 = 0;
		for (final float v : values)
			if (Bf16.round(v) != v) notBf16++;
		if (notBf16 == 0) compare(report, folder, file, stored, BF16_ABS, BF16_REL);
		else report.add(ParityCheck.failed(file, notBf16 + " of " + values.length + " stored values are not bfloat16 numbers"));
	}

	private static void compare(final ParityReport report, final ParityFolder folder, final String file, final NDArray actual, final double abs,
		final double rel) throws IOException
	{
		if (folder.lists(file)) report.add(ParityCheck.compare(file, actual, folder.read(file), abs, rel));
	}

	/** The frame-0 box from the recorded point inputs (labels 2 and 3 are a box's corners). */
	private static TrackingPrompt boxPrompt(final ParityFolder folder, final ParityReport report) throws IOException {
		final String coords = "video/frame0_point_coords.npy", labels = "video/frame0_point_labels.npy";
		report.input(coords);
		report.input(labels);
		final long[] l = folder.read(labels).longs();
		if (l.length != 2 || l[0] != 2 || l[1] != 3)
			throw new InvalidInputException(folder.dir() + "/" + labels + ": expected a box prompt (labels [2, 3])");
		return TrackingPrompt.box(folder.read(coords).floats());
	}
}
