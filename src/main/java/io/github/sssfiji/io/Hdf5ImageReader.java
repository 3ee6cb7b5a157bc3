package io.github.sssfiji.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.scijava.Priority;
import org.scijava.plugin.Plugin;

/**
 * Reads one dataset of SSL4MIS/UniMatch-style HDF5 files ({@code .h5}, {@code .hdf5}, {@code .hdf}):
 * the {@code image} dataset as float pixels, or the {@code label} dataset as unsigned 8-bit labels.
 * Image and label live in the same file, so a labelled item uses one reader of each content on the
 * same path. See {@link Hdf5Images} for the axis order. As a discovered reader it reads the
 * {@code image} dataset, and the {@code label} dataset when asked for labels.
 */
@Plugin(type = MedicalImageReader.class, priority = Priority.HIGH)
public final class Hdf5ImageReader implements MedicalImageReader {

	/** File name endings this reader accepts, lower case. */
	static final List<String> EXTENSIONS = List.of(".h5", ".hdf5", ".hdf");

	/** Which dataset of the file a reader returns. */
	public enum Content {
		/** The {@code image} dataset, as float. */
		IMAGE(Hdf5Images.IMAGE_DATASET),
		/** The {@code label} dataset, as unsigned byte. */
		LABEL(Hdf5Images.LABEL_DATASET);

		private final String datasetName;

		Content(final String datasetName) {
			this.datasetName = datasetName;
		}

		/** Name of the HDF5 dataset, e.g. {@code image}. */
		public String datasetName() {
			return datasetName;
		}
	}

	private final Content content;

	/** A reader of the {@code image} datasets, as the plugin index creates it. */
	public Hdf5ImageReader() {
		this(Content.IMAGE);
	}

	public Hdf5ImageReader(final Content content) {
		this.content = content;
	}

	/** A reader of the {@code image} datasets. */
	public static Hdf5ImageReader images() {
		return new Hdf5ImageReader(Content.IMAGE);
	}

	/** A reader of the {@code label} datasets (ground truth). */
	public static Hdf5ImageReader labels() {
		return new Hdf5ImageReader(Content.LABEL);
	}

	public Content content() {
		return content;
	}

	@Override
	public boolean canRead(final Path path) {
		final Path fileName = path.getFileName();
		if (fileName == null) return false;
		final String name = fileName.toString().toLowerCase();
		return EXTENSIONS.stream().anyMatch(name::endsWith);
	}

	@Override
	public MedicalImage read(final Path path) throws IOException {
		return content == Content.IMAGE ? Hdf5Images.readImage(path, content.datasetName) : Hdf5Images.readLabel(path, content.datasetName);
	}

	/** The {@code label} dataset, whatever this reader's content. */
	@Override
	public MedicalImage readLabels(final Path path) throws IOException {
		return Hdf5Images.readLabel(path, Content.LABEL.datasetName);
	}

	@Override
	public String toString() {
		return "Hdf5ImageReader[" + content.datasetName + "]";
	}
}
