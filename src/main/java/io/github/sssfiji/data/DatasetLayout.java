package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.file.Path;

import io.github.sssfiji.io.MedicalImageReader;

/**
 * One way of laying out a dataset on disk. A layout recognises its folders cheaply, then opens the
 * dataset: it lists and matches files and checks the structure, but reads no pixels (except where
 * it must learn the classes from the labels).
 */
public interface DatasetLayout {

	/** Short name, e.g. {@code nnunet}. */
	String name();

	/** One line for users: the folders and files this layout expects. */
	String description();

	/** Whether {@code root} (with this split argument) looks like this layout; reads no images. */
	boolean matches(Path root, String split);

	/**
	 * Opens the dataset.
	 *
	 * @param split layout-specific choice of the labelled/validation partition, or null
	 * @param reader reads the image and label files (for layouts whose files are not self-describing)
	 * @throws io.github.sssfiji.InvalidInputException naming the file(s) and the problem when the
	 *           dataset is inconsistent
	 */
	Dataset open(Path root, String split, MedicalImageReader reader) throws IOException;
}
