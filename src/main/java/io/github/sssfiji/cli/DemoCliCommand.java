package io.github.sssfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.data.Dataset;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.eval.ClassMetrics;
import io.github.sssfiji.eval.EvaluationCases;
import io.github.sssfiji.eval.EvaluationReport;
import io.github.sssfiji.eval.EvaluationResult;
import io.github.sssfiji.eval.Evaluator;
import io.github.sssfiji.eval.MetricsSummary;
import io.github.sssfiji.io.ImageFiles;

/**
 * {@code demo [--data sample-data] [--out sss-demo] [--iterations 240] [--budget-minutes 5]}: the main
 * job on the embedded defaults. It trains SSS (U-Net backbone, small crop) on the labelled and
 * unlabelled sample volumes, predicts the held-back test volumes and reports Dice, HD95 and ASSD per
 * class against their labels, by running the {@code train}, {@code predict} and {@code evaluate}
 * commands in turn.
 */
@Plugin(type = CliCommand.class, name = "demo")
public class DemoCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "[--data sample-data] [--out sss-demo] [--iterations 240] [--budget-minutes 5]   the main job: train, predict, evaluate";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws Exception {
		final Path data = CliArguments.existing("--data", args.get("data", "sample-data"));
		final Path folder = Path.of(args.get("out", "sss-demo"));
		final int iterations = args.getInt("iterations", 240);
		final double budget = args.getDouble("budget-minutes", 5);
		args.rejectUnknown();
		final Dataset dataset = Datasets.open(data, "", ImageFiles.imageReader());
		out.println("dataset: " + dataset.summary());
		final Path run = folder.resolve("run"), predictions = folder.resolve("predictions");

		out.println("== train (SSS, U-Net, crop 64, " + iterations + " iterations or " + budget + " minutes)");
		int code = new TrainCliCommand().run(CliArguments.parse("--data", data.toString(), "--split", "", "--mode", "sss", "--backbone", "unet",
			"--crop", "64", "--batch", "4", "--optimizer", "adamw", "--iterations", Integer.toString(iterations), "--budget-minutes",
			Double.toString(budget), "--validation-interval", "60", "--seed", "1", "--out", run.toString()), context, out);
		if (code != 0) return code;

		final Path test = dataset.test().get(0).imagePath().getParent();
		out.println("== predict the " + dataset.test().size() + " held-back test volumes");
		code = new PredictCliCommand().run(CliArguments.parse("--model", run.resolve("best.sss").toString(), "--input", test.toString(), "--out",
			predictions.toString()), context, out);
		if (code != 0) return code;

		out.println("== evaluate against the test labels");
		final Path labels = dataset.test().get(0).labelPath().orElseThrow().getParent();
		final EvaluationResult result = Evaluator.evaluate(EvaluationCases.pairs(predictions, labels), new int[] { 1, 2, 3 });
		EvaluationReport.writeCsv(result, folder.resolve("metrics.csv"));
		report(out, result, dataset.classNames());
		out.println("per-case metrics: " + folder.resolve("metrics.csv").toAbsolutePath());
		return 0;
	}

	private static void report(final PrintStream out, final EvaluationResult result, final List<String> names) {
		for (final Map.Entry<Integer, MetricsSummary> e : result.perClass().entrySet()) {
			final ClassMetrics m = e.getValue().means();
			out.printf(Locale.ROOT, "  %-4s Dice %.3f  HD95 %6.2f mm  ASSD %5.2f mm%n", names.get(e.getKey()), m.dice(), m.hd95(), m.assd());
		}
		final ClassMetrics mean = result.mean().means();
		out.printf(Locale.ROOT, "  mean Dice %.3f  HD95 %6.2f mm  ASSD %5.2f mm%n", mean.dice(), mean.hd95(), mean.assd());
	}
}
