package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * Opens datasets, detecting their layout: ACDC HDF5 with UniMatch split lists, nnU-Net
 * ({@code imagesTr}/{@code labelsTr} with {@code dataset.json}), or plain {@code images}/{@code labels}
 * folders.
 */
public final class Datasets {

	private static final List<DatasetLayout> LAYOUTS = List.of(new AcdcUniMatchLayout(), new NnUnetLayout(), new FolderLayout());

	private Datasets() {}

	/** The known layouts, in the order detection tries them. */
	public static List<DatasetLayout> layouts() {
		return LAYOUTS;
	}

	/**
	 * The first layout that matches {@code root}.
	 *
	 * @throws InvalidInputException when {@code root} is not a folder or no layout matches
	 */
	public static DatasetLayout detect(final Path root, final String split) {
		if (!Files.isDirectory(root)) throw new InvalidInputException(root + ": dataset folder not found");
		for (final DatasetLayout layout : LAYOUTS)
			if (layout.matches(root, split)) return layout;
		throw new InvalidInputException(root + ": not a dataset folder SSS knows. Expected one of:\n" +
			LAYOUTS.stream().map(layout -> "  " + layout.name() + ": " + layout.description()).collect(Collectors.joining("\n")));
	}

	/**
	 * Detects the layout of {@code root} and opens the dataset. Checks the structure only; call
	 * {@link Dataset#validate()} to read and check every file.
	 *
	 * @param split which partition to use: for ACDC {@code 1}, {@code 3}, {@code 7} or the path of a
	 *          {@code labeled.txt}; for nnU-Net a fold of {@code splits_final.json} or null; for
	 *          plain folders null
	 * @param reader reads NIfTI/TIFF images and labels (the ACDC layout reads HDF5 itself)
	 */
	public static Dataset open(final Path root, final String split, final MedicalImageReader reader) throws IOException {
		return detect(root, split).open(root, split, reader);
	}
}
