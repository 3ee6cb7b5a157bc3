/**
 * The SAM 2 network, as the official {@code sam2/modeling} package builds it: the Hiera trunk with its
 * multi-scale blocks and window partitioning ({@code backbones/hieradet.py}, {@code backbones/utils.py}),
 * the FPN neck and image encoder ({@code backbones/image_encoder.py}), the sine position encoding
 * ({@code position_encoding.py}), the prompt encoder, mask decoder and two-way transformer
 * ({@code sam/}), memory attention with rotary attention and the memory encoder
 * ({@code memory_attention.py}, {@code memory_encoder.py}), and the model that holds them all with the
 * tracking parameters ({@link io.github.sssfiji.model.sam2.modeling.Sam2Model}, the modules and
 * parameters of {@code sam2_base.py}). Also here: the model configuration
 * ({@link io.github.sssfiji.model.sam2.modeling.Sam2Config}, the official yaml configs), the trainable
 * parts for freezing, the typed image-encoder output, the strict state-dict check that loading uses
 * ({@code load_state_dict(strict=True)}) and the exact bicubic resize of Hiera's position embedding.
 * The modules are plain classes over an {@link io.github.sssfiji.nn.ModelState} built from the layers of
 * {@code io.github.sssfiji.nn}, plus the official {@code MLP} of {@code sam2_utils.py} ({@code Mlp}).
 */
package io.github.sssfiji.model.sam2.modeling;
