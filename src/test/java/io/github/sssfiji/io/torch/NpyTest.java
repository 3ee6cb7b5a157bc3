package io.github.sssfiji.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;

/** .npy parsing: hand-built headers for every supported dtype and order, plus a fixture file. */
class NpyTest {

	@Test
	void readsFixtureImageAsUint8() throws Exception {
		final TensorData u8 = Npy.read(TestData.sam2Parity().resolve("image/image_u8.npy"));
		assertEquals(TensorType.UINT8, u8.sourceType());
		assertArrayEquals(new long[] { 256, 256 }, u8.shape());
		final TensorData f = Npy.read(TestData.sam2Parity().resolve("image/image_01.npy"));
		// image_01 = float32(u8) / 255, so the two files agree element by element
		for (int i = 0; i < u8.longs().length; i++) assertEquals((float) u8.longs()[i] / 255f, f.floats()[i], 0f);
	}

	@Test
	void littleAndBigEndianFloatsHalvesAndInts() {
		assertArrayEquals(new float[] { 1.5f, -2f }, Npy.parse(npy("<f2", "(2,)", false, 4, b -> {
			b.putShort((short) 0x3e00);
			b.putShort((short) 0xc000);
		}), "h").floats());
		assertArrayEquals(new float[] { 3.25f }, Npy.parse(npy(">f4", "(1,)", true, 4, b -> b.putFloat(3.25f)), "b").floats());
		assertArrayEquals(new long[] { -5, 1L << 40 }, Npy.parse(npy("<i8", "(2,)", false, 16, b -> {
			b.putLong(-5);
			b.putLong(1L << 40);
		}), "l").longs());
		assertArrayEquals(new long[] { -7 }, Npy.parse(npy("<i4", "()", false, 4, b -> b.putInt(-7)), "s").longs());
		assertArrayEquals(new long[] { 255 }, Npy.parse(npy("|u1", "(1,)", false, 1, b -> b.put((byte) -1)), "u").longs());
	}

	@Test
	void fortranOrderIsTransposedToC() {
		// a 2x3 array [[0,1,2],[3,4,5]] stored column-major: 0,3,1,4,2,5
		final TensorData t = Npy.parse(npy("<f4", "(2, 3)", false, 24, b -> {
			for (final float v : new float[] { 0, 3, 1, 4, 2, 5 }) b.putFloat(v);
		}, true), "f");
		assertArrayEquals(new float[] { 0, 1, 2, 3, 4, 5 }, t.floats());
	}

	@Test
	void refusesObjectArraysAndShortData() {
		final InvalidInputException o = assertThrows(InvalidInputException.class,
			() -> Npy.parse(npy("|O", "(1,)", false, 8, b -> b.putLong(0)), "obj.npy"));
		assertTrue(o.getMessage().contains("obj.npy") && o.getMessage().contains("|O"), o.getMessage());
		final InvalidInputException s = assertThrows(InvalidInputException.class,
			() -> Npy.parse(npy("<f4", "(3,)", false, 8, b -> b.putLong(0)), "short.npy"));
		assertTrue(s.getMessage().contains("short.npy"), s.getMessage());
	}

	@Test
	void refusesAShapeWhoseProductPassesALong() {
		// 2^32 x 2^32 wraps to 0 in a long: read as an empty array with that shape, unless the product is checked
		final InvalidInputException e = assertThrows(InvalidInputException.class,
			() -> Npy.parse(npy("<f4", "(4294967296, 4294967296)", false, 0, b -> {}), "wrap.npy"));
		assertTrue(e.getMessage().contains("wrap.npy") && e.getMessage().contains("too large"), e.getMessage());
	}

	static byte[] npy(final String descr, final String shape, final boolean bigEndian, final int dataBytes,
		final java.util.function.Consumer<ByteBuffer> fill)
	{
		return npy(descr, shape, bigEndian, dataBytes, fill, false);
	}

	static byte[] npy(final String descr, final String shape, final boolean bigEndian, final int dataBytes,
		final java.util.function.Consumer<ByteBuffer> fill, final boolean fortran)
	{
		final StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
			", 'shape': " + shape + ", }");
		while ((10 + header.length() + 1) % 64 != 0) header.append(' ');
		header.append('\n');
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(0x93);
		out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
		out.write(1);
		out.write(0);
		out.write(header.length() & 0xff);
		out.write(header.length() >>> 8);
		out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
		final ByteBuffer b = ByteBuffer.allocate(dataBytes).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		fill.accept(b);
		out.writeBytes(b.array());
		return out.toByteArray();
	}
}
