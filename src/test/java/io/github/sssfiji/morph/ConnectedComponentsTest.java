package io.github.sssfiji.morph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.morph.ConnectedComponents.Connectivity;

class ConnectedComponentsTest {

	@Test
	void diagonalTouchSeparatesOnlyWithFaceConnectivity() {
		// two squares that touch at one corner: two components by faces, one by corners
		final boolean[] mask = Fixtures.picture("##...|##...|..###|..###");
		final int[] dims = { 5, 4 };
		final ConnectedComponents face = ConnectedComponents.label(mask, dims, Connectivity.FACE);
		assertEquals(2, face.count());
		assertEquals(4, face.size(1));
		assertEquals(6, face.size(2));
		assertArrayEquals(Fixtures.picture(".....|.....|..###|..###"), face.largest());
		final ConnectedComponents full = ConnectedComponents.label(mask, dims, Connectivity.FULL);
		assertEquals(1, full.count());
		assertEquals(10, full.size(1));
	}

	@Test
	void emptyMaskHasNoComponents() {
		final ConnectedComponents none = ConnectedComponents.label(new boolean[12], new int[] { 3, 2, 2 }, Connectivity.FULL);
		assertEquals(0, none.count());
		assertArrayEquals(new boolean[12], none.largest());
	}

	@Test
	void matchesScipyLabel() throws IOException {
		// scipy.ndimage.label numbers components in raster order of their first voxel, as we do
		final JsonObject fixture = Fixtures.load(getClass(), "label_reference.json");
		int checked = 0;
		for (final JsonElement element : fixture.getAsJsonArray("cases")) {
			final JsonObject c = element.getAsJsonObject();
			final int[] dims = Fixtures.ints(c.getAsJsonArray("dims"));
			final boolean[] mask = Fixtures.mask(c.get("mask").getAsString());
			for (final Connectivity connectivity : Connectivity.values()) {
				final JsonObject expected = c.getAsJsonObject(connectivity == Connectivity.FACE ? "face" : "full");
				final ConnectedComponents actual = ConnectedComponents.label(mask, dims, connectivity);
				assertEquals(expected.get("count").getAsInt(), actual.count(), dims.length + "-D " + connectivity);
				assertArrayEquals(Fixtures.ints(expected.getAsJsonArray("labels")), actual.labels(), dims.length + "-D " + connectivity);
				checked++;
			}
		}
		assertEquals(4, checked);
	}
}
