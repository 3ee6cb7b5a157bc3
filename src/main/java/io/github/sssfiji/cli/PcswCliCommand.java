package io.github.sssfiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.sss.pcsw.PcswFiles;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PcswResult;

/**
 * {@code pcsw --input FILE [--probabilities FILE] --out DIR [thresholds]}: physically constrained
 * filtering of pseudo-masks and SAM-2 prompts (see {@link io.github.sssfiji.sss.pcsw.Pcsw}).
 */
@Plugin(type = CliCommand.class, name = "pcsw")
public class PcswCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "--input FILE [--probabilities FILE] --out DIR [--window 3] [--min-support 2] [--min-area 10] [--iou 0.1]\n" +
			"       [--d-max 10] [--area-ratio 3] [--prompt-freq 2] [--confidence 0.95] [--single-instance true|false|1,2,3]\n" +
			"       PCSW: filtered.nii.gz, rejected.nii.gz and prompts.json in DIR";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws IOException {
		final Path input = args.existingPath("input");
		final Path probabilities = args.has("probabilities") ? args.existingPath("probabilities") : null;
		final Path output = Path.of(args.require("out"));
		final PcswParameters parameters = parameters(args);
		args.rejectUnknown();
		final PcswResult result = PcswFiles.run(input, probabilities, output, parameters);
		out.println("{\"chains\": " + result.chains().size() + ", \"prompts\": " + result.prompts().size() + ", \"output\": \"" +
			output.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
		return 0;
	}

	/** The PCSW parameters from the options, defaults for those not given. */
	static PcswParameters parameters(final CliArguments args) {
		final PcswParameters defaults = PcswParameters.defaults();
		final PcswParameters.Builder b = PcswParameters.builder()
			.windowLength(args.getInt("window", defaults.windowLength()))
			.minSupport(args.getInt("min-support", defaults.minSupport()))
			.minArea(args.getInt("min-area", defaults.minArea()))
			.iouThreshold(args.getDouble("iou", defaults.iouThreshold()))
			.maxCentroidDistance(args.getDouble("d-max", defaults.maxCentroidDistance()))
			.maxAreaRatio(args.getDouble("area-ratio", defaults.maxAreaRatio()))
			.promptFrequency(args.getInt("prompt-freq", defaults.promptFrequency()))
			.confidenceThreshold(args.getDouble("confidence", defaults.confidenceThreshold()));
		final String single = args.get("single-instance", "false").trim();
		if (single.equals("true")) b.singleInstance(true);
		else if (!single.equals("false")) b.singleInstanceClasses(args.getIntList("single-instance"));
		return b.build();
	}
}
