/**
 * The DJL building blocks of the SAM 2 modules: the base block whose child names are the official module
 * names (so every parameter's dotted path is its PyTorch state-dict key), convolution, transposed
 * convolution, linear, layer norm and MLP layers, and the parameter naming. Their official counterparts
 * are the {@code torch.nn} layers and the helpers of {@code sam2/modeling/sam2_utils.py} ({@code MLP},
 * {@code LayerNorm2d}).
 */
package io.github.sssfiji.model.sam2.modeling.layers;
