package io.github.sssfiji.model.sam2.parity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import io.github.sssfiji.djl.Engines;

/**
 * Runs the parity groups on a folder and reports one line per output (name, max abs error, PASS or
 * FAIL), SKIP lines for what no group compared, and a summary line. Parity is claimed complete only
 * when every manifest file was compared or consumed as an input and every comparison passed.
 */
public final class Sam2Parity {

	private Sam2Parity() {}

	/** Compares {@code dir} with {@code groups} computed on {@code device}, printing to {@code out}. */
	public static ParityReport run(final Path dir, final List<? extends ParityGroup> groups, final PrintStream out, final Device device)
		throws IOException
	{
		final ParityFolder folder = ParityFolder.open(dir);
		final ParityReport report = new ParityReport(out);
		final List<ParityGroup> ordered = new ArrayList<>(groups);
		ordered.sort(Comparator.comparing(ParityGroup::name));
		out.println("parity of " + dir + " (" + folder.config() + ", weights " + folder.weightsFile().getFileName() + ") on " + device);
		// inference only, on whichever thread calls (the parity CLI or a test): no autograd graph
		try (Engines.NoGrad noGrad = Engines.noGrad(); ParityRun run = new ParityRun(folder, device)) {
			for (final ParityGroup group : ordered) {
				try {
					group.compare(run, report);
				}
				catch (final Exception e) {
					report.error(group.name(), e);
				}
			}
		}
		// what an implemented group left out, then what no group covers, by top-level folder
		final Map<String, Integer> uncovered = new LinkedHashMap<>();
		for (final String file : folder.files()) {
			if (report.accounts(file)) continue;
			final ParityGroup owner = ordered.stream().filter(g -> g.prefixes().stream().anyMatch(file::startsWith)).findFirst().orElse(null);
			if (owner != null) report.skip(file, "not compared by group " + owner.name(), 1);
			else uncovered.merge(file.contains("/") ? file.substring(0, file.indexOf('/')) : file, 1, Integer::sum);
		}
		for (final Map.Entry<String, Integer> e : uncovered.entrySet())
			report.skip(e.getKey(), "not implemented: " + e.getValue() + " files not compared", e.getValue());
		out.println(report.summary());
		return report;
	}
}
