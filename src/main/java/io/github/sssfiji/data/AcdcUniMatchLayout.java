package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Dataset.Role;
import io.github.sssfiji.io.Hdf5ImageReader;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * ACDC as preprocessed by SSL4MIS, with UniMatch's split lists: HDF5 files holding {@code image}
 * and {@code label}, and {@code splits/unimatch/N/labeled.txt}, {@code unlabeled.txt} beside it and
 * {@code splits/unimatch/val.txt}, each line a file path relative to the dataset root.
 * <p>
 * The split is {@code 1}, {@code 3} or {@code 7} (labelled patients), or the path of a
 * {@code labeled.txt} (absolute, or relative to the root) with {@code unlabeled.txt} beside it and
 * an optional {@code val.txt} beside it or in its parent folder; likewise an optional
 * {@code test.txt} (the held-out test role, labelled: read only by {@code train --test true}, after
 * training). Files under a {@code slices}
 * folder are 2-D slices, others 3-D volumes. Unlabelled items are read without their labels, as
 * in semi-supervised training. The files are read with {@link Hdf5ImageReader}s; the reader given
 * to {@link #open} is not used.
 * </p>
 */
public final class AcdcUniMatchLayout implements DatasetLayout {

	/** ACDC classes by label value. */
	public static final List<String> CLASS_NAMES = List.of("background", "RV", "Myo", "LV");

	/** Folder of the UniMatch split lists, relative to the root. */
	public static final String SPLITS_FOLDER = "splits/unimatch";

	static final String LABELLED_LIST = "labeled.txt";
	static final String UNLABELLED_LIST = "unlabeled.txt";
	static final String VALIDATION_LIST = "val.txt";
	static final String TEST_LIST = "test.txt";

	/** Missing files named in one error message. */
	private static final int MAX_LISTED = 10;

	@Override
	public String name() {
		return "acdc-unimatch";
	}

	@Override
	public String description() {
		return "HDF5 files with " + SPLITS_FOLDER + "/N/" + LABELLED_LIST + ", " + UNLABELLED_LIST + " and " + SPLITS_FOLDER + "/" +
			VALIDATION_LIST + ", optional " + TEST_LIST + " (split 1, 3, 7 or a " + LABELLED_LIST + " path)";
	}

	@Override
	public boolean matches(final Path root, final String split) {
		if (split != null && split.trim().toLowerCase().endsWith(".txt")) return true;
		return Files.isDirectory(root.resolve(SPLITS_FOLDER));
	}

	@Override
	public Dataset open(final Path root, final String split, final MedicalImageReader reader) throws IOException {
		final Path labelledList = labelledList(root, split);
		final Path unlabelledList = labelledList.resolveSibling(UNLABELLED_LIST);
		if (!Files.isRegularFile(unlabelledList))
			throw new InvalidInputException(unlabelledList + ": not found; the unlabelled list must lie beside " + labelledList);
		final Path validationList = besideOrAbove(labelledList, VALIDATION_LIST);
		final Path testList = besideOrAbove(labelledList, TEST_LIST);

		final Map<Role, List<DatasetItem>> items = new EnumMap<>(Role.class);
		items.put(Role.LABELLED, items(root, labelledList, true));
		items.put(Role.UNLABELLED, items(root, unlabelledList, false));
		if (Files.isRegularFile(validationList)) items.put(Role.VALIDATION, items(root, validationList, true));
		if (Files.isRegularFile(testList)) items.put(Role.TEST, items(root, testList, true));
		return new Dataset(root.getFileName() == null ? root.toString() : root.getFileName().toString(), root, name(), CLASS_NAMES, "MRI", items);
	}

	/** The list {@code name} beside {@code labeled.txt}, else in its parent folder (where UniMatch keeps {@code val.txt}). */
	private static Path besideOrAbove(final Path labelledList, final String name) {
		final Path beside = labelledList.resolveSibling(name);
		if (!Files.isRegularFile(beside) && labelledList.getParent() != null && labelledList.getParent().getParent() != null)
			return labelledList.getParent().resolveSibling(name);
		return beside;
	}

	/** Resolves the split argument to a {@code labeled.txt}. */
	static Path labelledList(final Path root, final String split) {
		if (split == null || split.isBlank())
			throw new InvalidInputException(root + ": choose a split (" + availableSplits(root) + ", or the path of a " + LABELLED_LIST + ")");
		final String trimmed = split.trim();
		if (trimmed.matches("\\d+")) {
			final Path list = root.resolve(SPLITS_FOLDER).resolve(trimmed).resolve(LABELLED_LIST);
			if (!Files.isRegularFile(list))
				throw new InvalidInputException("split " + trimmed + ": " + list + " not found (available: " + availableSplits(root) + ")");
			return list;
		}
		Path list;
		try {
			list = Paths.get(trimmed);
		}
		catch (final InvalidPathException e) {
			throw new InvalidInputException("split '" + trimmed + "': not a path (" + e.getMessage() + ")", e);
		}
		if (!list.isAbsolute() && Files.exists(root.resolve(list))) list = root.resolve(list);
		if (Files.isDirectory(list)) list = list.resolve(LABELLED_LIST);
		if (!Files.isRegularFile(list)) throw new InvalidInputException("split '" + trimmed + "': " + list.toAbsolutePath() + " not found");
		return list;
	}

	private static String availableSplits(final Path root) {
		final TreeSet<Integer> splits = new TreeSet<>();
		final Path folder = root.resolve(SPLITS_FOLDER);
		if (Files.isDirectory(folder)) {
			try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
				for (final Path child : children)
					if (child.getFileName().toString().matches("\\d+") && Files.isRegularFile(child.resolve(LABELLED_LIST)))
						splits.add(Integer.parseInt(child.getFileName().toString()));
			}
			catch (final IOException e) {
				return "none readable in " + folder;
			}
		}
		return splits.isEmpty() ? "no numbered splits in " + folder : "splits " + splits;
	}

	private List<DatasetItem> items(final Path root, final Path list, final boolean withLabels) throws IOException {
		final List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
		final Hdf5ImageReader images = Hdf5ImageReader.images();
		final Hdf5ImageReader labels = Hdf5ImageReader.labels();
		final List<DatasetItem> items = new ArrayList<>(lines.size());
		final List<String> missing = new ArrayList<>();
		int missingCount = 0;
		for (int lineNumber = 1; lineNumber <= lines.size(); lineNumber++) {
			final String id = lines.get(lineNumber - 1).trim();
			if (id.isEmpty() || id.startsWith("#")) continue;
			final Path file = root.resolve(id).normalize();
			if (!Files.isRegularFile(file)) {
				if (missingCount++ < MAX_LISTED) missing.add("line " + lineNumber + ": " + id);
				continue;
			}
			final DatasetItem.Kind kind = isUnderSlicesFolder(root.relativize(file)) ? DatasetItem.Kind.SLICE : DatasetItem.Kind.VOLUME;
			items.add(withLabels ? DatasetItem.labelled(id, kind, file, images, file, labels) : DatasetItem.unlabelled(id, kind, file, images));
		}
		if (missingCount > 0)
			throw new InvalidInputException(list + ": " + missingCount + " listed file(s) not found under " + root + ": " + String.join(", ", missing) +
				(missingCount > missing.size() ? ", ..." : ""));
		return items;
	}

	private static boolean isUnderSlicesFolder(final Path relative) {
		for (int i = 0; i < relative.getNameCount() - 1; i++)
			if (relative.getName(i).toString().equals("slices")) return true;
		return false;
	}
}
