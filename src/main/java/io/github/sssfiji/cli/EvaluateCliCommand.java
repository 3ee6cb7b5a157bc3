package io.github.sssfiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.eval.CasePair;
import io.github.sssfiji.eval.EvaluationReport;
import io.github.sssfiji.eval.EvaluationResult;
import io.github.sssfiji.eval.Evaluator;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;

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
		final EvaluationResult result = Evaluator.evaluate(pairs(pred, gt), classes);
		if (csv != null) EvaluationReport.writeCsv(result, Path.of(csv));
		out.println(EvaluationReport.toJson(result));
		return 0;
	}

	/**
	 * The cases to evaluate: one pair for two files, or every reference in folder {@code gt} with the
	 * prediction of the same base name in {@code pred}.
	 */
	public static List<CasePair> pairs(final Path pred, final Path gt) throws IOException {
		final List<CasePair> cases = new ArrayList<>();
		if (!Files.isDirectory(gt)) {
			if (Files.isDirectory(pred)) {
				final Path match = byBaseName(pred).get(ImageFiles.baseName(gt));
				if (match == null) throw new InvalidInputException(pred + ": no prediction named like " + gt.getFileName());
				cases.add(pair(match, gt));
			}
			else cases.add(pair(pred, gt));
			return cases;
		}
		if (!Files.isDirectory(pred)) throw new InvalidInputException("--pred " + pred + " is a file but --gt " + gt + " is a folder");
		final Map<String, Path> predictions = byBaseName(pred);
		final List<String> missing = new ArrayList<>();
		for (final Map.Entry<String, Path> reference : byBaseName(gt).entrySet()) {
			final Path match = predictions.get(reference.getKey());
			if (match == null) missing.add(reference.getKey());
			else cases.add(pair(match, reference.getValue()));
		}
		if (!missing.isEmpty())
			throw new InvalidInputException(pred + ": no prediction for " + missing.size() + " reference case(s): " + String.join(", ", missing));
		if (cases.isEmpty()) throw new InvalidInputException(gt + ": no label files found");
		return cases;
	}

	private static CasePair pair(final Path pred, final Path gt) throws IOException {
		final MedicalImage reference = ImageFiles.readLabels(gt);
		final MedicalImage prediction = ImageFiles.readLabels(pred);
		return CasePair.of(prediction, reference);
	}

	private static Map<String, Path> byBaseName(final Path folder) throws IOException {
		final Map<String, Path> out = new LinkedHashMap<>();
		for (final Path file : ImageFiles.list(folder)) {
			final Path previous = out.put(ImageFiles.baseName(file), file);
			if (previous != null)
				throw new InvalidInputException(folder + ": two files with base name " + ImageFiles.baseName(file) + " (" +
					previous.getFileName() + ", " + file.getFileName() + ")");
		}
		return out;
	}
}
