package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.logic.BitType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

import io.github.sssfiji.InvalidInputException;

class ImagePlusImgsTest {

	/** A 16-bit hyperstack of 4 x 3 pixels whose stack slice i (1-based) holds 100 * i + 10 * y + x. */
	private static ImagePlus hyperstack16(final int channels, final int slices, final int frames) {
		final ImageStack stack = new ImageStack(4, 3);
		for (int i = 1; i <= channels * slices * frames; i++) {
			final ShortProcessor ip = new ShortProcessor(4, 3);
			for (int y = 0; y < 3; y++)
				for (int x = 0; x < 4; x++)
					ip.set(x, y, 100 * i + 10 * y + x);
			stack.addSlice(ip);
		}
		final ImagePlus imp = new ImagePlus("hyper", stack);
		imp.setDimensions(channels, slices, frames);
		return imp;
	}

	private static double at(final RandomAccessibleInterval<? extends RealType<?>> img, final long... position) {
		final RandomAccess<? extends RealType<?>> access = img.randomAccess();
		access.setPosition(position);
		return access.get().getRealDouble();
	}

	@Test
	void wrapsAnEightBitPlaneWithoutCopying() {
		final ByteProcessor ip = new ByteProcessor(5, 4);
		ip.set(3, 2, 200);
		final ImagePlus imp = new ImagePlus("b", ip);
		final PlanarImg<UnsignedByteType, ByteArray> img = ImagePlusImgs.unsignedBytes(imp);
		assertArrayEquals(new long[] { 5, 4 }, Intervals.dimensionsAsLongArray(img));
		assertSame(ip.getPixels(), img.getPlane(0).getCurrentStorageArray());
		assertEquals(200, at(img, 3, 2), "unsigned: 200 is not -56");

		final RandomAccess<UnsignedByteType> access = img.randomAccess();
		access.setPosition(new long[] { 1, 3 });
		access.get().set(77);
		assertEquals(77, imp.getProcessor().get(1, 3), "write through ImgLib2 is seen by ImageJ");
		imp.getProcessor().set(4, 0, 250);
		assertEquals(250, at(img, 4, 0), "write through ImageJ is seen by ImgLib2");
	}

	@Test
	void mapsHyperstackAxesInImageJOrder() {
		final ImagePlus imp = hyperstack16(2, 3, 2);
		assertEquals("xyczt", ImagePlusImgs.axes(imp));
		final PlanarImg<UnsignedShortType, ShortArray> img = ImagePlusImgs.unsignedShorts(imp);
		assertArrayEquals(new long[] { 4, 3, 2, 3, 2 }, Intervals.dimensionsAsLongArray(img));
		for (int t = 0; t < 2; t++)
			for (int z = 0; z < 3; z++)
				for (int c = 0; c < 2; c++) {
					final int index = imp.getStackIndex(c + 1, z + 1, t + 1);
					assertEquals(100 * index + 10 * 2 + 3, at(img, 3, 2, c, z, t), "c=" + c + " z=" + z + " t=" + t);
				}
		final RandomAccess<UnsignedShortType> access = img.randomAccess();
		access.setPosition(new long[] { 1, 1, 1, 2, 1 });
		access.get().set(60000);
		assertEquals(60000, imp.getStack().getProcessor(imp.getStackIndex(2, 3, 2)).get(1, 1), "unsigned 16 bit, right slice");
	}

	@Test
	void keepsTheZAxisWhenThereAreOnlyFrames() {
		final ImagePlus imp = hyperstack16(1, 1, 3);
		assertEquals("xyzt", ImagePlusImgs.axes(imp));
		final PlanarImg<? extends RealType<?>, ?> img = ImagePlusImgs.wrap(imp);
		assertArrayEquals(new long[] { 4, 3, 1, 3 }, Intervals.dimensionsAsLongArray(img));
		assertEquals(300, at(img, 0, 0, 0, 2));
		assertEquals("xyz", ImagePlusImgs.axes(hyperstack16(1, 5, 1)));
		assertEquals("xy", ImagePlusImgs.axes(hyperstack16(1, 1, 1)));
	}

	@Test
	void wrapsFloatStacks() {
		final ImageStack stack = new ImageStack(2, 2);
		stack.addSlice(new FloatProcessor(2, 2, new float[] { 1, 2, 3, 4 }));
		stack.addSlice(new FloatProcessor(2, 2, new float[] { -1.5f, 6, 7, 8 }));
		final ImagePlus imp = new ImagePlus("f", stack);
		final PlanarImg<FloatType, FloatArray> img = ImagePlusImgs.floats(imp);
		assertEquals(-1.5, at(img, 0, 0, 1));
		assertEquals(4, at(img, 1, 1, 0));
		assertSame(stack.getPixels(2), img.getPlane(1).getCurrentStorageArray());
	}

	@Test
	void refusesRgbAndOffersAChannelView() {
		final ColorProcessor ip = new ColorProcessor(3, 2);
		ip.set(2, 1, (10 << 16) | (20 << 8) | 30);
		final ImagePlus imp = new ImagePlus("rgb", ip);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImagePlusImgs.wrap(imp));
		assertTrue(e.getMessage().contains("'rgb' is RGB"), e.getMessage());

		final RandomAccessibleInterval<UnsignedByteType> channels = ImagePlusImgs.rgbChannels(imp);
		assertArrayEquals(new long[] { 3, 2, 3 }, Intervals.dimensionsAsLongArray(channels));
		assertEquals(10, at(channels, 2, 1, 0));
		assertEquals(20, at(channels, 2, 1, 1));
		assertEquals(30, at(channels, 2, 1, 2));
		final RandomAccess<UnsignedByteType> access = channels.randomAccess();
		access.setPosition(new long[] { 2, 1, 1 });
		access.get().set(99);
		assertEquals((10 << 16) | (99 << 8) | 30, ip.get(2, 1) & 0xffffff, "green written into the packed pixel");
	}

	@Test
	void sharesPlanarAndTwoDimensionalArrayImgs() {
		final PlanarImg<FloatType, FloatArray> planar = PlanarImgs.floats(3, 2, 4, 2);
		final ImagePlus imp = ImagePlusImgs.toImagePlus("planar", planar);
		assertEquals(4, imp.getNSlices());
		assertEquals(2, imp.getNFrames());
		assertTrue(imp.isHyperStack());
		assertSame(planar.getPlane(5).getCurrentStorageArray(), imp.getStack().getPixels(6));
		imp.getStack().getProcessor(imp.getStackIndex(1, 2, 2)).setf(2, 1, 4.25f);
		assertEquals(4.25, at(planar, 2, 1, 1, 1));

		final ArrayImg<UnsignedShortType, ShortArray> array = ArrayImgs.unsignedShorts(new short[] { 1, 2, (short) 65535, 4, 5, 6 }, 3, 2);
		final ImagePlus fromArray = ImagePlusImgs.toImagePlus("array", array);
		assertEquals(16, fromArray.getBitDepth());
		assertSame(array.update(null).getCurrentStorageArray(), fromArray.getProcessor().getPixels());
		assertEquals(65535, fromArray.getProcessor().get(2, 0));
	}

	@Test
	void roundTripsAWrappedHyperstackWithItsAxes() {
		final ImagePlus imp = hyperstack16(2, 3, 1);
		final PlanarImg<? extends RealType<?>, ?> img = ImagePlusImgs.wrap(imp);
		final ImagePlus back = ImagePlusImgs.toImagePlus("back", img, ImagePlusImgs.axes(imp));
		assertEquals(2, back.getNChannels());
		assertEquals(3, back.getNSlices());
		for (int i = 1; i <= 6; i++)
			assertSame(imp.getStack().getPixels(i), back.getStack().getPixels(i));
	}

	@Test
	void copiesOtherLayoutsAndTypes() {
		final ArrayImg<UnsignedByteType, ByteArray> volume = ArrayImgs.unsignedBytes(new byte[] { 1, 2, 3, 4, 5, 6, 7, (byte) 200 }, 2, 2, 2);
		final ImagePlus imp = ImagePlusImgs.toImagePlus("volume", volume);
		assertEquals(8, imp.getBitDepth());
		assertEquals(2, imp.getStackSize());
		assertEquals(200, imp.getStack().getProcessor(2).get(1, 1));
		imp.getStack().getProcessor(1).set(0, 0, 9);
		assertEquals(1, at(volume, 0, 0, 0), "a 3-D ArrayImg has one array for all planes: copied, not shared");

		final ImagePlus signed = ImagePlusImgs.toImagePlus("signed", ArrayImgs.bytes(new byte[] { -5, 7 }, 2, 1));
		assertEquals(32, signed.getBitDepth(), "signed bytes do not fit 8-bit unsigned: float");
		assertEquals(-5f, signed.getProcessor().getf(0, 0));

		final ImagePlus doubles = ImagePlusImgs.toImagePlus("d", ArrayImgs.doubles(new double[] { 0.1, 1e300 }, 2, 1));
		assertEquals(32, doubles.getBitDepth());
		assertEquals(0.1f, doubles.getProcessor().getf(0, 0));
		assertEquals(Float.POSITIVE_INFINITY, doubles.getProcessor().getf(1, 0), "beyond the float range");

		final RandomAccessibleInterval<BitType> bits = ArrayImgs.bits(3, 1);
		bits.randomAccess().setPositionAndGet(1, 0).set(true);
		final ImagePlus mask = ImagePlusImgs.toImagePlus("mask", bits);
		assertEquals(8, mask.getBitDepth());
		assertArrayEquals(new byte[] { 0, 1, 0 }, (byte[]) mask.getProcessor().getPixels());
	}

	@Test
	void copyToABitDepthRoundsAndClamps() {
		final ArrayImg<DoubleType, ?> values = ArrayImgs.doubles(new double[] { -3, 2.5, 254.4, 300, Double.NaN, 70000 }, 6, 1);
		final ImagePlus bytes = ImagePlusImgs.copyToImagePlus("b", values, "xy", 8);
		final byte[] b = (byte[]) bytes.getProcessor().getPixels();
		assertArrayEquals(new int[] { 0, 3, 254, 255, 0, 255 }, new int[] { b[0] & 0xff, b[1] & 0xff, b[2] & 0xff, b[3] & 0xff, b[4] & 0xff, b[5] & 0xff });
		final ImagePlus shorts = ImagePlusImgs.copyToImagePlus("s", values, "xy", 16);
		assertEquals(300, shorts.getProcessor().get(3, 0));
		assertEquals(65535, shorts.getProcessor().get(5, 0));
		final ImagePlus floats = ImagePlusImgs.copyToImagePlus("f", ArrayImgs.floats(new float[] { 1, 2 }, 2, 1), "xy", 32);
		assertEquals(2f, floats.getProcessor().getf(1, 0));
		assertThrows(InvalidInputException.class, () -> ImagePlusImgs.copyToImagePlus("x", values, "xy", 12));
	}

	@Test
	void rejectsBadAxes() {
		final PlanarImg<FloatType, FloatArray> img = PlanarImgs.floats(2, 2, 2);
		assertThrows(InvalidInputException.class, () -> ImagePlusImgs.toImagePlus("a", img, "xzy"));
		assertThrows(InvalidInputException.class, () -> ImagePlusImgs.toImagePlus("a", img, "xy"));
		assertThrows(InvalidInputException.class, () -> ImagePlusImgs.toImagePlus("a", ArrayImgs.floats(2)));
		final ImagePlus channels = ImagePlusImgs.toImagePlus("a", img, "xyc");
		assertEquals(2, channels.getNChannels());
		assertEquals(1, channels.getNSlices());
	}
}
