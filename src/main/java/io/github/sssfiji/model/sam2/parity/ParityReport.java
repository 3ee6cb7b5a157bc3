package io.github.sssfiji.model.sam2.parity;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;


/**
 * Collects the outcome of a parity run: one {@link ParityCheck.Result} per compared output, printed
 * as it arrives, the inputs the groups consumed, and the skipped files.
 */
public final class ParityReport {

	private final PrintStream out;
	private final List<ParityCheck.Result> results = new ArrayList<>();
	private final Set<String> inputs = new LinkedHashSet<>();
	private final Set<String> compared = new LinkedHashSet<>();
	private final List<String> skipped = new ArrayList<>();
	private final List<String> errors = new ArrayList<>();
	private int skippedFiles;

	public ParityReport(final PrintStream out) {
		this.out = out;
	}

	/** Records a comparison; its name must be the manifest path of the reference. */
	public ParityCheck.Result add(final ParityCheck.Result result) {
		results.add(result);
		compared.add(result.name());
		out.println(result);
		return result;
	}

	/** Declares a manifest file as an input of a group (not an output to compare). */
	public void input(final String file) {
		inputs.add(file);
	}

	void error(final String group, final Exception e) {
		final String line = "FAIL " + group + "  (error: " + e + ")";
		errors.add(line);
		out.println(line);
	}

	void skip(final String name, final String why, final int files) {
		skipped.add(name);
		skippedFiles += files;
		out.println("SKIP " + name + " (" + why + ")");
	}

	/** Whether {@code file} was compared or declared an input. */
	boolean accounts(final String file) {
		return compared.contains(file) || inputs.contains(file);
	}

	public List<ParityCheck.Result> results() {
		return Collections.unmodifiableList(results);
	}

	public int passed() {
		return (int) results.stream().filter(ParityCheck.Result::pass).count();
	}

	public int failed() {
		return results.size() - passed() + errors.size();
	}

	/** Skipped groups and files, by name. */
	public List<String> skipped() {
		return Collections.unmodifiableList(skipped);
	}

	/** 0 when every output was compared and passed; 1 when any failed; 3 when all compared passed but some were skipped. */
	public int exitCode() {
		if (failed() > 0) return 1;
		return skipped.isEmpty() ? 0 : 3;
	}

	/** The final line: counts and whether parity is complete. */
	public String summary() {
		final String verdict = failed() > 0 ? "parity FAILED" : skipped.isEmpty() ? "parity COMPLETE" :
			"parity INCOMPLETE (skipped: " + String.join(", ", skipped) + ")";
		return String.format("SUMMARY %d passed, %d failed, %d skipped (%d files not compared): %s", passed(), failed(), skipped.size(),
			skippedFiles, verdict);
	}
}
