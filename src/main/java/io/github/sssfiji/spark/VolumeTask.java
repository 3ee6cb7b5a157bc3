package io.github.sssfiji.spark;

import java.io.Serializable;

/**
 * One volume of a cohort job, as sent to an executor: its place in the sorted input list, the image
 * file, its label map file and, with {@code --gt}, its reference label file (null when the reference
 * folder has none of its name). Paths are absolute strings: on a cluster they must name the same
 * files on every node (a shared file system).
 */
record VolumeTask(int index, String input, String target, String reference) implements Serializable {}
