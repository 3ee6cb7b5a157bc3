package io.github.sssfiji.io;

import java.util.Arrays;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * An image as SSS reads and writes it: ImgLib2 pixels in file axis order (x, y, z, t), the voxel
 * spacing of each axis, and the header of the file it came from, so that geometry survives a round
 * trip.
 * <p>
 * Values are the physical ones: a NIfTI reader applies scl_slope/scl_inter before it builds the image.
 * </p>
 */
public final class MedicalImage {

	private final String name;
	private final String format;
	private final RandomAccessibleInterval<? extends RealType<?>> image;
	private final double[] spacing;
	private final NiftiHeader niftiHeader;
	private final String unit;

	/**
	 * @param name base name of the source (no folder, no extension), e.g. {@code patient011_frame01}
	 * @param format short format tag, e.g. {@code nifti-1}, {@code hdf5}, {@code tiff}
	 * @param image pixels, axes in file order
	 * @param spacing voxel size per axis (same length as the image's dimensions; 1 where unknown)
	 * @param niftiHeader geometry to keep when written as NIfTI, or null
	 */
	public MedicalImage(final String name, final String format, final RandomAccessibleInterval<? extends RealType<?>> image,
		final double[] spacing, final NiftiHeader niftiHeader)
	{
		this(name, format, image, spacing, niftiHeader, DEFAULT_UNIT);
	}

	/** The unit of images whose source names none: SSS keeps spacing in millimetres. */
	public static final String DEFAULT_UNIT = "mm";

	private MedicalImage(final String name, final String format, final RandomAccessibleInterval<? extends RealType<?>> image,
		final double[] spacing, final NiftiHeader niftiHeader, final String unit)
	{
		if (spacing.length != image.numDimensions())
			throw new IllegalArgumentException("spacing has " + spacing.length + " values but the image has " + image.numDimensions() + " dimensions");
		this.name = name;
		this.format = format;
		this.image = image;
		this.spacing = spacing.clone();
		this.niftiHeader = niftiHeader;
		this.unit = unit;
	}

	/**
	 * The same image whose source gave its spacing in {@code unit} (e.g. an ImageJ calibration in
	 * {@code µm}); {@link #spacing()} stays what it was (millimetres for the units SSS converts), so
	 * that a writer that keeps units (TIFF) can give the spacing back in the source's unit.
	 */
	public MedicalImage withUnit(final String unit) {
		return new MedicalImage(name, format, image, spacing, niftiHeader, unit == null || unit.isBlank() ? DEFAULT_UNIT : unit);
	}

	/** A new image with the same name, format, spacing, unit and header but other pixels of the same shape. */
	public MedicalImage withPixels(final RandomAccessibleInterval<? extends RealType<?>> pixels) {
		if (!Intervals.equalDimensions(pixels, image))
			throw new IllegalArgumentException("shape " + Arrays.toString(Intervals.dimensionsAsLongArray(pixels)) +
				" differs from " + Arrays.toString(Intervals.dimensionsAsLongArray(image)));
		return new MedicalImage(name, format, pixels, spacing, niftiHeader, unit);
	}

	public String name() {
		return name;
	}

	public String format() {
		return format;
	}

	public RandomAccessibleInterval<? extends RealType<?>> image() {
		return image;
	}

	public int numDimensions() {
		return image.numDimensions();
	}

	/** Extent per axis as ints; images over 2^31 voxels per axis are not supported by SSS. */
	public int[] dims() {
		return Arrays.stream(Intervals.dimensionsAsLongArray(image)).mapToInt(Math::toIntExact).toArray();
	}

	/** Number of voxels. */
	public long size() {
		return Intervals.numElements(image);
	}

	public double[] spacing() {
		return spacing.clone();
	}

	/** The length unit the source gave its spacing in ({@value #DEFAULT_UNIT} unless {@link #withUnit} said otherwise). */
	public String unit() {
		return unit;
	}

	/** Header of the NIfTI file this came from, or null. */
	public NiftiHeader niftiHeader() {
		return niftiHeader;
	}

	/** All values as float, flat, x fastest. */
	public float[] toFloatArray() {
		final float[] out = new float[Math.toIntExact(size())];
		int i = 0;
		for (final RealType<?> v : Views.flatIterable(image))
			out[i++] = v.getRealFloat();
		return out;
	}

	/**
	 * All values as integer labels, flat, x fastest.
	 *
	 * @throws IllegalArgumentException when a value is not an integer
	 */
	public int[] toLabelArray() {
		final int[] out = new int[Math.toIntExact(size())];
		int i = 0;
		for (final RealType<?> v : Views.flatIterable(image)) {
			final double d = v.getRealDouble();
			final int label = (int) Math.round(d);
			if (label != d) throw new IllegalArgumentException(name + ": value " + d + " at index " + i + " is not an integer label");
			out[i++] = label;
		}
		return out;
	}

	@Override
	public String toString() {
		return "MedicalImage[" + name + ", " + format + ", dims " + Arrays.toString(dims()) + ", spacing " + Arrays.toString(spacing) + "]";
	}
}
