package io.github.sssfiji.ij1;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.BooleanType;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

import io.github.sssfiji.InvalidInputException;

/**
 * Static factories between ImageJ 1.x {@link ImagePlus} and ImgLib2 images, in the manner of
 * {@code ArrayImgs}.
 * <p>
 * <b>ImagePlus to ImgLib2.</b> {@link #wrap(ImagePlus)} and the typed variants share pixels: each
 * slice array of the stack ({@code byte[]}, {@code short[]}, {@code float[]}) becomes one plane of a
 * {@link PlanarImg}, so a write on either side is seen by the other. The ImgLib2 axes are x, y,
 * then channel, z (slices) and t (frames) in ImageJ's hyperstack order (channel fastest), which is
 * also the order of the slices in the stack, so no pixel is moved. Singleton axes are left out with
 * one exception: when there are frames, the z axis is kept even with one slice, so that the fourth
 * axis always means time. {@link #axes(ImagePlus)} names the axes that result, e.g. {@code "xyzt"}.
 * Pixel values are the stored ones; an ImageJ calibration function (signed 16-bit, DICOM rescale)
 * is not applied here but in {@link MedicalImagePlus}.
 * </p>
 * <p>
 * RGB images are not {@link RealType}: {@link #argbs(ImagePlus)} shares them as {@link ARGBType}
 * and {@link #rgbChannels(ImagePlus)} offers a writable view with a channel axis of three unsigned
 * bytes (red, green, blue); {@link MedicalImagePlus} turns them into grey.
 * </p>
 * <p>
 * <b>ImgLib2 to ImagePlus.</b> {@link #toImagePlus(String, RandomAccessibleInterval, String)}
 * shares pixels when the source is a {@link PlanarImg}, or a two-dimensional {@link ArrayImg}, of
 * {@link UnsignedByteType}, {@link UnsignedShortType} or {@link FloatType}; anything else is copied
 * into the ImageJ type that holds its values without loss where one exists: boolean types to 8-bit
 * (0 and 1), other real types to 32-bit float. A 32-bit float keeps integers exactly only up to
 * 2^24 and doubles lose precision; values beyond the float range become infinite.
 * {@link #copyToImagePlus} copies into a chosen bit depth and clamps values beyond its range.
 * </p>
 */
public final class ImagePlusImgs {

	/** All axes in the order ImageJ stores them; any image's axes are a subsequence starting with xy. */
	public static final String HYPERSTACK_AXES = "xyczt";

	private ImagePlusImgs() {
		// static utility
	}

	/**
	 * The axes of the image that {@link #wrap(ImagePlus)} returns for {@code imp}: {@code xy}, then
	 * {@code c} when there are several channels, {@code z} when there are several slices or several
	 * frames, {@code t} when there are several frames.
	 */
	public static String axes(final ImagePlus imp) {
		final StringBuilder axes = new StringBuilder("xy");
		if (imp.getNChannels() > 1) axes.append('c');
		if (imp.getNSlices() > 1 || imp.getNFrames() > 1) axes.append('z');
		if (imp.getNFrames() > 1) axes.append('t');
		return axes.toString();
	}

	/**
	 * Shares an 8-, 16- or 32-bit image as a {@link PlanarImg} of {@link UnsignedByteType},
	 * {@link UnsignedShortType} or {@link FloatType}.
	 *
	 * @throws InvalidInputException for RGB or other types
	 */
	public static PlanarImg<? extends RealType<?>, ?> wrap(final ImagePlus imp) {
		switch (imp.getType()) {
			case ImagePlus.GRAY8:
			case ImagePlus.COLOR_256:
				return unsignedBytes(imp);
			case ImagePlus.GRAY16:
				return unsignedShorts(imp);
			case ImagePlus.GRAY32:
				return floats(imp);
			case ImagePlus.COLOR_RGB:
				throw new InvalidInputException("image '" + imp.getTitle() + "' is RGB; use ImagePlusImgs.rgbChannels or convert it to 8-bit grey first");
			default:
				throw new InvalidInputException("image '" + imp.getTitle() + "' has unsupported ImageJ type " + imp.getType());
		}
	}

	/** Shares an 8-bit image (grey or with a colour table) as unsigned bytes. */
	public static PlanarImg<UnsignedByteType, ByteArray> unsignedBytes(final ImagePlus imp) {
		requireBitDepth(imp, 8);
		final PlanarImg<UnsignedByteType, ByteArray> img = planar(imp, pixels -> new ByteArray((byte[]) pixels));
		img.setLinkedType(new UnsignedByteType(img));
		return img;
	}

	/** Shares a 16-bit image as unsigned shorts (stored values, without a signed-16 calibration). */
	public static PlanarImg<UnsignedShortType, ShortArray> unsignedShorts(final ImagePlus imp) {
		requireBitDepth(imp, 16);
		final PlanarImg<UnsignedShortType, ShortArray> img = planar(imp, pixels -> new ShortArray((short[]) pixels));
		img.setLinkedType(new UnsignedShortType(img));
		return img;
	}

	/** Shares a 32-bit image as floats. */
	public static PlanarImg<FloatType, FloatArray> floats(final ImagePlus imp) {
		requireBitDepth(imp, 32);
		final PlanarImg<FloatType, FloatArray> img = planar(imp, pixels -> new FloatArray((float[]) pixels));
		img.setLinkedType(new FloatType(img));
		return img;
	}

	/** Shares an RGB image as packed {@link ARGBType} (ImageJ stores no alpha; it reads as 0). */
	public static PlanarImg<ARGBType, IntArray> argbs(final ImagePlus imp) {
		requireBitDepth(imp, 24);
		final PlanarImg<ARGBType, IntArray> img = planar(imp, pixels -> new IntArray((int[]) pixels));
		img.setLinkedType(new ARGBType(img));
		return img;
	}

	/**
	 * A writable view of an RGB image with the channel axis (red, green, blue) third, as an ImageJ
	 * hyperstack would have it: axes {@code xyc} followed by those of {@link #axes(ImagePlus)} after
	 * {@code xy}. Writes go into the packed RGB pixels of the ImagePlus.
	 */
	public static RandomAccessibleInterval<UnsignedByteType> rgbChannels(final ImagePlus imp) {
		final RandomAccessibleInterval<UnsignedByteType> channelsLast = Converters.argbChannels(argbs(imp), 1, 2, 3);
		return Views.moveAxis(channelsLast, channelsLast.numDimensions() - 1, 2);
	}

	/** {@link #toImagePlus(String, RandomAccessibleInterval, String)} with axes x, y, z, t (as many as the image has). */
	public static ImagePlus toImagePlus(final String title, final RandomAccessibleInterval<? extends RealType<?>> image) {
		final int n = image.numDimensions();
		if (n < 2 || n > 4)
			throw new InvalidInputException("image '" + title + "' has " + n + " dimensions; an ImagePlus needs x, y and at most z and t");
		return toImagePlus(title, image, "xyzt".substring(0, n));
	}

	/**
	 * An ImagePlus over the pixels of {@code image}, shared where possible (see the class
	 * documentation), otherwise copied.
	 *
	 * @param axes one letter per dimension, a subsequence of {@value #HYPERSTACK_AXES} that starts
	 *          with {@code xy}, e.g. the value of {@link #axes(ImagePlus)} for an image made by wrap
	 */
	public static ImagePlus toImagePlus(final String title, final RandomAccessibleInterval<? extends RealType<?>> image, final String axes) {
		final int[] czt = hyperstackShape(title, image, axes);
		final ImageStack shared = sharedStack(image);
		if (shared != null) return imagePlus(title, shared, czt);
		final Object type = image.getType();
		final int bitDepth;
		if (type instanceof UnsignedByteType || type instanceof BooleanType) bitDepth = 8;
		else if (type instanceof UnsignedShortType) bitDepth = 16;
		else bitDepth = 32;
		return imagePlus(title, copy(image, bitDepth), czt);
	}

	/**
	 * A copy of {@code image} as an 8-, 16- or 32-bit ImagePlus. For 8 and 16 bits, values are
	 * rounded to the nearest integer and clamped to 0..255 or 0..65535; NaN becomes 0.
	 *
	 * @param axes as for {@link #toImagePlus(String, RandomAccessibleInterval, String)}
	 */
	public static ImagePlus copyToImagePlus(final String title, final RandomAccessibleInterval<? extends RealType<?>> image, final String axes,
		final int bitDepth)
	{
		if (bitDepth != 8 && bitDepth != 16 && bitDepth != 32)
			throw new InvalidInputException("bit depth " + bitDepth + " for image '" + title + "' is not one of 8, 16, 32");
		return imagePlus(title, copy(image, bitDepth), hyperstackShape(title, image, axes));
	}

	private interface PlaneWrapper<A> {

		A wrap(Object pixels);
	}

	private static <T extends NativeType<T>, A extends ArrayDataAccess<A>> PlanarImg<T, A> planar(final ImagePlus imp,
		final PlaneWrapper<A> wrapper)
	{
		final ImageStack stack = imp.getStack();
		if (stack.isVirtual())
			throw new InvalidInputException("image '" + imp.getTitle() + "' is a virtual stack; SSS needs its pixels in memory (Image > Duplicate...)");
		final List<A> planes = new ArrayList<>(stack.getSize());
		for (int i = 1; i <= stack.getSize(); i++)
			planes.add(wrapper.wrap(stack.getPixels(i)));
		return new PlanarImg<>(planes, dimensions(imp), new Fraction());
	}

	/** The dimensions of the image that {@link #wrap(ImagePlus)} returns, one per letter of {@link #axes(ImagePlus)}. */
	public static long[] dimensions(final ImagePlus imp) {
		final String axes = axes(imp);
		final long[] dims = new long[axes.length()];
		for (int d = 0; d < dims.length; d++) {
			switch (axes.charAt(d)) {
				case 'x': dims[d] = imp.getWidth(); break;
				case 'y': dims[d] = imp.getHeight(); break;
				case 'c': dims[d] = imp.getNChannels(); break;
				case 'z': dims[d] = imp.getNSlices(); break;
				default: dims[d] = imp.getNFrames(); break;
			}
		}
		if (Arrays.stream(dims).reduce(1, (a, b) -> a * b) != (long) imp.getWidth() * imp.getHeight() * imp.getStackSize())
			throw new InvalidInputException("image '" + imp.getTitle() + "' has " + imp.getStackSize() + " slices but its dimensions say " +
				imp.getNChannels() + " channels x " + imp.getNSlices() + " slices x " + imp.getNFrames() + " frames");
		return dims;
	}

	private static void requireBitDepth(final ImagePlus imp, final int bitDepth) {
		if (imp.getBitDepth() != bitDepth)
			throw new InvalidInputException("image '" + imp.getTitle() + "' is " + imp.getBitDepth() + "-bit, not " + bitDepth + "-bit");
	}

	/** Channels, slices and frames of an image with the given axes; validates the axes. */
	private static int[] hyperstackShape(final String title, final RandomAccessibleInterval<?> image, final String axes) {
		if (axes.length() != image.numDimensions() || !axes.startsWith("xy") || !isSubsequence(axes, HYPERSTACK_AXES))
			throw new InvalidInputException("axes '" + axes + "' for image '" + title + "' with " + image.numDimensions() +
				" dimensions: need one letter per dimension, in the order " + HYPERSTACK_AXES + ", starting with xy");
		final int[] czt = { 1, 1, 1 };
		for (int d = 2; d < axes.length(); d++)
			czt["czt".indexOf(axes.charAt(d))] = Math.toIntExact(image.dimension(d));
		if (image.dimension(0) > Integer.MAX_VALUE || image.dimension(1) > Integer.MAX_VALUE ||
			image.dimension(0) * image.dimension(1) > Integer.MAX_VALUE)
			throw new InvalidInputException("image '" + title + "' has planes of " + image.dimension(0) + " x " + image.dimension(1) +
				" pixels; ImageJ planes hold at most 2^31 - 1");
		return czt;
	}

	private static boolean isSubsequence(final String sub, final String all) {
		int j = 0;
		for (int i = 0; i < sub.length(); i++) {
			j = all.indexOf(sub.charAt(i), j);
			if (j < 0) return false;
			j++;
		}
		return true;
	}

	/** The stack over the planes of {@code image} when they can be shared, else null. */
	private static ImageStack sharedStack(final RandomAccessibleInterval<?> image) {
		final Object type = image.getType();
		if (!(type instanceof UnsignedByteType || type instanceof UnsignedShortType || type instanceof FloatType)) return null;
		final int width = (int) image.dimension(0);
		final int height = (int) image.dimension(1);
		final List<Object> planes = new ArrayList<>();
		if (image instanceof PlanarImg) {
			final PlanarImg<?, ?> planar = (PlanarImg<?, ?>) image;
			for (int i = 0; i < planar.numSlices(); i++)
				planes.add(planar.getPlane(i).getCurrentStorageArray());
		}
		else if (image instanceof ArrayImg && Intervals.numElements(image) == (long) width * height) {
			final Object access = ((ArrayImg<?, ?>) image).update(null);
			if (!(access instanceof ArrayDataAccess)) return null;
			planes.add(((ArrayDataAccess<?>) access).getCurrentStorageArray());
		}
		else return null;
		final ImageStack stack = new ImageStack(width, height);
		for (final Object pixels : planes) {
			// the storage must match the type exactly: a ByteArray holding a signed ByteType never gets here
			if (!(pixels instanceof byte[] || pixels instanceof short[] || pixels instanceof float[])) return null;
			if (Array.getLength(pixels) != width * height) return null;
			stack.addSlice(null, pixels);
		}
		return stack;
	}

	private static ImageStack copy(final RandomAccessibleInterval<? extends RealType<?>> image, final int bitDepth) {
		final int width = (int) image.dimension(0);
		final int height = (int) image.dimension(1);
		final int planeSize = width * height;
		final long numPlanes = Intervals.numElements(image) / Math.max(1, planeSize);
		final ImageStack stack = new ImageStack(width, height);
		// flat iteration is x fastest, then y, then the higher axes: plane after plane
		final Cursor<? extends RealType<?>> cursor = Views.flatIterable(image).cursor();
		for (long p = 0; p < numPlanes; p++) {
			switch (bitDepth) {
				case 8: {
					final byte[] plane = new byte[planeSize];
					for (int i = 0; i < planeSize; i++)
						plane[i] = (byte) clampRound(cursor.next().getRealDouble(), 255);
					stack.addSlice(null, plane);
					break;
				}
				case 16: {
					final short[] plane = new short[planeSize];
					for (int i = 0; i < planeSize; i++)
						plane[i] = (short) clampRound(cursor.next().getRealDouble(), 65535);
					stack.addSlice(null, plane);
					break;
				}
				default: {
					final float[] plane = new float[planeSize];
					for (int i = 0; i < planeSize; i++)
						plane[i] = cursor.next().getRealFloat();
					stack.addSlice(null, plane);
				}
			}
		}
		return stack;
	}

	private static int clampRound(final double value, final int max) {
		if (!(value > 0)) return 0; // NaN too
		if (value >= max) return max;
		return (int) Math.round(value);
	}

	private static ImagePlus imagePlus(final String title, final ImageStack stack, final int[] czt) {
		final ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(czt[0], czt[1], czt[2]);
		if (czt[0] > 1 || czt[2] > 1) imp.setOpenAsHyperStack(true);
		return imp;
	}
}
