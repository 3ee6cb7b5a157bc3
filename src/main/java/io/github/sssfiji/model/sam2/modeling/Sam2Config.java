package io.github.sssfiji.model.sam2.modeling;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;

/**
 * The constructor arguments of a SAM 2 (v1) model that change its structure: the Hiera trunk, the
 * FPN neck, the image size and the memory widths. Immutable; built from an official preset or parsed
 * from a hydra-style {@code config.json} ({@code model._target_ = SAM2Base}).
 */
public final class Sam2Config {

	private final String name;
	private final int imageSize;
	private final int embedDim;
	private final int numHeads;
	private final int[] stages;
	private final int[] globalAttBlocks;
	private final int[] windowSpec;
	private final int[] windowPosEmbedBkgSpatialSize;
	private final int qPool;
	private final int[] qStride;
	private final double dimMul;
	private final double headMul;
	private final double mlpRatio;
	private final int dModel;
	private final int[] backboneChannelList;
	private final int[] fpnTopDownLevels;
	private final int scalp;
	private final int memDim;
	private final int numMaskmem;
	private final int memoryFeedForward;

	private Sam2Config(final Builder b) {
		this.name = b.name;
		this.imageSize = b.imageSize;
		this.embedDim = b.embedDim;
		this.numHeads = b.numHeads;
		this.stages = b.stages.clone();
		this.globalAttBlocks = b.globalAttBlocks.clone();
		this.windowSpec = b.windowSpec.clone();
		this.windowPosEmbedBkgSpatialSize = b.windowPosEmbedBkgSpatialSize.clone();
		this.qPool = b.qPool;
		this.qStride = b.qStride.clone();
		this.dimMul = b.dimMul;
		this.headMul = b.headMul;
		this.mlpRatio = b.mlpRatio;
		this.dModel = b.dModel;
		this.backboneChannelList = b.backboneChannelList.clone();
		this.fpnTopDownLevels = b.fpnTopDownLevels.clone();
		this.scalp = b.scalp;
		this.memDim = b.memDim;
		this.numMaskmem = b.numMaskmem;
		this.memoryFeedForward = b.memoryFeedForward;
		validate();
	}

	/** Official SAM 2 v1 Hiera-T ({@code sam2_hiera_t.yaml}, checkpoint {@code sam2_hiera_tiny.pt}). */
	public static Sam2Config hieraTiny() {
		return official("hiera_tiny", 96, 1, new int[] { 1, 2, 7, 2 }, new int[] { 5, 7, 9 }, new int[] { 8, 4, 14, 7 }, 7);
	}

	/** Official SAM 2 v1 Hiera-S ({@code sam2_hiera_s.yaml}). */
	public static Sam2Config hieraSmall() {
		return official("hiera_small", 96, 1, new int[] { 1, 2, 11, 2 }, new int[] { 7, 10, 13 }, new int[] { 8, 4, 14, 7 }, 7);
	}

	/** Official SAM 2 v1 Hiera-B+ ({@code sam2_hiera_b+.yaml}: the Hiera defaults with embed 112, 2 heads; checked against the yaml). */
	public static Sam2Config hieraBasePlus() {
		return official("hiera_base_plus", 112, 2, new int[] { 2, 3, 16, 3 }, new int[] { 12, 16, 20 }, new int[] { 8, 4, 14, 7 }, 14);
	}

	/** Official SAM 2 v1 Hiera-L ({@code sam2_hiera_l.yaml}; values checked against the yaml). */
	public static Sam2Config hieraLarge() {
		return official("hiera_large", 144, 2, new int[] { 2, 6, 36, 4 }, new int[] { 23, 33, 43 }, new int[] { 8, 4, 16, 8 }, 7);
	}

	/**
	 * The micro model of the parity fixture ({@code sam2-parity/config.json}, {@code micro_widths}):
	 * Hiera-T's depths, windows and global blocks with embed 8 (stage widths 8-16-32-64), FPN and
	 * decoder width 48, memory width 12, memory-attention FFN 192, image size 256. Small enough to
	 * train on two CPU cores; its structure is checked against the fixture in the tests.
	 */
	public static Sam2Config micro() {
		final Builder b = new Builder("micro");
		b.imageSize = 256;
		b.embedDim = 8;
		b.numHeads = 1;
		b.stages = new int[] { 1, 2, 7, 2 };
		b.globalAttBlocks = new int[] { 5, 7, 9 };
		b.windowSpec = new int[] { 8, 4, 14, 7 };
		b.windowPosEmbedBkgSpatialSize = new int[] { 7, 7 };
		b.backboneChannelList = new int[] { 64, 32, 16, 8 };
		b.dModel = 48;
		b.memDim = 12;
		b.memoryFeedForward = 192;
		return new Sam2Config(b);
	}

	/**
	 * This configuration for another input size. No weight shape depends on the image size (Hiera
	 * interpolates its position embedding, the prompt encoder normalises by it), so imported weights
	 * fit; the size must be a multiple of 32.
	 */
	public Sam2Config withImageSize(final int size) {
		final Builder b = new Builder(name);
		b.imageSize = size;
		b.embedDim = embedDim;
		b.numHeads = numHeads;
		b.stages = stages;
		b.globalAttBlocks = globalAttBlocks;
		b.windowSpec = windowSpec;
		b.windowPosEmbedBkgSpatialSize = windowPosEmbedBkgSpatialSize;
		b.qPool = qPool;
		b.qStride = qStride;
		b.dimMul = dimMul;
		b.headMul = headMul;
		b.mlpRatio = mlpRatio;
		b.dModel = dModel;
		b.backboneChannelList = backboneChannelList;
		b.fpnTopDownLevels = fpnTopDownLevels;
		b.scalp = scalp;
		b.memDim = memDim;
		b.numMaskmem = numMaskmem;
		b.memoryFeedForward = memoryFeedForward;
		return new Sam2Config(b);
	}

	/** A preset by name: {@code micro, tiny, small, base_plus, large} (with or without a {@code hiera_} prefix). */
	public static Sam2Config preset(final String presetName) {
		switch (presetName.toLowerCase(Locale.ROOT).replace("hiera_", "").replace("b+", "base_plus")) {
			case "micro": return micro();
			case "tiny": case "t": return hieraTiny();
			case "small": case "s": return hieraSmall();
			case "base_plus": case "b": return hieraBasePlus();
			case "large": case "l": return hieraLarge();
			default:
				throw new InvalidInputException("unknown SAM 2 preset '" + presetName + "' (expected micro, tiny, small, base_plus or large)");
		}
	}

	private static Sam2Config official(final String name, final int embedDim, final int heads, final int[] stages,
		final int[] global, final int[] windows, final int bkg)
	{
		final Builder b = new Builder(name);
		b.embedDim = embedDim;
		b.numHeads = heads;
		b.stages = stages;
		b.globalAttBlocks = global;
		b.windowSpec = windows;
		b.windowPosEmbedBkgSpatialSize = new int[] { bkg, bkg };
		final int c = embedDim;
		b.backboneChannelList = new int[] { 8 * c, 4 * c, 2 * c, c };
		return new Sam2Config(b);
	}

	/**
	 * Parses a {@code config.json} holding {@code {"model": {"_target_": "...SAM2Base", "image_encoder": {...}, ...}}}.
	 * Arguments the file leaves out take the defaults of the official constructors.
	 */
	public static Sam2Config parse(final Path file) throws IOException {
		try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			final JsonElement root = JsonParser.parseReader(r);
			return fromJson(root, file.toString());
		}
		catch (final JsonParseException | IllegalStateException | UnsupportedOperationException e) {
			throw new InvalidInputException("SAM 2 config " + file + " is not valid JSON of the expected form: " + e.getMessage(), e);
		}
	}

	static Sam2Config fromJson(final JsonElement root, final String source) {
		final JsonObject model = object(root.getAsJsonObject(), "model", source);
		final String target = model.has("_target_") ? model.get("_target_").getAsString() : "";
		if (!target.endsWith("SAM2Base"))
			throw new InvalidInputException("SAM 2 config " + source + ": model._target_ is '" + target + "', expected sam2.modeling.sam2_base.SAM2Base");
		final JsonObject encoder = object(model, "image_encoder", source);
		final JsonObject trunk = object(encoder, "trunk", source);
		final JsonObject neck = object(encoder, "neck", source);
		final Builder b = new Builder(source);
		b.imageSize = integer(model, "image_size", 1024);
		b.scalp = integer(encoder, "scalp", 0);
		// defaults of sam2.modeling.backbones.hieradet.Hiera
		b.embedDim = integer(trunk, "embed_dim", 96);
		b.numHeads = integer(trunk, "num_heads", 1);
		b.qPool = integer(trunk, "q_pool", 3);
		b.qStride = ints(trunk, "q_stride", new int[] { 2, 2 });
		b.stages = ints(trunk, "stages", new int[] { 2, 3, 16, 3 });
		b.dimMul = number(trunk, "dim_mul", 2.0);
		b.headMul = number(trunk, "head_mul", 2.0);
		b.mlpRatio = number(trunk, "mlp_ratio", 4.0);
		b.windowPosEmbedBkgSpatialSize = ints(trunk, "window_pos_embed_bkg_spatial_size", new int[] { 14, 14 });
		b.windowSpec = ints(trunk, "window_spec", new int[] { 8, 4, 14, 7 });
		b.globalAttBlocks = ints(trunk, "global_att_blocks", new int[] { 12, 16, 20 });
		if (trunk.has("drop_path_rate") && trunk.get("drop_path_rate").getAsDouble() != 0)
			throw new InvalidInputException("SAM 2 config " + source + ": drop_path_rate must be 0 for inference parity");
		b.dModel = integer(neck, "d_model", 256);
		b.backboneChannelList = ints(neck, "backbone_channel_list", null);
		b.fpnTopDownLevels = ints(neck, "fpn_top_down_levels", new int[] { 0, 1, 2, 3 });
		final String interp = neck.has("fpn_interp_model") ? neck.get("fpn_interp_model").getAsString() : "bilinear";
		if (!interp.equals("nearest"))
			throw new InvalidInputException("SAM 2 config " + source + ": fpn_interp_model '" + interp + "' is not supported (only 'nearest')");
		final String fuse = neck.has("fuse_type") ? neck.get("fuse_type").getAsString() : "sum";
		if (!fuse.equals("sum"))
			throw new InvalidInputException("SAM 2 config " + source + ": fuse_type '" + fuse + "' is not supported (only 'sum')");
		if (integer(neck, "kernel_size", 1) != 1 || integer(neck, "stride", 1) != 1 || integer(neck, "padding", 0) != 0)
			throw new InvalidInputException("SAM 2 config " + source + ": only 1x1 lateral convolutions (kernel 1, stride 1, padding 0) are supported");
		b.numMaskmem = integer(model, "num_maskmem", 7);
		if (model.has("memory_attention")) b.memoryFeedForward = memoryAttentionFeedForward(model.getAsJsonObject("memory_attention"), source);
		if (model.has("memory_encoder")) requireOfficialMemoryEncoder(model.getAsJsonObject("memory_encoder"), source);
		b.memDim = model.has("memory_encoder") ? integer(model.getAsJsonObject("memory_encoder"), "out_dim", 64) : 64;
		return new Sam2Config(b);
	}

	/**
	 * This configuration as a {@code config.json} of the official form ({@code model._target_ =
	 * SAM2Base}, hydra-style nested constructor arguments) that {@link #parse} reads back to an equal
	 * configuration. Only the structural arguments are written; everything else takes the official
	 * v1 defaults on reading.
	 */
	public JsonObject toJson() {
		final JsonObject trunk = new JsonObject();
		trunk.addProperty("_target_", "sam2.modeling.backbones.hieradet.Hiera");
		trunk.addProperty("embed_dim", embedDim);
		trunk.addProperty("num_heads", numHeads);
		trunk.addProperty("q_pool", qPool);
		trunk.add("q_stride", array(qStride));
		trunk.add("stages", array(stages));
		trunk.addProperty("dim_mul", dimMul);
		trunk.addProperty("head_mul", headMul);
		trunk.addProperty("mlp_ratio", mlpRatio);
		trunk.add("window_pos_embed_bkg_spatial_size", array(windowPosEmbedBkgSpatialSize));
		trunk.add("window_spec", array(windowSpec));
		trunk.add("global_att_blocks", array(globalAttBlocks));
		final JsonObject neck = new JsonObject();
		neck.addProperty("_target_", "sam2.modeling.backbones.image_encoder.FpnNeck");
		neck.addProperty("d_model", dModel);
		neck.add("backbone_channel_list", array(backboneChannelList));
		neck.add("fpn_top_down_levels", array(fpnTopDownLevels));
		neck.addProperty("fpn_interp_model", "nearest");
		neck.addProperty("fuse_type", "sum");
		final JsonObject encoder = new JsonObject();
		encoder.addProperty("_target_", "sam2.modeling.backbones.image_encoder.ImageEncoder");
		encoder.addProperty("scalp", scalp);
		encoder.add("trunk", trunk);
		encoder.add("neck", neck);
		final JsonObject layer = new JsonObject();
		layer.addProperty("dim_feedforward", memoryFeedForward);
		final JsonObject attention = new JsonObject();
		attention.addProperty("_target_", "sam2.modeling.memory_attention.MemoryAttention");
		attention.addProperty("d_model", dModel);
		attention.add("layer", layer);
		final JsonObject memoryEncoder = new JsonObject();
		memoryEncoder.addProperty("_target_", "sam2.modeling.memory_encoder.MemoryEncoder");
		memoryEncoder.addProperty("out_dim", memDim);
		final JsonObject model = new JsonObject();
		model.addProperty("_target_", "sam2.modeling.sam2_base.SAM2Base");
		model.addProperty("image_size", imageSize);
		model.addProperty("num_maskmem", numMaskmem);
		model.add("image_encoder", encoder);
		model.add("memory_attention", attention);
		model.add("memory_encoder", memoryEncoder);
		final JsonObject root = new JsonObject();
		root.add("model", model);
		return root;
	}

	/** Parses the JSON of {@link #toJson}, or any {@code config.json} of that form; {@code name} names it in messages. */
	public static Sam2Config fromJson(final String name, final JsonElement root) {
		try {
			return fromJson(root, name);
		}
		catch (final IllegalStateException | UnsupportedOperationException | ClassCastException | NumberFormatException e) {
			throw new InvalidInputException("SAM 2 config " + name + " is not of the expected form: " + e.getMessage(), e);
		}
	}

	private static com.google.gson.JsonArray array(final int[] values) {
		final com.google.gson.JsonArray a = new com.google.gson.JsonArray();
		for (final int v : values) a.add(v);
		return a;
	}

	/** The FFN width; the rest of the v1 memory attention layout (4 layers, 1 head, RoPE 1e4, ReLU) is checked, not parsed. */
	private static int memoryAttentionFeedForward(final JsonObject attention, final String source) {
		final JsonObject layer = attention.has("layer") ? attention.getAsJsonObject("layer") : new JsonObject();
		final JsonObject self = layer.has("self_attention") ? layer.getAsJsonObject("self_attention") : new JsonObject();
		final JsonObject cross = layer.has("cross_attention") ? layer.getAsJsonObject("cross_attention") : new JsonObject();
		final boolean official = integer(attention, "num_layers", 4) == 4 && integer(self, "num_heads", 1) == 1 &&
			integer(cross, "num_heads", 1) == 1 && number(self, "rope_theta", 1e4) == 1e4 && number(cross, "rope_theta", 1e4) == 1e4 &&
			(!layer.has("activation") || layer.get("activation").getAsString().equals("relu")) &&
			(!layer.has("pos_enc_at_attn") || !layer.get("pos_enc_at_attn").getAsBoolean()) &&
			(!layer.has("pos_enc_at_cross_attn_queries") || !layer.get("pos_enc_at_cross_attn_queries").getAsBoolean()) &&
			(!layer.has("pos_enc_at_cross_attn_keys") || layer.get("pos_enc_at_cross_attn_keys").getAsBoolean()) &&
			(!attention.has("pos_enc_at_input") || attention.get("pos_enc_at_input").getAsBoolean());
		if (!official)
			throw new InvalidInputException("SAM 2 config " + source + ": memory_attention differs from the official v1 layout " +
				"(4 layers, 1 head, RoPE theta 1e4, ReLU, position at input and cross-attention keys only)");
		return integer(layer, "dim_feedforward", 2048);
	}

	/** The memory encoder layout is the same in every v1 config; anything else is refused, not guessed. */
	private static void requireOfficialMemoryEncoder(final JsonObject encoder, final String source) {
		final JsonObject down = encoder.has("mask_downsampler") ? encoder.getAsJsonObject("mask_downsampler") : new JsonObject();
		final JsonObject fuser = encoder.has("fuser") ? encoder.getAsJsonObject("fuser") : new JsonObject();
		final JsonObject layer = fuser.has("layer") ? fuser.getAsJsonObject("layer") : new JsonObject();
		final boolean official = integer(down, "kernel_size", 3) == 3 && integer(down, "stride", 2) == 2 &&
			integer(down, "padding", 1) == 1 && integer(down, "total_stride", 16) == 16 && integer(fuser, "num_layers", 2) == 2 &&
			integer(layer, "kernel_size", 7) == 7 && integer(layer, "padding", 3) == 3 &&
			(!layer.has("use_dwconv") || layer.get("use_dwconv").getAsBoolean());
		if (!official)
			throw new InvalidInputException("SAM 2 config " + source + ": memory_encoder differs from the official layout " +
				"(mask downsampler k3 s2 p1 total stride 16, 2 depthwise CXBlocks k7 p3)");
	}

	private void validate() {
		final String where = "SAM 2 config " + name + ": ";
		if (stages.length < 1) throw new InvalidInputException(where + "stages is empty");
		if (windowSpec.length != stages.length)
			throw new InvalidInputException(where + "window_spec has " + windowSpec.length + " entries for " + stages.length + " stages");
		if (qPool < 0 || qPool > stages.length - 1)
			throw new InvalidInputException(where + "q_pool " + qPool + " exceeds the number of stage transitions " + (stages.length - 1));
		if (backboneChannelList == null || backboneChannelList.length != stages.length)
			throw new InvalidInputException(where + "backbone_channel_list must have one entry per stage");
		for (int i = 0; i < stages.length; i++)
			if (backboneChannelList[stages.length - 1 - i] != stageDim(i))
				throw new InvalidInputException(where + "backbone_channel_list " + Arrays.toString(backboneChannelList) +
					" does not match the stage widths of embed_dim " + embedDim);
		if (imageSize % 32 != 0) throw new InvalidInputException(where + "image_size " + imageSize + " is not a multiple of 32");
		if (qStride.length != 2 || windowPosEmbedBkgSpatialSize.length != 2)
			throw new InvalidInputException(where + "q_stride and window_pos_embed_bkg_spatial_size need two values");
		if (scalp < 0 || scalp >= stages.length) throw new InvalidInputException(where + "scalp " + scalp + " is out of range");
	}

	/** Channel width of Hiera stage {@code s} (0-based): embed_dim * dim_mul^s. */
	public int stageDim(final int s) {
		int dim = embedDim;
		for (int i = 0; i < s; i++) dim = (int) (dim * dimMul);
		return dim;
	}

	/** Attention heads of Hiera stage {@code s}. */
	public int stageHeads(final int s) {
		int heads = numHeads;
		for (int i = 0; i < s; i++) heads = (int) (heads * headMul);
		return heads;
	}

	public String name() { return name; }
	public int imageSize() { return imageSize; }
	public int embedDim() { return embedDim; }
	public int numHeads() { return numHeads; }
	public int[] stages() { return stages.clone(); }
	public int[] globalAttBlocks() { return globalAttBlocks.clone(); }
	public int[] windowSpec() { return windowSpec.clone(); }
	public int[] windowPosEmbedBkgSpatialSize() { return windowPosEmbedBkgSpatialSize.clone(); }
	public int qPool() { return qPool; }
	public int[] qStride() { return qStride.clone(); }
	public double dimMul() { return dimMul; }
	public double headMul() { return headMul; }
	public double mlpRatio() { return mlpRatio; }
	/** Width of the neck, prompt encoder, mask decoder and memory attention. */
	public int dModel() { return dModel; }
	public int[] backboneChannelList() { return backboneChannelList.clone(); }
	public int[] fpnTopDownLevels() { return fpnTopDownLevels.clone(); }
	public int scalp() { return scalp; }
	public int memDim() { return memDim; }
	public int numMaskmem() { return numMaskmem; }
	/** Hidden width of the memory attention MLP (2048 in the official models). */
	public int memoryFeedForward() { return memoryFeedForward; }

	/** Total number of Hiera blocks. */
	public int depth() {
		return Arrays.stream(stages).sum();
	}

	@Override
	public String toString() {
		return name + " (image " + imageSize + ", embed " + embedDim + ", stages " + Arrays.toString(stages) + ", global " +
			Arrays.toString(globalAttBlocks) + ", windows " + Arrays.toString(windowSpec) + ", d_model " + dModel + ")";
	}

	private static JsonObject object(final JsonObject parent, final String key, final String source) {
		if (!parent.has(key) || !parent.get(key).isJsonObject())
			throw new InvalidInputException("SAM 2 config " + source + " has no object '" + key + "'");
		return parent.getAsJsonObject(key);
	}

	private static int integer(final JsonObject o, final String key, final int fallback) {
		return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : fallback;
	}

	private static double number(final JsonObject o, final String key, final double fallback) {
		return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsDouble() : fallback;
	}

	private static int[] ints(final JsonObject o, final String key, final int[] fallback) {
		if (!o.has(key) || o.get(key).isJsonNull()) return fallback;
		final com.google.gson.JsonArray a = o.getAsJsonArray(key);
		final int[] out = new int[a.size()];
		for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
		return out;
	}

	private static final class Builder {
		final String name;
		int imageSize = 1024, embedDim = 96, numHeads = 1, qPool = 3, dModel = 256, scalp = 1, memDim = 64, numMaskmem = 7;
		int memoryFeedForward = 2048;
		int[] stages, globalAttBlocks, windowSpec, windowPosEmbedBkgSpatialSize, backboneChannelList;
		int[] qStride = { 2, 2 };
		int[] fpnTopDownLevels = { 2, 3 };
		double dimMul = 2, headMul = 2, mlpRatio = 4;

		Builder(final String name) {
			this.name = name;
		}
	}
}
