package io.github.sssfiji.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;

/**
 * Evaluation cases from files: a prediction and a reference label file, or two folders whose files
 * are matched by base name (NIfTI, or HDF5 whose {@code label} dataset is read).
 */
public final class EvaluationCases {

	private EvaluationCases() {}

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

	/**
	 * The label files of {@code folder} by base name, as {@link #pairs} matches them.
	 *
	 * @throws InvalidInputException when two files share a base name
	 */
	public static Map<String, Path> byBaseName(final Path folder) throws IOException {
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
