/**
 * SAM 2 model files, what the official {@code sam2/build_sam.py} and its checkpoint loading do: importing
 * an official checkpoint ({@code .pt} or {@code .npz}) after telling its preset from the state dict, and
 * SSS's own model file (configuration, safetensors weights and provenance in one zip) with its strict
 * checks on reading.
 */
package io.github.sssfiji.model.sam2.files;
