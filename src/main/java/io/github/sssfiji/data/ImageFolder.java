package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * The image files of one folder, by base name (file name without its image extension). Hidden
 * files and subfolders are skipped; any other file the reader cannot read is an error, so a
 * stray or misnamed file is reported instead of silently dropped.
 */
final class ImageFolder {

	/** Problems named in one message. */
	private static final int MAX_LISTED = 10;

	private ImageFolder() {}

	/**
	 * Lists {@code folder}.
	 *
	 * @param fileEnding the ending every file must have (e.g. {@code .nii.gz}), or null for any file
	 *          the reader reads
	 * @return base name to file, sorted by base name
	 */
	static Map<String, Path> list(final Path folder, final MedicalImageReader reader, final String fileEnding) throws IOException {
		if (!Files.isDirectory(folder)) throw new InvalidInputException(folder + ": folder not found");
		final Map<String, Path> files = new TreeMap<>();
		final List<String> problems = new ArrayList<>();
		try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
			for (final Path file : children) {
				final String fileName = file.getFileName().toString();
				if (fileName.startsWith(".") || Files.isDirectory(file)) continue;
				if (fileEnding != null && !fileName.endsWith(fileEnding)) {
					problems.add(fileName + " (does not end with " + fileEnding + ")");
					continue;
				}
				if (!reader.canRead(file)) {
					problems.add(fileName + " (not an image file " + reader.getClass().getSimpleName() + " reads)");
					continue;
				}
				final String base = fileEnding != null ? fileName.substring(0, fileName.length() - fileEnding.length()) : ImageFiles.titleBaseName(fileName);
				final Path previous = files.put(base, file);
				if (previous != null) problems.add(fileName + " (same base name as " + previous.getFileName() + ")");
			}
		}
		if (!problems.isEmpty()) throw new InvalidInputException(folder + ": " + listed(problems));
		return files;
	}

	/**
	 * Pairs images with labels by base name.
	 *
	 * @throws InvalidInputException naming the images without a label and the labels without an image
	 */
	static List<DatasetItem> matched(final Map<String, Path> images, final Path imagesFolder, final Map<String, Path> labels,
		final Path labelsFolder, final MedicalImageReader reader)
	{
		final List<String> withoutLabel = new ArrayList<>();
		for (final Map.Entry<String, Path> image : images.entrySet())
			if (!labels.containsKey(image.getKey())) withoutLabel.add(image.getValue().getFileName().toString());
		final List<String> withoutImage = new ArrayList<>();
		for (final Map.Entry<String, Path> label : labels.entrySet())
			if (!images.containsKey(label.getKey())) withoutImage.add(label.getValue().getFileName().toString());
		if (!withoutLabel.isEmpty() || !withoutImage.isEmpty()) {
			final List<String> parts = new ArrayList<>();
			if (!withoutLabel.isEmpty()) parts.add(imagesFolder + ": " + withoutLabel.size() + " image(s) without a label in " + labelsFolder + ": " + listed(withoutLabel));
			if (!withoutImage.isEmpty()) parts.add(labelsFolder + ": " + withoutImage.size() + " label(s) without an image in " + imagesFolder + ": " + listed(withoutImage));
			throw new InvalidInputException(String.join("; ", parts));
		}
		final List<DatasetItem> items = new ArrayList<>(images.size());
		for (final Map.Entry<String, Path> image : images.entrySet())
			items.add(DatasetItem.labelled(image.getKey(), DatasetItem.Kind.UNDECLARED, image.getValue(), reader, labels.get(image.getKey()), reader));
		return items;
	}

	/** Unlabelled items, one per image. */
	static List<DatasetItem> unlabelled(final Map<String, Path> images, final MedicalImageReader reader) {
		final List<DatasetItem> items = new ArrayList<>(images.size());
		for (final Map.Entry<String, Path> image : images.entrySet())
			items.add(DatasetItem.unlabelled(image.getKey(), DatasetItem.Kind.UNDECLARED, image.getValue(), reader));
		return items;
	}

	/** Whether {@code folder} exists and holds at least one non-hidden entry. */
	static boolean hasFiles(final Path folder) throws IOException {
		if (!Files.isDirectory(folder)) return false;
		try (DirectoryStream<Path> children = Files.newDirectoryStream(folder, child -> !child.getFileName().toString().startsWith("."))) {
			return children.iterator().hasNext();
		}
	}

	/** The first problems, joined, with a count of the rest. */
	static String listed(final List<String> problems) {
		final String shown = String.join(", ", problems.subList(0, Math.min(MAX_LISTED, problems.size())));
		return problems.size() > MAX_LISTED ? shown + " and " + (problems.size() - MAX_LISTED) + " more" : shown;
	}
}
