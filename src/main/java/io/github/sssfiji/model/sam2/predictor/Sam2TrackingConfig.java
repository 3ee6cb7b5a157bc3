package io.github.sssfiji.model.sam2.predictor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;

/**
 * The {@code SAM2Base} flags that steer {@code track_step} (memory selection, object pointers, SAM
 * heads, memory encoding), with the values every official v1 video model uses
 * ({@link #officialV1()}: the yaml of tiny, small, base_plus and large plus the overrides of
 * {@code build_sam2_video_predictor}). Flags whose alternative needs parameters that
 * {@link Sam2Model} does not hold (SAM 2.1's {@code no_obj_embed_spatial} and
 * {@code proj_tpos_enc_in_obj_ptrs}, a linear object-pointer projection, a linear object-score head)
 * are refused when parsed rather than silently ignored. Immutable.
 */
public final class Sam2TrackingConfig {

	final int numMaskmem;
	final int imageSize;
	final boolean directlyAddNoMemEmbed;
	final boolean multimaskOutputInSam;
	final int multimaskMinPtNum;
	final int multimaskMaxPtNum;
	final boolean multimaskOutputForTracking;
	final boolean useMultimaskTokenForObjPtr;
	final boolean predObjScores;
	final boolean softNoObjPtr;
	final boolean fixedNoObjPtr;
	final boolean useObjPtrsInEncoder;
	final boolean addTposEncToObjPtrs;
	final boolean useSignedTposEncToObjPtrs;
	final boolean onlyObjPtrsInThePastForEval;
	final int maxObjPtrsInEncoder;
	final int maxCondFramesInAttn;
	final int memoryTemporalStrideForEval;
	final float sigmoidScaleForMemEnc;
	final float sigmoidBiasForMemEnc;
	final boolean binarizeMaskFromPtsForMemEnc;
	final boolean useMaskInputAsOutputWithoutSam;
	final boolean dynamicMultimaskViaStability;
	final float stabilityDelta;
	final float stabilityThreshold;

	private Sam2TrackingConfig(final JsonObject m, final int numMaskmem, final int imageSize, final String source) {
		this.numMaskmem = numMaskmem;
		this.imageSize = imageSize;
		directlyAddNoMemEmbed = bool(m, "directly_add_no_mem_embed", true);
		multimaskOutputInSam = bool(m, "multimask_output_in_sam", true);
		multimaskMinPtNum = integer(m, "multimask_min_pt_num", 0);
		multimaskMaxPtNum = integer(m, "multimask_max_pt_num", 1);
		multimaskOutputForTracking = bool(m, "multimask_output_for_tracking", true);
		useMultimaskTokenForObjPtr = bool(m, "use_multimask_token_for_obj_ptr", true);
		predObjScores = bool(m, "pred_obj_scores", true);
		softNoObjPtr = bool(m, "soft_no_obj_ptr", false);
		fixedNoObjPtr = bool(m, "fixed_no_obj_ptr", true);
		useObjPtrsInEncoder = bool(m, "use_obj_ptrs_in_encoder", true);
		addTposEncToObjPtrs = bool(m, "add_tpos_enc_to_obj_ptrs", false);
		useSignedTposEncToObjPtrs = bool(m, "use_signed_tpos_enc_to_obj_ptrs", false);
		onlyObjPtrsInThePastForEval = bool(m, "only_obj_ptrs_in_the_past_for_eval", true);
		maxObjPtrsInEncoder = integer(m, "max_obj_ptrs_in_encoder", 16);
		maxCondFramesInAttn = integer(m, "max_cond_frames_in_attn", -1);
		memoryTemporalStrideForEval = integer(m, "memory_temporal_stride_for_eval", 1);
		sigmoidScaleForMemEnc = (float) number(m, "sigmoid_scale_for_mem_enc", 20.0);
		sigmoidBiasForMemEnc = (float) number(m, "sigmoid_bias_for_mem_enc", -10.0);
		binarizeMaskFromPtsForMemEnc = bool(m, "binarize_mask_from_pts_for_mem_enc", true);
		useMaskInputAsOutputWithoutSam = bool(m, "use_mask_input_as_output_without_sam", true);
		final JsonObject extra = m.has("sam_mask_decoder_extra_args") && m.get("sam_mask_decoder_extra_args").isJsonObject()
			? m.getAsJsonObject("sam_mask_decoder_extra_args") : defaultDecoderArgs();
		dynamicMultimaskViaStability = bool(extra, "dynamic_multimask_via_stability", false);
		stabilityDelta = (float) number(extra, "dynamic_multimask_stability_delta", 0.05);
		stabilityThreshold = (float) number(extra, "dynamic_multimask_stability_thresh", 0.98);
		refuse(m, source);
	}

	/** The flags of every official SAM 2 v1 video model (as {@code build_sam2_video_predictor} sets them). */
	public static Sam2TrackingConfig officialV1(final Sam2Config model) {
		final JsonObject m = new JsonObject();
		return new Sam2TrackingConfig(m, model.numMaskmem(), model.imageSize(), "official v1 defaults");
	}

	/** Reads the tracking flags of a {@code config.json} ({@code {"model": {...SAM2Base arguments}}}); absent flags take the v1 values. */
	public static Sam2TrackingConfig parse(final Path file, final Sam2Config model) throws IOException {
		try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			final JsonElement root = JsonParser.parseReader(r);
			if (!root.isJsonObject() || !root.getAsJsonObject().has("model") || !root.getAsJsonObject().get("model").isJsonObject())
				throw new InvalidInputException("SAM 2 config " + file + " has no object 'model'");
			return new Sam2TrackingConfig(root.getAsJsonObject().getAsJsonObject("model"), model.numMaskmem(), model.imageSize(),
				file.toString());
		}
		catch (final JsonParseException | IllegalStateException | UnsupportedOperationException | ClassCastException e) {
			throw new InvalidInputException("SAM 2 config " + file + " is not valid JSON of the expected form: " + e.getMessage(), e);
		}
	}

	/** {@code build_sam2} adds these to the yaml; they are part of the v1 defaults. */
	private static JsonObject defaultDecoderArgs() {
		final JsonObject o = new JsonObject();
		o.addProperty("dynamic_multimask_via_stability", true);
		return o;
	}

	private static void refuse(final JsonObject m, final String source) {
		final String where = "SAM 2 config " + source + ": ";
		if (bool(m, "no_obj_embed_spatial", false))
			throw new InvalidInputException(where + "no_obj_embed_spatial (SAM 2.1) needs a parameter the v1 model does not hold");
		if (bool(m, "proj_tpos_enc_in_obj_ptrs", false))
			throw new InvalidInputException(where + "proj_tpos_enc_in_obj_ptrs (SAM 2.1) needs obj_ptr_tpos_proj, which the v1 model does not hold");
		if (!bool(m, "use_mlp_for_obj_ptr_proj", true))
			throw new InvalidInputException(where + "use_mlp_for_obj_ptr_proj=false (a linear obj_ptr_proj) is not supported");
		if (!bool(m, "pred_obj_scores_mlp", true) && bool(m, "pred_obj_scores", true))
			throw new InvalidInputException(where + "pred_obj_scores_mlp=false (a linear object-score head) is not supported");
		if (!bool(m, "use_high_res_features_in_sam", true))
			throw new InvalidInputException(where + "use_high_res_features_in_sam=false is not supported");
		if (!bool(m, "iou_prediction_use_sigmoid", true))
			throw new InvalidInputException(where + "iou_prediction_use_sigmoid=false is not supported");
		if (integer(m, "memory_temporal_stride_for_eval", 1) < 1)
			throw new InvalidInputException(where + "memory_temporal_stride_for_eval must be at least 1");
		final int maxCond = integer(m, "max_cond_frames_in_attn", -1);
		if (maxCond != -1 && maxCond < 2)
			throw new InvalidInputException(where + "max_cond_frames_in_attn must be -1 or at least 2, got " + maxCond);
	}

	/** Object pointers attended to for a sequence of {@code numFrames}: {@code min(num_frames, max_obj_ptrs_in_encoder)}. */
	int maxObjPtrs(final int numFrames) {
		return Math.min(numFrames, maxObjPtrsInEncoder);
	}

	/** {@code _use_multimask}: several masks only for 0..1 points (v1), on the first conditioning frame or when tracking. */
	boolean useMultimask(final boolean initCondFrame, final int numPoints) {
		return multimaskOutputInSam && (initCondFrame || multimaskOutputForTracking) && multimaskMinPtNum <= numPoints &&
			numPoints <= multimaskMaxPtNum;
	}

	public int numMaskmem() {
		return numMaskmem;
	}

	public int memoryTemporalStride() {
		return memoryTemporalStrideForEval;
	}

	private static boolean bool(final JsonObject o, final String key, final boolean fallback) {
		return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsBoolean() : fallback;
	}

	private static int integer(final JsonObject o, final String key, final int fallback) {
		return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : fallback;
	}

	private static double number(final JsonObject o, final String key, final double fallback) {
		return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsDouble() : fallback;
	}
}
