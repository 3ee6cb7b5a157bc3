package io.github.sssfiji.model.sam2.modeling;

import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.model.sam2.modeling.layers.Conv2dLayer;
import io.github.sssfiji.model.sam2.modeling.layers.Mlp;
import io.github.sssfiji.model.sam2.modeling.layers.ParameterNames;
import io.github.sssfiji.model.sam2.modeling.layers.Sam2Block;

/**
 * SAM 2 ({@code SAM2Base}) as a DJL block whose parameter paths equal the official state_dict keys.
 * <p>
 * Implemented so far: the image path, {@code forward_image} plus the image predictor's embedding
 * ({@code image_encoder.*}, {@code no_mem_embed}), the prompt encoder ({@code sam_prompt_encoder.*}),
 * the mask decoder ({@code sam_mask_decoder.*}), the memory encoder ({@code memory_encoder.*}) and
 * memory attention ({@code memory_attention.*}). Every key of the official checkpoint has its
 * parameter, so {@link #loadWeights} checks a checkpoint strictly. The tracking step
 * ({@code track_step}: memory bank selection, temporal encodings, object pointers), which reads
 * {@code maskmem_tpos_enc}, {@code no_mem_pos_enc}, {@code no_obj_ptr}, {@code obj_ptr_proj} and
 * {@code mask_downsample}, lives in {@link io.github.sssfiji.model.sam2.predictor.Sam2Tracker Sam2Tracker}.
 * </p>
 */
public final class Sam2Model extends Sam2Block {

	private final Sam2Config config;
	private final ImageEncoder imageEncoder;
	private final PromptEncoder promptEncoder;
	private final MaskDecoder maskDecoder;
	private final MemoryEncoder memoryEncoder;
	private final MemoryAttention memoryAttention;
	private final Parameter noMemEmbed;
	private final Parameter noMemPosEnc;
	private final Parameter noObjPtr;
	private final Parameter maskmemTposEnc;
	private final Mlp objPtrProj;
	private final Conv2dLayer maskDownsample;

	public Sam2Model(final Sam2Config config) {
		this.config = config;
		this.imageEncoder = child("image_encoder", new ImageEncoder(config));
		this.promptEncoder = child("sam_prompt_encoder", new PromptEncoder(config));
		this.maskDecoder = child("sam_mask_decoder", new MaskDecoder(config));
		this.memoryEncoder = child("memory_encoder", new MemoryEncoder(config));
		this.memoryAttention = child("memory_attention", new MemoryAttention(config));
		this.noMemEmbed = weight("no_mem_embed", 1, 1, config.dModel());
		// the tracking state of SAM2Base; read by the tracking step, loaded here so that the whole
		// official checkpoint is checked strictly
		this.noMemPosEnc = weight("no_mem_pos_enc", 1, 1, config.dModel());
		this.noObjPtr = weight("no_obj_ptr", 1, config.dModel());
		this.maskmemTposEnc = weight("maskmem_tpos_enc", config.numMaskmem(), 1, 1, config.memDim());
		this.objPtrProj = child("obj_ptr_proj", new Mlp(config.dModel(), config.dModel(), config.dModel(), 3, Mlp.relu(), false));
		this.maskDownsample = child("mask_downsample", new Conv2dLayer(1, 1, 4, 4, 0));
	}

	public Sam2Config config() {
		return config;
	}

	/** The prompt encoder ({@code sam_prompt_encoder}). */
	public PromptEncoder promptEncoder() {
		return promptEncoder;
	}

	/** The mask decoder ({@code sam_mask_decoder}). */
	public MaskDecoder maskDecoder() {
		return maskDecoder;
	}

	/** The memory encoder ({@code memory_encoder}). */
	public MemoryEncoder memoryEncoder() {
		return memoryEncoder;
	}

	/** The memory attention ({@code memory_attention}). */
	public MemoryAttention memoryAttention() {
		return memoryAttention;
	}

	/** {@code no_mem_embed} (1, 1, d). */
	public Parameter noMemEmbed() {
		return noMemEmbed;
	}

	/** {@code no_mem_pos_enc} (1, 1, d). */
	public Parameter noMemPosEnc() {
		return noMemPosEnc;
	}

	/** {@code no_obj_ptr} (1, d). */
	public Parameter noObjPtr() {
		return noObjPtr;
	}

	/** {@code maskmem_tpos_enc} (num_maskmem, 1, 1, m). */
	public Parameter maskmemTposEnc() {
		return maskmemTposEnc;
	}

	/** {@code obj_ptr_proj}: the 3-layer MLP from a SAM output token to an object pointer. */
	public Mlp objPtrProj() {
		return objPtrProj;
	}

	/** {@code mask_downsample}: 4x4 stride-4 convolution of a full-size mask to the prompt encoder's mask size. */
	public Conv2dLayer maskDownsample() {
		return maskDownsample;
	}

	/** Official parameter name to shape, in registration order. */
	public Map<String, long[]> expectedShapes() {
		final Map<String, long[]> out = new LinkedHashMap<>();
		for (final Map.Entry<String, Parameter> e : ParameterNames.collect(this).entrySet())
			out.put(e.getKey(), e.getValue().getShape().getShape());
		return out;
	}

	/**
	 * Copies the checkpoint's values into the (initialised) parameters after a strict check of every
	 * key, as {@code load_state_dict(strict=True)}: a missing, unexpected or mis-shaped key stops the
	 * load before any copy.
	 */
	public void loadWeights(final StateDict checkpoint) {
		final StateDictCheck check = StateDictCheck.compare(expectedShapes(), checkpoint);
		check.requireExactMatch();
		for (final Map.Entry<String, Parameter> e : ParameterNames.collect(this).entrySet()) {
			final Parameter p = e.getValue();
			if (!p.isInitialized()) throw new IllegalStateException("initialize the model before loading weights (" + e.getKey() + ")");
			final TensorData t = checkpoint.get(e.getKey());
			p.getArray().set(t.floats());
		}
	}

	/**
	 * The image encoder's levels that the mask decoder reads, finest first: FPN levels 0 and 1
	 * (strides 4 and 8, before {@code conv_s0/conv_s1}) and the coarsest level {@code scalp} keeps
	 * (stride 16, before {@code no_mem_embed}). In the manager of {@code image}.
	 */
	public NDList decoderLevels(final ParameterStore store, final NDArray image, final boolean training) {
		final NDList encoded = imageEncoder.apply(store, image, training);
		final int n = imageEncoder.levels();
		return new NDList(encoded.get(n), encoded.get(n + 1), encoded.get(n + n - 1 - config.scalp()));
	}

	/** The image embedding of a single image: {@code level + no_mem_embed}, as the image predictor forms it. */
	public NDArray withNoMemEmbed(final ParameterStore store, final NDArray level, final boolean training) {
		final NDArray embed = value(store, noMemEmbed, level, training).reshape(1, -1, 1, 1);
		embed.attach(level.getManager()); // a view of a long-lived parameter would otherwise stay in the model's manager
		return level.add(embed);
	}

	/** {@code forward_image} plus the image embedding; see {@link ImageFeatures} for the layout. */
	public ImageFeatures forwardImage(final ParameterStore store, final NDArray image, final boolean training) {
		final NDList encoded = imageEncoder.apply(store, image, training);
		final int n = imageEncoder.levels();
		final NDArray level0 = encoded.get(n);
		final NDArray level1 = encoded.get(n + 1);
		final NDArray kept = encoded.get(n + n - 1 - config.scalp());
		final NDList out = new NDList(encoded);
		out.add(maskDecoder.highResS0(store, level0, training));
		out.add(maskDecoder.highResS1(store, level1, training));
		// vision_feats[-1] + no_mem_embed, as SAM2ImagePredictor.set_image does with directly_add_no_mem_embed
		out.add(withNoMemEmbed(store, kept, training));
		return new ImageFeatures(out, n);
	}

	@Override
	protected NDList forwardInternal(final ParameterStore store, final NDList inputs, final boolean training,
		final PairList<String, Object> params)
	{
		return forwardImage(store, inputs.head(), training).asList();
	}

	@Override
	public Shape[] getOutputShapes(final Shape[] inputShapes) {
		final Shape[] enc = imageEncoder.getOutputShapes(inputShapes);
		final int n = config.stages().length;
		final Shape[] out = new Shape[enc.length + 3];
		System.arraycopy(enc, 0, out, 0, enc.length);
		final Shape[] hr = maskDecoder.getOutputShapes(new Shape[] { enc[n], enc[n + 1] });
		out[enc.length] = hr[0];
		out[enc.length + 1] = hr[1];
		out[enc.length + 2] = enc[n + n - 1 - config.scalp()];
		return out;
	}
}
