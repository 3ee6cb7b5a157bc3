package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;

/**
 * Reads the files of dataset items and checks their content: rank, image/label shape and label
 * values. Collects every problem before failing, so one run tells the user all that is wrong.
 */
final class DatasetValidator {

	/** Problems listed in the exception message; the rest are counted. */
	private static final int MAX_LISTED = 50;

	/** Distinct bad label values listed per file. */
	private static final int MAX_VALUES = 10;

	private DatasetValidator() {}

	static void check(final Dataset dataset, final List<DatasetItem> items) {
		final List<String> problems = new ArrayList<>();
		for (final DatasetItem item : items)
			checkItem(item, dataset.numClasses(), problems);
		if (problems.isEmpty()) return;
		final StringBuilder message = new StringBuilder(dataset.root() + ": " + problems.size() + " problem(s) in dataset " + dataset.name() + ":");
		for (final String problem : problems.subList(0, Math.min(MAX_LISTED, problems.size())))
			message.append("\n  ").append(problem);
		if (problems.size() > MAX_LISTED) message.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
		throw new InvalidInputException(message.toString());
	}

	private static void checkItem(final DatasetItem item, final int numClasses, final List<String> problems) {
		final MedicalImage image;
		try {
			image = item.readImage();
		}
		catch (final IOException | InvalidInputException e) {
			problems.add(item.imagePath() + ": cannot be read (" + e.getMessage() + ")");
			return;
		}
		final int[] imageDims = withoutTrailingOnes(image.dims());
		final String rankProblem = rankProblem(item.kind(), image.numDimensions(), imageDims.length);
		if (rankProblem != null) problems.add(item.imagePath() + ": " + rankProblem + " (dims " + Arrays.toString(image.dims()) + ")");
		if (!item.isLabelled()) return;

		final Path labelPath = item.labelPath().get();
		final MedicalImage label;
		try {
			label = item.readLabel();
		}
		catch (final IOException | InvalidInputException e) {
			problems.add(labelPath + ": cannot be read (" + e.getMessage() + ")");
			return;
		}
		if (!Arrays.equals(imageDims, withoutTrailingOnes(label.dims()))) {
			problems.add(labelPath + ": label shape " + Arrays.toString(label.dims()) + " differs from image shape " +
				Arrays.toString(image.dims()) + " of " + item.imagePath());
			return;
		}
		final int[] values;
		try {
			values = label.toLabelArray();
		}
		catch (final IllegalArgumentException e) {
			problems.add(labelPath + ": not a label image (" + e.getMessage() + ")");
			return;
		}
		final TreeSet<Integer> outside = new TreeSet<>();
		for (final int value : values)
			if ((value < 0 || value >= numClasses) && outside.size() < MAX_VALUES) outside.add(value);
		if (!outside.isEmpty())
			problems.add(labelPath + ": label value(s) " + outside + " outside the " + numClasses + " declared classes (0.." + (numClasses - 1) + ")");
	}

	private static String rankProblem(final DatasetItem.Kind kind, final int rank, final int effectiveRank) {
		switch (kind) {
			case SLICE:
				return effectiveRank == 2 ? null : "expected a 2-D slice, found " + rank + " dimensions";
			case VOLUME:
				return rank >= 3 && effectiveRank <= 3 ? null : "expected a 3-D volume, found " + rank + " dimensions";
			default:
				return effectiveRank <= 3 ? null : "has " + effectiveRank + " dimensions; SSS handles 2-D slices and 3-D volumes";
		}
	}

	/** Drops trailing axes of extent 1 (a z or t of 1), keeping at least two axes. */
	static int[] withoutTrailingOnes(final int[] dims) {
		int n = dims.length;
		while (n > 2 && dims[n - 1] == 1)
			n--;
		return Arrays.copyOf(dims, n);
	}
}
