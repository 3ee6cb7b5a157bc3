package io.github.sssfiji.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;

import io.github.sssfiji.data.SyntheticCardiac.Case;

/**
 * Renders base, mid and apex slices of a few cases, grey and with the labels overlaid, into one
 * PNG through ImageJ 1.x (headless), for a person to look at: with {@code -Dsss.preview.dir=DIR}
 * the PNG is also copied to DIR.
 */
class SyntheticCardiacPreviewTest {

	private static final int SCALE = 2;
	private static final int[] COLOURS = { 0, 0x3070ff, 0x30d030, 0xff3030 }; // RV blue, myocardium green, LV red

	@TempDir
	Path temp;

	@Test
	void rendersSlicesWithLabelOverlayToPng() throws IOException {
		final int cases = 3;
		final int w = SyntheticCardiac.SIZE_X, h = SyntheticCardiac.SIZE_Y;
		final ColorProcessor montage = new ColorProcessor(6 * w * SCALE, cases * h * SCALE);
		for (int c = 0; c < cases; c++) {
			final Case sample = SyntheticCardiac.generate(1, c);
			final float[] values = sample.image().toFloatArray();
			final int[] labels = sample.label().toLabelArray();
			final int nz = sample.image().dims()[2];
			final int[] slices = { 0, nz / 2, nz - 1 };
			for (int j = 0; j < 3; j++)
				for (int overlay = 0; overlay < 2; overlay++)
					for (int y = 0; y < h * SCALE; y++)
						for (int x = 0; x < w * SCALE; x++) {
							final int i = slices[j] * w * h + (y / SCALE) * w + x / SCALE;
							final int grey = Math.min(255, Math.round(values[i] * 255));
							int r = grey, g = grey, b = grey;
							if (overlay == 1 && labels[i] > 0) {
								final int colour = COLOURS[labels[i]];
								r = (r + ((colour >> 16) & 0xff)) / 2;
								g = (g + ((colour >> 8) & 0xff)) / 2;
								b = (b + (colour & 0xff)) / 2;
							}
							montage.set((2 * j + overlay) * w * SCALE + x, c * h * SCALE + y, (r << 16) | (g << 8) | b);
						}
		}
		final Path png = temp.resolve("synthetic-cardiac.png");
		assertTrue(new FileSaver(new ImagePlus("synthetic cardiac", montage)).saveAsPng(png.toString()));
		final ImagePlus back = IJ.openImage(png.toString());
		assertEquals(montage.getWidth(), back.getWidth());
		assertEquals(montage.get(10, 10) & 0xffffff, back.getProcessor().get(10, 10) & 0xffffff);
		final String previewDir = System.getProperty("sss.preview.dir");
		if (previewDir != null) Files.copy(png, Paths.get(previewDir).resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
	}
}
