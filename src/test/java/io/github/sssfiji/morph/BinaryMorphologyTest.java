package io.github.sssfiji.morph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

class BinaryMorphologyTest {

	@Test
	void erodesSquareToItsCentre() {
		// a 3x3 square inside a 5x5 image: only the centre has all four face neighbours
		final boolean[] mask = Fixtures.picture(".....|.###.|.###.|.###.|.....");
		final int[] dims = { 5, 5 };
		assertArrayEquals(Fixtures.picture(".....|.....|..#..|.....|....."), BinaryMorphology.erode(mask, dims));
		assertArrayEquals(Fixtures.picture(".....|.###.|.#.#.|.###.|....."), BinaryMorphology.surface(mask, dims));
	}

	@Test
	void outsideTheImageIsBackground() {
		// a full 4x3 image: only (1,1) and (2,1) have all four neighbours inside the image
		final boolean[] full = Fixtures.picture("####|####|####");
		assertArrayEquals(Fixtures.picture("....|.##.|...."), BinaryMorphology.erode(full, new int[] { 4, 3 }));
		assertArrayEquals(Fixtures.picture("####|#..#|####"), BinaryMorphology.surface(full, new int[] { 4, 3 }));
	}

	@Test
	void singleSliceVolumeIsAllSurface() {
		// dims [4, 3, 1]: the z neighbours lie outside, as for scipy on shape (1, 3, 4)
		final boolean[] full = Fixtures.picture("####|####|####");
		assertArrayEquals(new boolean[12], BinaryMorphology.erode(full, new int[] { 4, 3, 1 }));
		assertArrayEquals(full, BinaryMorphology.surface(full, new int[] { 4, 3, 1 }));
	}

	@Test
	void diagonalNeighboursDoNotProtect() {
		// 3x3x3 cube in a 5x5x5 volume: the cross element keeps only the centre voxel (2,2,2);
		// the surface is the other 26 voxels of the cube
		final int[] dims = { 5, 5, 5 };
		final boolean[] cube = new boolean[125];
		for (int z = 1; z <= 3; z++)
			for (int y = 1; y <= 3; y++)
				for (int x = 1; x <= 3; x++)
					cube[(z * 5 + y) * 5 + x] = true;
		final boolean[] eroded = BinaryMorphology.erode(cube, dims);
		int count = 0;
		for (final boolean b : eroded)
			if (b) count++;
		assertEquals(1, count);
		assertEquals(true, eroded[(2 * 5 + 2) * 5 + 2]);
		int surface = 0;
		for (final boolean b : BinaryMorphology.surface(cube, dims))
			if (b) surface++;
		assertEquals(26, surface);
	}

	@Test
	void matchesScipyBinaryErosion() throws IOException {
		final JsonObject fixture = Fixtures.load(getClass(), "edt_reference.json");
		for (final JsonElement element : fixture.getAsJsonArray("cases")) {
			final JsonObject c = element.getAsJsonObject();
			final int[] dims = Fixtures.ints(c.getAsJsonArray("dims"));
			final boolean[] mask = Fixtures.mask(c.get("targets").getAsString());
			assertArrayEquals(Fixtures.mask(c.get("eroded").getAsString()), BinaryMorphology.erode(mask, dims));
		}
	}
}
