package io.github.sssfiji.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Collectors;

import io.github.sssfiji.InvalidInputException;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * Reads 2-D and 3-D arrays from HDF5 files as {@link MedicalImage}s, as laid out by SSL4MIS and
 * UniMatch for ACDC: a float {@code image} dataset and an unsigned 8-bit {@code label} dataset of
 * shape {@code (H, W)} or {@code (Z, H, W)}.
 * <p>
 * The datasets are C-ordered (last axis fastest), so the flat data already is ImgLib2's x-fastest
 * order once the axes are reversed: shape {@code (Z, H, W)} becomes dimensions {@code [W, H, Z]}
 * and no element moves. HDF5 stores no voxel spacing here, so every spacing is 1.
 * </p>
 */
public final class Hdf5Images {

	/** Format tag of the images read here. */
	public static final String FORMAT = "hdf5";

	/** Name of the image dataset in SSL4MIS/UniMatch files. */
	public static final String IMAGE_DATASET = "image";

	/** Name of the label dataset in SSL4MIS/UniMatch files. */
	public static final String LABEL_DATASET = "label";

	private Hdf5Images() {}

	/** The {@code image} dataset as {@link net.imglib2.type.numeric.real.FloatType}. */
	public static MedicalImage readImage(final Path path) throws IOException {
		return readImage(path, IMAGE_DATASET);
	}

	/** The {@code label} dataset as {@link net.imglib2.type.numeric.integer.UnsignedByteType}. */
	public static MedicalImage readLabel(final Path path) throws IOException {
		return readLabel(path, LABEL_DATASET);
	}

	/**
	 * Any numeric dataset as {@link net.imglib2.type.numeric.real.FloatType} (integers and doubles
	 * are converted).
	 *
	 * @param datasetPath name or path of the dataset inside the file, e.g. {@code image}
	 */
	public static MedicalImage readImage(final Path path, final String datasetPath) throws IOException {
		return read(path, file -> {
			final Dataset dataset = numericDataset(file, path, datasetPath);
			final long[] dims = imgLibDims(dataset, path, datasetPath);
			return image(path, ArrayImgs.floats(toFloats(flatData(dataset, path, datasetPath), path, datasetPath), dims));
		});
	}

	/**
	 * An integer dataset (or a float one holding only whole numbers) with values 0 to 255 as
	 * {@link net.imglib2.type.numeric.integer.UnsignedByteType}.
	 *
	 * @param datasetPath name or path of the dataset inside the file, e.g. {@code label}
	 * @throws InvalidInputException when a value is fractional or outside 0 to 255
	 */
	public static MedicalImage readLabel(final Path path, final String datasetPath) throws IOException {
		return read(path, file -> {
			final Dataset dataset = numericDataset(file, path, datasetPath);
			final long[] dims = imgLibDims(dataset, path, datasetPath);
			return image(path, ArrayImgs.unsignedBytes(toUnsignedBytes(flatData(dataset, path, datasetPath), path, datasetPath), dims));
		});
	}

	/** What is read from an open HDF5 file. */
	private interface FileReader {
		MedicalImage read(HdfFile file) throws IOException;
	}

	/**
	 * Opens {@code path} and reads it with {@code reader}; whatever jhdf throws on a damaged file
	 * becomes an {@link InvalidInputException} naming the file.
	 */
	private static MedicalImage read(final Path path, final FileReader reader) throws IOException {
		try (HdfFile file = open(path)) {
			return reader.read(file);
		}
		catch (final HdfException e) {
			throw notReadable(path, e);
		}
		catch (final InvalidInputException e) {
			throw e;
		}
		catch (final RuntimeException e) {
			throw damaged(path, e);
		}
		catch (final OutOfMemoryError e) {
			// over a file channel (files over 2 GiB), jhdf allocates what a (damaged) object header declares in one array, which fails
			// at once and leaves the heap as it was
			throw new InvalidInputException(path + ": not a readable HDF5 file (a structure in it declares more bytes than the memory holds; damaged?)", e);
		}
	}

	/** Whether the HDF5 file has a dataset at {@code datasetPath}. */
	public static boolean hasDataset(final Path path, final String datasetPath) throws IOException {
		try (HdfFile file = open(path)) {
			return file.getByPath(datasetPath) instanceof Dataset;
		}
		catch (final HdfException e) {
			return false;
		}
	}

	/**
	 * Opens {@code path} over a read-only memory map of the whole file (files up to 2 GiB, the most a
	 * {@link java.nio.ByteBuffer} holds), else over jhdf's file channel.
	 * <p>
	 * Why the map: over a file channel, jhdf reads each structure into a new array of the size its
	 * header declares, and fills it by reading again and again at the same address. A damaged size
	 * therefore allocates up to 2 GiB, or re-reads the file's last bytes millions of times (a 101-byte
	 * file whose object header declares 453 MiB took 15 s to refuse). Over a map, a structure is a view
	 * of the mapped bytes: nothing is allocated, and a range past the end fails at once.
	 * </p>
	 */
	private static HdfFile open(final Path path) throws IOException {
		// jhdf reports a missing file as its own runtime exception; the reader contract wants an IOException
		if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString());
		try {
			final long size = Files.size(path);
			if (size > Integer.MAX_VALUE) return new HdfFile(path);
			// the map outlives the channel; it is released with the buffer
			try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
				return HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
			}
		}
		catch (final HdfException e) {
			throw notReadable(path, e);
		}
		catch (final RuntimeException e) {
			// jhdf reports some damage (a truncated superblock, say) with plain runtime exceptions
			throw new InvalidInputException(path + ": not a readable HDF5 file (" + e.getMessage() + ")", e);
		}
	}

	/** jhdf reports much damage (bad addresses, sizes, versions) with plain runtime exceptions. */
	private static InvalidInputException damaged(final Path path, final RuntimeException cause) {
		return new InvalidInputException(path + ": not a readable HDF5 file (damaged: " + (cause.getMessage() != null ? cause.getMessage() : "an unexpected structure") + ")", cause);
	}

	private static InvalidInputException notReadable(final Path path, final HdfException cause) {
		return new InvalidInputException(path + ": not a readable HDF5 file (" + cause.getMessage() + ")", cause);
	}

	private static Dataset numericDataset(final HdfFile file, final Path path, final String datasetPath) {
		final Node node;
		try {
			node = file.getByPath(datasetPath);
		}
		catch (final HdfException e) {
			throw new InvalidInputException(path + ": no dataset '" + datasetPath + "' (the file has " + describeChildren(file) + ")", e);
		}
		if (!(node instanceof Dataset))
			throw new InvalidInputException(path + ": '" + datasetPath + "' is a " + node.getType().name().toLowerCase() + ", not a dataset");
		final Dataset dataset = (Dataset) node;
		if (dataset.isCompound() || dataset.isVariableLength() || !isNumeric(dataset.getJavaType()))
			throw new InvalidInputException(path + ": dataset '" + datasetPath + "' holds " + dataset.getJavaType().getSimpleName() +
				" values, not numbers");
		return dataset;
	}

	private static boolean isNumeric(final Class<?> type) {
		return type == float.class || type == double.class || type == byte.class || type == short.class || type == int.class ||
			type == long.class;
	}

	private static String describeChildren(final HdfFile file) {
		final String names = file.getChildren().keySet().stream().sorted().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
		return names.isEmpty() ? "no datasets" : names;
	}

	/** Reversed HDF5 shape: {@code (H, W)} gives {@code [W, H]}, {@code (Z, H, W)} gives {@code [W, H, Z]}. */
	private static long[] imgLibDims(final Dataset dataset, final Path path, final String datasetPath) {
		final int[] shape = dataset.isScalar() ? new int[0] : dataset.getDimensions();
		if (shape.length != 2 && shape.length != 3)
			throw new InvalidInputException(path + ": dataset '" + datasetPath + "' has rank " + shape.length + " (shape " + shapeText(shape) +
				"); expected (H, W) or (Z, H, W)");
		final long[] dims = new long[shape.length];
		for (int d = 0; d < shape.length; d++) {
			if (shape[d] < 1) throw new InvalidInputException(path + ": dataset '" + datasetPath + "' is empty (shape " + shapeText(shape) + ")");
			dims[d] = shape[shape.length - 1 - d];
		}
		return dims;
	}

	private static String shapeText(final int[] shape) {
		return "(" + Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", ")) + ")";
	}

	private static Object flatData(final Dataset dataset, final Path path, final String datasetPath) {
		VoxelLimit.require(path, Arrays.stream(dataset.getDimensions()).asLongStream().toArray());
		// flat in C order, i.e. x fastest after the axis reversal
		return dataset.getDataFlat();
	}

	private static float[] toFloats(final Object flat, final Path path, final String datasetPath) {
		if (flat instanceof float[]) return (float[]) flat;
		if (flat instanceof double[]) {
			final double[] in = (double[]) flat;
			final float[] out = new float[in.length];
			for (int i = 0; i < in.length; i++)
				out[i] = (float) in[i];
			return out;
		}
		if (flat instanceof int[]) {
			final int[] in = (int[]) flat;
			final float[] out = new float[in.length];
			for (int i = 0; i < in.length; i++)
				out[i] = in[i];
			return out;
		}
		if (flat instanceof long[]) {
			final long[] in = (long[]) flat;
			final float[] out = new float[in.length];
			for (int i = 0; i < in.length; i++)
				out[i] = in[i];
			return out;
		}
		if (flat instanceof short[]) {
			final short[] in = (short[]) flat;
			final float[] out = new float[in.length];
			for (int i = 0; i < in.length; i++)
				out[i] = in[i];
			return out;
		}
		if (flat instanceof byte[]) {
			final byte[] in = (byte[]) flat;
			final float[] out = new float[in.length];
			for (int i = 0; i < in.length; i++)
				out[i] = in[i];
			return out;
		}
		throw unsupported(flat, path, datasetPath);
	}

	private static byte[] toUnsignedBytes(final Object flat, final Path path, final String datasetPath) {
		// jhdf widens unsigned integers to the next signed Java type: uint8 comes back as int[]
		if (flat instanceof int[]) {
			final int[] in = (int[]) flat;
			final byte[] out = new byte[in.length];
			for (int i = 0; i < in.length; i++) {
				if ((in[i] & ~0xff) != 0) throw labelOutOfRange(path, datasetPath, i, in[i]);
				out[i] = (byte) in[i];
			}
			return out;
		}
		if (flat instanceof short[]) {
			final short[] in = (short[]) flat;
			final byte[] out = new byte[in.length];
			for (int i = 0; i < in.length; i++) {
				if ((in[i] & ~0xff) != 0) throw labelOutOfRange(path, datasetPath, i, in[i]);
				out[i] = (byte) in[i];
			}
			return out;
		}
		if (flat instanceof byte[]) {
			final byte[] in = (byte[]) flat;
			for (int i = 0; i < in.length; i++)
				if (in[i] < 0) throw labelOutOfRange(path, datasetPath, i, in[i]);
			return in;
		}
		if (flat instanceof long[]) {
			final long[] in = (long[]) flat;
			final byte[] out = new byte[in.length];
			for (int i = 0; i < in.length; i++) {
				if ((in[i] & ~0xffL) != 0) throw labelOutOfRange(path, datasetPath, i, in[i]);
				out[i] = (byte) in[i];
			}
			return out;
		}
		if (flat instanceof float[] || flat instanceof double[]) {
			final float[] in = toFloats(flat, path, datasetPath);
			final byte[] out = new byte[in.length];
			for (int i = 0; i < in.length; i++) {
				final float v = in[i];
				if (v != Math.rint(v)) throw new InvalidInputException(path + ": label dataset '" + datasetPath + "' has the fractional value " + v +
					" at flat index " + i + "; labels must be whole numbers");
				if (v < 0 || v > 255) throw labelOutOfRange(path, datasetPath, i, v);
				out[i] = (byte) (int) v;
			}
			return out;
		}
		throw unsupported(flat, path, datasetPath);
	}

	private static InvalidInputException labelOutOfRange(final Path path, final String datasetPath, final int index, final Number value) {
		return new InvalidInputException(path + ": label dataset '" + datasetPath + "' has the value " + value + " at flat index " + index +
			"; labels must lie in 0..255");
	}

	private static InvalidInputException unsupported(final Object flat, final Path path, final String datasetPath) {
		return new InvalidInputException(path + ": dataset '" + datasetPath + "' came back as " + flat.getClass().getSimpleName() +
			", which SSS cannot convert");
	}

	private static MedicalImage image(final Path path, final RandomAccessibleInterval<? extends RealType<?>> pixels) {
		final double[] spacing = new double[pixels.numDimensions()];
		Arrays.fill(spacing, 1);
		return new MedicalImage(ImageFiles.baseName(path), FORMAT, pixels, spacing, null);
	}
}
