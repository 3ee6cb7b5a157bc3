package io.github.sssfiji.model.sam2.modeling;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.djl.ndarray.NDArray;

/**
 * The trainable parts of SAM 2, by official state-dict prefix, for freezing: every parameter belongs
 * to exactly one part. {@link #MEMORY} holds the memory encoder and attention and the
 * {@code SAM2Base} tracking state ({@code no_mem_embed} included, although the image predictor adds
 * it to the image embedding). Freezing a part stops its gradients, so an optimizer step leaves it
 * unchanged; buffers (the prompt encoder's Gaussian PE matrix) are never trained.
 */
public enum Sam2Part {

	/** {@code image_encoder.*}: Hiera trunk and FPN neck. */
	IMAGE_ENCODER("image_encoder."),
	/** {@code sam_prompt_encoder.*}. */
	PROMPT_ENCODER("sam_prompt_encoder."),
	/** {@code sam_mask_decoder.*}, including the high-res projections {@code conv_s0/conv_s1}. */
	MASK_DECODER("sam_mask_decoder."),
	/** Memory encoder, memory attention, object pointers and the other {@code SAM2Base} state. */
	MEMORY("memory_attention.", "memory_encoder.", "obj_ptr_proj.", "mask_downsample.", "maskmem_tpos_enc", "no_mem_embed", "no_mem_pos_enc",
		"no_obj_ptr");

	/** Tensors that are buffers in PyTorch: loaded from checkpoints, never trained. */
	public static final Set<String> BUFFERS = Set.of("sam_prompt_encoder.pe_layer.positional_encoding_gaussian_matrix");

	private final List<String> prefixes;

	Sam2Part(final String... prefixes) {
		this.prefixes = Arrays.asList(prefixes);
	}

	/** Whether the parameter called {@code key} belongs to this part. */
	public boolean contains(final String key) {
		for (final String p : prefixes)
			if (p.endsWith(".") ? key.startsWith(p) : key.equals(p)) return true;
		return false;
	}

	/** The part of {@code key}. */
	public static Sam2Part of(final String key) {
		for (final Sam2Part part : values())
			if (part.contains(key)) return part;
		throw new IllegalArgumentException("parameter '" + key + "' belongs to no SAM 2 part");
	}

	/** This part's tensors of {@code model}, buffers included, by official name. */
	public Map<String, NDArray> parameters(final Sam2Model model) {
		final Map<String, NDArray> out = new LinkedHashMap<>();
		for (final Map.Entry<String, NDArray> e : model.tensors().entrySet())
			if (contains(e.getKey())) out.put(e.getKey(), e.getValue());
		return out;
	}

	/**
	 * Freezes (or unfreezes) this part of {@code model}: its arrays stop (or start) requiring a
	 * gradient, so autograd gives them none; buffers stay frozen either way.
	 */
	public void freeze(final Sam2Model model, final boolean frozen) {
		for (final Map.Entry<String, NDArray> e : parameters(model).entrySet())
			if (!BUFFERS.contains(e.getKey())) e.getValue().setRequiresGradient(!frozen);
	}

	/** Whether every trainable parameter of this part is frozen. */
	public boolean isFrozen(final Sam2Model model) {
		for (final Map.Entry<String, NDArray> e : parameters(model).entrySet())
			if (!BUFFERS.contains(e.getKey()) && e.getValue().hasGradient()) return false;
		return true;
	}

	/** The tensors of {@code model} an optimizer should update: not frozen and not buffers. */
	public static Map<String, NDArray> trainable(final Sam2Model model) {
		final Map<String, NDArray> out = new LinkedHashMap<>();
		for (final Map.Entry<String, NDArray> e : model.tensors().entrySet())
			if (!BUFFERS.contains(e.getKey()) && e.getValue().hasGradient()) out.put(e.getKey(), e.getValue());
		return out;
	}
}
