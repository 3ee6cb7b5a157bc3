package io.github.sssfiji.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.github.sssfiji.InvalidInputException;

/**
 * Reading any image file SSS understands, by picking the first {@link MedicalImageReader} that
 * accepts it: NIfTI, HDF5 in the SSL4MIS layout, then (when present) the ImageJ 1.x and Bio-Formats
 * readers.
 */
public final class ImageFiles {

	/** File name endings SSS treats as images, longest first so that {@code .nii.gz} wins over {@code .gz}. */
	private static final String[] EXTENSIONS = { ".nii.gz", ".nii", ".hdf5", ".h5", ".tiff", ".tif", ".dicom", ".dcm" };

	private ImageFiles() {}

	/** The readers tried in order for images (for HDF5: the {@code image} dataset). */
	public static List<MedicalImageReader> imageReaders() {
		return readers(Hdf5ImageReader.images());
	}

	/** The readers tried in order for label maps (for HDF5: the {@code label} dataset). */
	public static List<MedicalImageReader> labelReaders() {
		return readers(Hdf5ImageReader.labels());
	}

	private static List<MedicalImageReader> readers(final Hdf5ImageReader hdf5) {
		final List<MedicalImageReader> readers = new ArrayList<>();
		readers.add(new NiftiReader());
		readers.add(hdf5);
		readers.add(new ImageJ1Reader());
		// last: when Fiji has Bio-Formats it accepts any file
		readers.add(new BioFormatsReader());
		return readers;
	}

	/** A reader of images that dispatches on the file, for code that takes one reader. */
	public static MedicalImageReader imageReader() {
		return dispatching(imageReaders());
	}

	/** A reader of label maps that dispatches on the file (HDF5: the {@code label} dataset). */
	public static MedicalImageReader labelReader() {
		return dispatching(labelReaders());
	}

	/** Reads an image file of any supported format. */
	public static MedicalImage read(final Path path) throws IOException {
		return imageReader().read(path);
	}

	/** Reads a label map of any supported format. */
	public static MedicalImage readLabels(final Path path) throws IOException {
		return labelReader().read(path);
	}

	/** The file name without folder and without a known image extension. */
	public static String baseName(final Path path) {
		final String name = path.getFileName().toString();
		final String lower = name.toLowerCase(Locale.ROOT);
		for (final String extension : EXTENSIONS)
			if (lower.endsWith(extension)) return name.substring(0, name.length() - extension.length());
		return name;
	}

	/** Whether the file name ends with an image extension SSS knows. */
	public static boolean hasImageExtension(final Path path) {
		final String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
		for (final String extension : EXTENSIONS)
			if (lower.endsWith(extension)) return true;
		return false;
	}

	/** The image files directly in {@code folder}, sorted by name; hidden files are skipped. */
	public static List<Path> list(final Path folder) throws IOException {
		if (!Files.isDirectory(folder)) throw new InvalidInputException(folder + ": not a folder");
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
				.filter(ImageFiles::hasImageExtension).sorted().toList();
		}
	}

	private static MedicalImageReader dispatching(final List<MedicalImageReader> readers) {
		return new MedicalImageReader() {

			@Override
			public boolean canRead(final Path path) {
				return readers.stream().anyMatch(r -> r.canRead(path));
			}

			@Override
			public MedicalImage read(final Path path) throws IOException {
				if (!Files.exists(path)) throw new InvalidInputException(path + ": file not found");
				for (final MedicalImageReader reader : readers)
					if (reader.canRead(path)) return reader.read(path);
				throw new InvalidInputException(path + ": unsupported file type (SSS reads .nii, .nii.gz, .h5" +
					" and, through ImageJ, .tif and DICOM; other formats need Bio-Formats in Fiji)");
			}

			@Override
			public String toString() {
				return "ImageFiles" + readers;
			}
		};
	}
}
