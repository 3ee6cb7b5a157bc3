package io.github.sssfiji.command;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.measure.ResultsTable;
import io.github.sssfiji.eval.EvaluationReport;
import io.github.sssfiji.eval.EvaluationResult;
import io.github.sssfiji.eval.EvaluationCases;
import io.github.sssfiji.eval.Evaluator;
import io.github.sssfiji.eval.MetricsRow;
import io.github.sssfiji.util.Values;

/**
 * {@code Plugins > Segmentation > SSS > SSS Evaluate}: Dice, Jaccard, HD95, ASD and ASSD of predicted
 * label files against references (files or folders matched by base name), as a results table and
 * optionally a CSV file.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Evaluate", headless = true)
public class EvaluateCommand implements Command {

	@Parameter(label = "Prediction (file or folder)", style = "both", persist = false)
	File prediction;

	@Parameter(label = "Ground truth (file or folder)", style = "both", persist = false)
	File ground_truth;

	@Parameter(label = "Classes (comma-separated, empty = all)", required = false)
	String classes = "";

	@Parameter(label = "CSV output (optional)", style = "save", required = false, persist = false)
	File output;

	@Parameter(type = ItemIO.OUTPUT)
	ResultsTable table;

	@Parameter(type = ItemIO.OUTPUT)
	double mean_dice;

	@Override
	public void run() {
		try {
			final EvaluationResult result = Evaluator.evaluate(EvaluationCases.pairs(prediction.toPath(), ground_truth.toPath()),
				Values.intList("classes", classes));
			if (output != null && !output.getPath().isEmpty()) EvaluationReport.writeCsv(result, output.toPath());
			table = new ResultsTable();
			for (final MetricsRow row : result.rows()) {
				table.incrementCounter();
				table.addValue("case", row.caseName());
				table.addValue("class", row.classLabel());
				table.addValue("dice", row.metrics().dice());
				table.addValue("jaccard", row.metrics().jaccard());
				table.addValue("hd95", row.metrics().hd95());
				table.addValue("asd", row.metrics().asd());
				table.addValue("assd", row.metrics().assd());
			}
			mean_dice = result.mean().means().dice();
			if (!GraphicsEnvironment.isHeadless()) table.show("SSS Evaluation");
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Evaluate: " + e.getMessage(), e);
		}
	}
}
