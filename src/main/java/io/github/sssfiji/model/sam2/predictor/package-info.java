/**
 * Running SAM 2 on images and volumes, as the official {@code sam2/sam2_image_predictor.py} and
 * {@code sam2/sam2_video_predictor.py} do: the image predictor and its interactive wrapper, prompts,
 * the input transforms and mask post-processing ({@code sam2/utils/transforms.py}), and the tracker that
 * propagates an object through a volume's slices with a memory bank, with the pieces of
 * {@code sam2_base.py}'s {@code track_step} it runs (memory selection, memory conditioning and encoding,
 * object pointers) and the video predictor's bfloat16 memory storage and antialiased mask resizing.
 */
package io.github.sssfiji.model.sam2.predictor;
