package io.github.sssfiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.eval.EvaluationCases;
import io.github.sssfiji.eval.EvaluationReport;
import io.github.sssfiji.eval.EvaluationResult;
import io.github.sssfiji.eval.Evaluator;

/**
 * {@code evaluate --pred P --gt G [--classes 1,2,3] [--out FILE.csv]}: Dice, Jaccard, HD95, ASD and
 * ASSD per case and class, as JSON on standard output and optionally as CSV. P and G are label files
 * or folders of them (NIfTI, or HDF5 whose {@code label} dataset is read), matched by base name.
 */
@Plugin(type = CliCommand.class, name = "evaluate")
public class EvaluateCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "--pred P --gt G [--classes 1,2,3] [--out FILE.csv]   segmentation metrics per case and class";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws IOException {
		final Path pred = args.existingPath("pred");
		final Path gt = args.existingPath("gt");
		final int[] classes = args.getIntList("classes");
		final String csv = args.get("out", null);
		args.rejectUnknown();
		if (csv != null) CliOptions.newFile("out", Path.of(csv));
		final EvaluationResult result = Evaluator.evaluate(EvaluationCases.pairs(pred, gt), classes);
		if (csv != null) EvaluationReport.writeCsv(result, Path.of(csv));
		out.println(EvaluationReport.toJson(result));
		return 0;
	}
}
