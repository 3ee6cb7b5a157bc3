package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * One image of a {@link Dataset}, with its ground truth where it has one. Nothing is read until
 * {@link #readImage()} or {@link #readLabel()} is called, and every call reads the file again, so a
 * dataset of thousands of items costs no memory; callers cache what they reuse.
 */
public final class DatasetItem {

	/** What the layout says about the item's geometry. */
	public enum Kind {
		/** A 2-D slice (two image axes). */
		SLICE,
		/** A 3-D volume (three image axes). */
		VOLUME,
		/** The layout does not say; the file decides (2-D or 3-D). */
		UNDECLARED
	}

	private final String id;
	private final Kind kind;
	private final Path imagePath;
	private final MedicalImageReader imageReader;
	private final Path labelPath;
	private final MedicalImageReader labelReader;

	private DatasetItem(final String id, final Kind kind, final Path imagePath, final MedicalImageReader imageReader, final Path labelPath,
		final MedicalImageReader labelReader)
	{
		this.id = Objects.requireNonNull(id, "id");
		this.kind = Objects.requireNonNull(kind, "kind");
		this.imagePath = Objects.requireNonNull(imagePath, "imagePath");
		this.imageReader = Objects.requireNonNull(imageReader, "imageReader");
		this.labelPath = labelPath;
		this.labelReader = labelReader;
	}

	/**
	 * An item with ground truth. Image and label may be the same file read by two readers (as in
	 * ACDC's HDF5 files, which hold both).
	 */
	public static DatasetItem labelled(final String id, final Kind kind, final Path imagePath, final MedicalImageReader imageReader,
		final Path labelPath, final MedicalImageReader labelReader)
	{
		return new DatasetItem(id, kind, imagePath, imageReader, Objects.requireNonNull(labelPath, "labelPath"),
			Objects.requireNonNull(labelReader, "labelReader"));
	}

	/** An item without ground truth. */
	public static DatasetItem unlabelled(final String id, final Kind kind, final Path imagePath, final MedicalImageReader imageReader) {
		return new DatasetItem(id, kind, imagePath, imageReader, null, null);
	}

	/** Name of the item within its role, e.g. a case name or a path relative to the dataset root. */
	public String id() {
		return id;
	}

	public Kind kind() {
		return kind;
	}

	public Path imagePath() {
		return imagePath;
	}

	/** The ground-truth file, if the item has one. */
	public Optional<Path> labelPath() {
		return Optional.ofNullable(labelPath);
	}

	public boolean isLabelled() {
		return labelPath != null;
	}

	/** Reads the image file (again, on every call). */
	public MedicalImage readImage() throws IOException {
		return imageReader.read(imagePath);
	}

	/**
	 * Reads the ground truth (again, on every call).
	 *
	 * @throws IllegalStateException when the item has no ground truth
	 */
	public MedicalImage readLabel() throws IOException {
		if (labelPath == null) throw new IllegalStateException(id + " has no label");
		return labelReader.read(labelPath);
	}

	@Override
	public String toString() {
		return "DatasetItem[" + id + ", " + kind + ", " + imagePath + (labelPath == null ? "" : ", label " + labelPath) + "]";
	}
}
