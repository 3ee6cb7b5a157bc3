package io.github.sssfiji.model.sam2.parity;

import java.util.List;

import org.scijava.plugin.SciJavaPlugin;

/**
 * One group of outputs of a parity folder (e.g. the encoder, the prompt cases), compared by a SciJava
 * plugin ({@code @Plugin(type = ParityGroup.class)}), so a new group (the video tracker) needs no
 * edit elsewhere. Manifest files under a group's prefixes that it neither compares nor declares as
 * inputs are reported as skipped; files under no group's prefix are skipped as "not implemented".
 */
public interface ParityGroup extends SciJavaPlugin {

	/** Short name used in the report, e.g. {@code encoder}. */
	String name();

	/** The manifest path prefixes this group answers for, e.g. {@code encoder/}. */
	List<String> prefixes();

	/** Compares every output of the group it can, recording results and inputs in {@code report}. */
	void compare(ParityRun run, ParityReport report) throws Exception;
}
