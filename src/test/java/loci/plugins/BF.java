package loci.plugins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

import ij.ImagePlus;
import ij.process.ShortProcessor;

/**
 * A stand-in for Bio-Formats' {@code loci.plugins.BF} with the same {@code openImagePlus(String)}
 * signature, so that {@code BioFormatsReader}'s reflective path can be tested without
 * Bio-Formats. It returns one 3 x 2 16-bit series whose pixel (x, y) is {@code 10 * y + x + the
 * file's size in bytes}, calibrated 0.5 x 0.25 um, for files named {@code *.czi}. A file named
 * {@code *.broken} fails with an IOException, a file named {@code *.empty} gives no series, any
 * other file fails with an IllegalArgumentException (Bio-Formats' FormatException is not
 * available here). ImageJ's own Opener also falls back to this class for files it does not know.
 */
public final class BF {

	private BF() {}

	public static ImagePlus[] openImagePlus(final String path) throws IOException {
		if (path.endsWith(".broken")) throw new IOException("cannot read " + path);
		if (path.endsWith(".empty")) return new ImagePlus[0];
		if (!path.endsWith(".czi")) throw new IllegalArgumentException("unknown format: " + path);
		final int size = (int) Files.size(Paths.get(path));
		final ShortProcessor ip = new ShortProcessor(3, 2);
		for (int y = 0; y < 2; y++)
			for (int x = 0; x < 3; x++)
				ip.set(x, y, 10 * y + x + size);
		final ImagePlus imp = new ImagePlus("series 0", ip);
		imp.getCalibration().pixelWidth = 0.5;
		imp.getCalibration().pixelHeight = 0.25;
		imp.getCalibration().setUnit("um");
		return new ImagePlus[] { imp };
	}
}
