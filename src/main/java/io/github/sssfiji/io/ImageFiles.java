package io.github.sssfiji.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.scijava.InstantiableException;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.PluginIndex;
import org.scijava.plugin.PluginInfo;

import io.github.sssfiji.InvalidInputException;

/**
 * Reading any image file SSS understands, by picking the first {@link MedicalImageReader} plugin
 * that accepts it, in order of priority: NIfTI, HDF5 in the SSL4MIS layout, then the ImageJ 1.x
 * reader (TIFF, DICOM) and, when Fiji has it, Bio-Formats, which accepts any file and so comes last.
 */
public final class ImageFiles {

	/** File name endings SSS treats as images, longest first so that {@code .nii.gz} wins over {@code .gz}. */
	private static final String[] EXTENSIONS = { ".nii.gz", ".nii", ".hdf5", ".h5", ".tiff", ".tif", ".dicom", ".dcm" };

	/**
	 * The endings {@link #baseName} and {@link #titleBaseName} strip, longest first: those of {@link #EXTENSIONS},
	 * the NIfTI pair's {@code .hdr} and HDF's {@code .hdf} (which the readers also take), MetaImage and NRRD.
	 */
	private static final String[] NAME_ENDINGS = { ".nii.gz", ".dicom", ".hdf5", ".tiff", ".nrrd", ".nii", ".hdr", ".tif", ".dcm", ".mha", ".hdf", ".h5" };

	private ImageFiles() {}

	/** The readers of this JVM's plugin index, highest priority first. */
	public static List<MedicalImageReader> readers() {
		final List<MedicalImageReader> readers = new ArrayList<>();
		for (final PluginInfo<MedicalImageReader> info : Index.READERS) {
			try {
				readers.add(info.createInstance());
			}
			catch (final InstantiableException e) {
				throw new IllegalStateException("image reader " + info.getClassName() + " cannot be created", e);
			}
		}
		return readers;
	}

	/** A reader of images that dispatches on the file, for code that takes one reader. */
	public static MedicalImageReader imageReader() {
		return dispatching(readers(), false);
	}

	/** A reader of label maps that dispatches on the file (HDF5: the {@code label} dataset). */
	public static MedicalImageReader labelReader() {
		return dispatching(readers(), true);
	}

	/** Reads an image file of any supported format. */
	public static MedicalImage read(final Path path) throws IOException {
		return imageReader().read(path);
	}

	/** Reads a label map of any supported format. */
	public static MedicalImage readLabels(final Path path) throws IOException {
		return labelReader().read(path);
	}

	/**
	 * The file name without folder and without a known image extension ({@code .nii.gz} counts as one): the
	 * name of an item, a subject or an output file. A name with another extension, or with none, stays whole.
	 */
	public static String baseName(final Path path) {
		final String name = path.getFileName().toString();
		final String stripped = withoutImageExtension(name);
		return stripped != null ? stripped : name;
	}

	/**
	 * A window title or a file name of any format (a Bio-Formats file, {@code blobs.gif}) without folder
	 * ({@code /} or {@code \}) and without its image extension: a known one, else its last one.
	 */
	public static String titleBaseName(final String title) {
		String name = title == null ? "" : title.replace('\\', '/');
		name = name.substring(name.lastIndexOf('/') + 1);
		final String stripped = withoutImageExtension(name);
		if (stripped != null) return stripped;
		final int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}

	/** {@code name} without the first of {@link #NAME_ENDINGS} it ends with, or null for none (or when nothing would remain). */
	private static String withoutImageExtension(final String name) {
		final String lower = name.toLowerCase(Locale.ROOT);
		for (final String ending : NAME_ENDINGS)
			if (lower.endsWith(ending) && lower.length() > ending.length()) return name.substring(0, name.length() - ending.length());
		return null;
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

	/** A file of a folder that no reader takes, and why. */
	public record Skipped(Path file, String reason) {

		@Override
		public String toString() {
			return file.getFileName() + ": " + reason;
		}
	}

	/** What {@link #scan} found: the files a reader takes, sorted by name, and the others with the reason. */
	public record Listing(List<Path> images, List<Skipped> skipped) {

		public Listing {
			images = List.copyOf(images);
			skipped = List.copyOf(skipped);
		}
	}

	/**
	 * The files directly in {@code folder} that a reader of this JVM takes ({@link MedicalImageReader#canRead}:
	 * NIfTI, HDF5, TIFF, DICOM, and any format Bio-Formats knows when Fiji has it), sorted by name,
	 * and every other file with the reason no reader takes it; hidden files (starting with a dot) and
	 * sub-folders are left out. Unlike {@link #list}, which goes by the name endings SSS knows (for
	 * datasets and evaluation folders, which may hold other files), this is for folders of images to
	 * segment as users have them.
	 */
	public static Listing scan(final Path folder) throws IOException {
		if (!Files.isDirectory(folder)) throw new InvalidInputException(folder + ": not a folder");
		final List<MedicalImageReader> readers = readers();
		final List<Path> images = new ArrayList<>();
		final List<Skipped> skipped = new ArrayList<>();
		try (Stream<Path> files = Files.list(folder)) {
			for (final Path file : files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
				if (readers.stream().anyMatch(r -> r.canRead(file))) images.add(file);
				else skipped.add(new Skipped(file, unsupported(readers, file)));
			}
		}
		return new Listing(images, skipped);
	}

	/** Why no reader takes {@code path}: the formats SSS reads, and what the readers add ({@link MedicalImageReader#refusal}). */
	private static String unsupported(final List<MedicalImageReader> readers, final Path path) {
		final StringBuilder reason = new StringBuilder("unsupported file type (SSS reads .nii, .nii.gz, .h5 and, through ImageJ, .tif and DICOM; " +
			"other formats need Bio-Formats in Fiji)");
		for (final MedicalImageReader reader : readers) {
			final String refusal = reader.refusal(path);
			if (refusal != null) reason.append("; ").append(refusal);
		}
		return reason.toString();
	}

	private static MedicalImageReader dispatching(final List<MedicalImageReader> readers, final boolean labels) {
		return new MedicalImageReader() {

			@Override
			public boolean canRead(final Path path) {
				return readers.stream().anyMatch(r -> r.canRead(path));
			}

			@Override
			public MedicalImage read(final Path path) throws IOException {
				if (!Files.exists(path)) throw new InvalidInputException(path + ": file not found");
				for (final MedicalImageReader reader : readers)
					if (reader.canRead(path)) return labels ? reader.readLabels(path) : reader.read(path);
				throw new InvalidInputException(path + ": " + unsupported(readers, path));
			}

			@Override
			public String toString() {
				return "ImageFiles" + (labels ? "[labels]" : "") + readers;
			}
		};
	}

	/**
	 * The reader plugins, found once per class loader in the SciJava plugin index of the jars that
	 * loaded SSS (no context needed: readers are used by static code and by the CLI before a context
	 * exists).
	 */
	private static final class Index {

		static final List<PluginInfo<MedicalImageReader>> READERS = discover();

		private static List<PluginInfo<MedicalImageReader>> discover() {
			final PluginIndex index = new PluginIndex(new DefaultPluginFinder(ImageFiles.class.getClassLoader()));
			index.discover();
			final List<PluginInfo<MedicalImageReader>> readers = new ArrayList<>(index.getPlugins(MedicalImageReader.class));
			// PluginInfo orders by priority, highest first
			Collections.sort(readers);
			if (readers.isEmpty()) throw new IllegalStateException("no image reader plugins found (META-INF/json/org.scijava.plugin.Plugin missing from the SSS jar?)");
			return List.copyOf(readers);
		}
	}
}
