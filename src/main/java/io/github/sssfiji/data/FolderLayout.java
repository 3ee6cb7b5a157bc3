package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Dataset.Role;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * Plain folders of NIfTI or TIFF files (anything the given reader reads), matched by base name:
 * <pre>
 * images/      labelled images       labels/      their labels (same base names)
 * unlabeled/   unlabelled images (also spelt unlabelled/)
 * val/images/  validation images     val/labels/  their labels
 * test/images/ test images           test/labels/ their labels (optional)
 * classes.txt  one class name per line, background first (optional)
 * dataset.json with an nnU-Net style "labels" entry (optional, used when classes.txt is absent)
 * </pre>
 * Without {@code classes.txt} or {@code dataset.json} the classes are named {@code background},
 * {@code class 1} ... up to the largest label value, which means reading every label file when the
 * dataset is opened.
 */
public final class FolderLayout implements DatasetLayout {

	static final String IMAGES = "images";
	static final String LABELS = "labels";
	static final List<String> UNLABELLED = List.of("unlabeled", "unlabelled");
	static final String VALIDATION = "val";
	static final String TEST = "test";
	static final String CLASSES_TXT = "classes.txt";
	static final String DATASET_JSON = "dataset.json";

	@Override
	public String name() {
		return "folders";
	}

	@Override
	public String description() {
		return "images/ and labels/ (matched by base name), optional unlabeled/, val/{images,labels}, test/{images,labels}, classes.txt";
	}

	@Override
	public boolean matches(final Path root, final String split) {
		return Files.isDirectory(root.resolve(IMAGES));
	}

	@Override
	public Dataset open(final Path root, final String split, final MedicalImageReader reader) throws IOException {
		if (split != null && !split.isBlank())
			throw new InvalidInputException("split '" + split + "': the " + name() + " layout of " + root + " has no splits; leave it empty");
		Objects.requireNonNull(reader, "reader");
		final Map<Role, List<DatasetItem>> items = new EnumMap<>(Role.class);
		items.put(Role.LABELLED, pairs(root.resolve(IMAGES), root.resolve(LABELS), reader, true));
		for (final String folder : UNLABELLED)
			if (Files.isDirectory(root.resolve(folder))) {
				if (items.containsKey(Role.UNLABELLED))
					throw new InvalidInputException(root + ": both " + UNLABELLED.get(0) + "/ and " + UNLABELLED.get(1) + "/ exist; keep one");
				items.put(Role.UNLABELLED, ImageFolder.unlabelled(ImageFolder.list(root.resolve(folder), reader, null), reader));
			}
		if (Files.isDirectory(root.resolve(VALIDATION)))
			items.put(Role.VALIDATION, pairs(root.resolve(VALIDATION).resolve(IMAGES), root.resolve(VALIDATION).resolve(LABELS), reader, true));
		if (Files.isDirectory(root.resolve(TEST)))
			items.put(Role.TEST, pairs(root.resolve(TEST).resolve(IMAGES), root.resolve(TEST).resolve(LABELS), reader, false));
		if (items.get(Role.LABELLED).isEmpty()) throw new InvalidInputException(root.resolve(IMAGES) + ": no labelled images");
		final String name = root.getFileName() == null ? root.toString() : root.getFileName().toString();
		return new Dataset(name, root, name(), classNames(root, items), null, items);
	}

	private static List<DatasetItem> pairs(final Path images, final Path labels, final MedicalImageReader reader, final boolean labelsRequired)
		throws IOException
	{
		if (!Files.isDirectory(labels)) {
			if (labelsRequired) throw new InvalidInputException(labels + ": folder not found; it must hold the labels of " + images);
			return ImageFolder.unlabelled(ImageFolder.list(images, reader, null), reader);
		}
		return ImageFolder.matched(ImageFolder.list(images, reader, null), images, ImageFolder.list(labels, reader, null), labels, reader);
	}

	private static List<String> classNames(final Path root, final Map<Role, List<DatasetItem>> items) throws IOException {
		final Path classesTxt = root.resolve(CLASSES_TXT);
		if (Files.isRegularFile(classesTxt)) return ClassNames.fromTextFile(classesTxt);
		final Path datasetJson = root.resolve(DATASET_JSON);
		if (Files.isRegularFile(datasetJson)) {
			final DatasetJson json = DatasetJson.read(datasetJson);
			if (json.classNames == null) throw new InvalidInputException(datasetJson + ": no 'labels' entry naming the classes");
			return json.classNames;
		}
		return ClassNames.numbered(largestLabel(root, items));
	}

	/** Reads every label file: the only way to learn the classes when nothing declares them. */
	private static int largestLabel(final Path root, final Map<Role, List<DatasetItem>> items) throws IOException {
		final List<DatasetItem> labelled = new ArrayList<>();
		for (final List<DatasetItem> roleItems : items.values())
			for (final DatasetItem item : roleItems)
				if (item.isLabelled()) labelled.add(item);
		int largest = 0;
		for (final DatasetItem item : labelled) {
			final Path labelPath = item.labelPath().get();
			final MedicalImage label = item.readLabel();
			final int[] values;
			try {
				values = label.toLabelArray();
			}
			catch (final IllegalArgumentException e) {
				throw new InvalidInputException(labelPath + ": not a label image (" + e.getMessage() + ")", e);
			}
			for (final int value : values) {
				if (value < 0) throw new InvalidInputException(labelPath + ": negative label value " + value);
				largest = Math.max(largest, value);
			}
		}
		if (largest == 0)
			throw new InvalidInputException(root + ": every label is background (0), so the classes are unknown; name them in " + CLASSES_TXT);
		return largest;
	}
}
