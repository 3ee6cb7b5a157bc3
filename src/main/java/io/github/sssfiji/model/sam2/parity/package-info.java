/**
 * The parity check of this SAM 2 against the official implementation: a parity folder holds reference
 * outputs recorded with the official {@code sam2} package (encoder, prompts, post-processing, video
 * tracking), each group of them is recomputed here and compared under an absolute plus relative
 * tolerance, and a report says which outputs pass. It has no counterpart in the official package, whose
 * tests it stands in for.
 */
package io.github.sssfiji.model.sam2.parity;
