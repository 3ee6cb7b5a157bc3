package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.FloatProcessor;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;
import net.imglib2.img.array.ArrayImgs;

/**
 * Test-only TIFF reader and writer on ImageJ 1.x (headless): 2-D images and 3-D stacks as float.
 * Lets the folder layout be tested with real image files before SSS has its own TIFF reader.
 */
final class TiffImageReader implements MedicalImageReader {

	@Override
	public boolean canRead(final Path path) {
		final String name = path.getFileName().toString().toLowerCase();
		return name.endsWith(".tif") || name.endsWith(".tiff");
	}

	@Override
	public MedicalImage read(final Path path) throws IOException {
		if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString());
		final ImagePlus imp = new Opener().openImage(path.toString());
		if (imp == null) throw new InvalidInputException(path + ": ImageJ cannot open it as TIFF");
		final int width = imp.getWidth(), height = imp.getHeight(), depth = imp.getStackSize();
		final float[] values = new float[width * height * depth];
		for (int z = 0; z < depth; z++) {
			final float[] plane = (float[]) imp.getStack().getProcessor(z + 1).convertToFloatProcessor().getPixels();
			System.arraycopy(plane, 0, values, z * width * height, plane.length);
		}
		final String name = path.getFileName().toString().replaceFirst("\\.[^.]+$", "");
		return depth == 1 ? new MedicalImage(name, "tiff", ArrayImgs.floats(values, width, height), new double[] { 1, 1 }, null) :
			new MedicalImage(name, "tiff", ArrayImgs.floats(values, width, height, depth), new double[] { 1, 1, 1 }, null);
	}

	/** Writes a float TIFF of {@code depth} planes of {@code width} x {@code height}, values x fastest. */
	static Path write(final Path file, final int width, final int height, final int depth, final float... values) throws IOException {
		Files.createDirectories(file.getParent());
		final ImageStack stack = new ImageStack(width, height);
		for (int z = 0; z < depth; z++) {
			final float[] plane = new float[width * height];
			System.arraycopy(values, z * width * height, plane, 0, plane.length);
			stack.addSlice(new FloatProcessor(width, height, plane));
		}
		final ImagePlus imp = new ImagePlus(file.getFileName().toString(), stack);
		final boolean saved = depth == 1 ? new FileSaver(imp).saveAsTiff(file.toString()) : new FileSaver(imp).saveAsTiffStack(file.toString());
		if (!saved) throw new IOException(file + ": ImageJ could not save it");
		return file;
	}

	/** A 2-D float TIFF filled with {@code value}. */
	static Path filled(final Path file, final int width, final int height, final float value) throws IOException {
		final float[] values = new float[width * height];
		java.util.Arrays.fill(values, value);
		return write(file, width, height, 1, values);
	}
}
