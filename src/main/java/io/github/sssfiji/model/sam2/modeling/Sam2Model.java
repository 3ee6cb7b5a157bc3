package io.github.sssfiji.model.sam2.modeling;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.nn.Conv2d;
import io.github.sssfiji.nn.ModelState;

/**
 * SAM 2 ({@code SAM2Base}) built on a {@link ModelState}, every tensor registered under its official
 * state_dict key.
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
 * <p>
 * Building a model allocates and randomly initialises every tensor in the state's manager (on its
 * device); {@link #expectedShapes(Sam2Config)} builds it on a {@link ModelState#declaration()}
 * instead, so a checkpoint is checked against the keys and shapes before anything is allocated.
 * </p>
 */
public final class Sam2Model {

	private final Sam2Config config;
	private final ModelState state;
	/** The tensors this model registered, by official key, in registration order; empty for a declaration. */
	private final Map<String, NDArray> tensors = new LinkedHashMap<>();
	private final Map<String, long[]> shapes = new LinkedHashMap<>();
	private final ImageEncoder imageEncoder;
	private final PromptEncoder promptEncoder;
	private final MaskDecoder maskDecoder;
	private final MemoryEncoder memoryEncoder;
	private final MemoryAttention memoryAttention;
	private final NDArray noMemEmbed;
	private final NDArray noMemPosEnc;
	private final NDArray noObjPtr;
	private final NDArray maskmemTposEnc;
	private final Mlp objPtrProj;
	private final Conv2d maskDownsample;

	/**
	 * Builds the model on {@code state} (which must not be a {@link ModelState#scope scope}: the
	 * names are the official keys): every tensor is allocated in the state's manager and drawn as
	 * {@link Sam2Init} says, own tensors before submodules, so a seeded engine gives the same model.
	 */
	public Sam2Model(final ModelState state, final Sam2Config config) {
		this.config = config;
		this.state = state;
		final int before = state.shapes().size();
		this.noMemEmbed = state.addParameter("no_mem_embed", Sam2Init.shape(1, 1, config.dModel()), Sam2Init.WEIGHT);
		// the tracking state of SAM2Base; read by the tracking step, loaded here so that the whole
		// official checkpoint is checked strictly
		this.noMemPosEnc = state.addParameter("no_mem_pos_enc", Sam2Init.shape(1, 1, config.dModel()), Sam2Init.WEIGHT);
		this.noObjPtr = state.addParameter("no_obj_ptr", Sam2Init.shape(1, config.dModel()), Sam2Init.WEIGHT);
		this.maskmemTposEnc = state.addParameter("maskmem_tpos_enc", Sam2Init.shape(config.numMaskmem(), 1, 1, config.memDim()), Sam2Init.WEIGHT);
		// SAM2Base's own tensors first, then its modules: the order DJL's block initialisation drew
		// them in before, so a seeded engine still gives the same random model
		this.imageEncoder = new ImageEncoder(state.scope("image_encoder"), config);
		this.promptEncoder = new PromptEncoder(state.scope("sam_prompt_encoder"), config);
		this.maskDecoder = new MaskDecoder(state.scope("sam_mask_decoder"), config);
		this.memoryEncoder = new MemoryEncoder(state.scope("memory_encoder"), config);
		this.memoryAttention = new MemoryAttention(state.scope("memory_attention"), config);
		this.objPtrProj = new Mlp(state.scope("obj_ptr_proj"), config.dModel(), config.dModel(), config.dModel(), 3, Mlp.relu(), false);
		this.maskDownsample = Conv2d.create(state, "mask_downsample", 1, 1, 4, 4, 0, 1, Sam2Init.WEIGHT);
		int i = 0;
		for (final Map.Entry<String, Shape> e : state.shapes().entrySet())
			if (i++ >= before) {
				shapes.put(e.getKey(), e.getValue().getShape());
				if (!state.isDeclaration()) tensors.put(e.getKey(), state.allTensors().get(e.getKey()));
			}
	}

	/** The official keys and shapes of a model with {@code config}, in model order; nothing is allocated. */
	public static Map<String, long[]> expectedShapes(final Sam2Config config) {
		return new Sam2Model(ModelState.declaration(), config).expectedShapes();
	}

	/** The state the model was built on. */
	public ModelState state() {
		return state;
	}

	/**
	 * Every tensor of the model (whether or not its state tracks it) by official key, in model order
	 * (read-only view).
	 */
	public Map<String, NDArray> tensors() {
		return Collections.unmodifiableMap(tensors);
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
	public NDArray noMemEmbed() {
		return noMemEmbed;
	}

	/** {@code no_mem_pos_enc} (1, 1, d). */
	public NDArray noMemPosEnc() {
		return noMemPosEnc;
	}

	/** {@code no_obj_ptr} (1, d). */
	public NDArray noObjPtr() {
		return noObjPtr;
	}

	/** {@code maskmem_tpos_enc} (num_maskmem, 1, 1, m). */
	public NDArray maskmemTposEnc() {
		return maskmemTposEnc;
	}

	/** {@code obj_ptr_proj}: the 3-layer MLP from a SAM output token to an object pointer. */
	public Mlp objPtrProj() {
		return objPtrProj;
	}

	/** {@code mask_downsample}: 4x4 stride-4 convolution of a full-size mask to the prompt encoder's mask size. */
	public Conv2d maskDownsample() {
		return maskDownsample;
	}

	/** Official key to shape, in model order. */
	public Map<String, long[]> expectedShapes() {
		final Map<String, long[]> out = new LinkedHashMap<>();
		for (final Map.Entry<String, long[]> e : shapes.entrySet())
			out.put(e.getKey(), e.getValue().clone());
		return out;
	}

	/**
	 * Copies the checkpoint's values into the tensors after a strict check of every key, as
	 * {@code load_state_dict(strict=True)}: a missing, unexpected or mis-shaped key stops the load
	 * before any copy.
	 */
	public void loadWeights(final StateDict checkpoint) {
		if (state.isDeclaration()) throw new IllegalStateException("a declared model holds no tensors to load");
		StateDictCheck.compare(shapes, checkpoint).requireExactMatch();
		for (final Map.Entry<String, NDArray> e : tensors.entrySet()) {
			final TensorData t = checkpoint.get(e.getKey());
			e.getValue().set(t.floats());
		}
	}

	/**
	 * The image encoder's levels that the mask decoder reads, finest first: FPN levels 0 and 1
	 * (strides 4 and 8, before {@code conv_s0/conv_s1}) and the coarsest level {@code scalp} keeps
	 * (stride 16, before {@code no_mem_embed}). In the manager of {@code image}.
	 */
	public NDList decoderLevels(final NDArray image) {
		final NDList encoded = imageEncoder.forward(image);
		final int n = imageEncoder.levels();
		return new NDList(encoded.get(n), encoded.get(n + 1), encoded.get(n + n - 1 - config.scalp()));
	}

	/** The image embedding of a single image: {@code level + no_mem_embed}, as the image predictor forms it. */
	public NDArray withNoMemEmbed(final NDArray level) {
		final NDArray embed = noMemEmbed.reshape(1, -1, 1, 1);
		embed.attach(level.getManager()); // a view of a long-lived parameter would otherwise stay in the model's manager
		return level.add(embed);
	}

	/** {@code forward_image} plus the image embedding; see {@link ImageFeatures} for the layout. */
	public ImageFeatures forwardImage(final NDArray image) {
		final NDList encoded = imageEncoder.forward(image);
		final int n = imageEncoder.levels();
		final NDArray level0 = encoded.get(n);
		final NDArray level1 = encoded.get(n + 1);
		final NDArray kept = encoded.get(n + n - 1 - config.scalp());
		final NDList out = new NDList(encoded);
		out.add(maskDecoder.highResS0(level0));
		out.add(maskDecoder.highResS1(level1));
		// vision_feats[-1] + no_mem_embed, as SAM2ImagePredictor.set_image does with directly_add_no_mem_embed
		out.add(withNoMemEmbed(kept));
		return new ImageFeatures(out, n);
	}
}
