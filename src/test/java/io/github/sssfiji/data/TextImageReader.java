package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;
import net.imglib2.img.array.ArrayImgs;

/**
 * Test-only stand-in for a NIfTI reader: files named {@code .nii}/{@code .nii.gz} that hold a text
 * line {@code dims X Y [Z]} and a line of values, x fastest. Lets layout tests run without the real
 * NIfTI code.
 */
final class TextImageReader implements MedicalImageReader {

	@Override
	public boolean canRead(final Path path) {
		final String name = path.getFileName().toString();
		return name.endsWith(".nii") || name.endsWith(".nii.gz");
	}

	@Override
	public MedicalImage read(final Path path) throws IOException {
		final List<String> lines = Files.readAllLines(path, StandardCharsets.US_ASCII);
		if (lines.size() != 2 || !lines.get(0).startsWith("dims ")) throw new InvalidInputException(path + ": not a text test image");
		final long[] dims = Arrays.stream(lines.get(0).substring(5).trim().split(" ")).mapToLong(Long::parseLong).toArray();
		final String[] cells = lines.get(1).trim().split(" ");
		final float[] values = new float[cells.length];
		for (int i = 0; i < cells.length; i++)
			values[i] = Float.parseFloat(cells[i]);
		if (values.length != Arrays.stream(dims).reduce(1, (a, b) -> a * b)) throw new InvalidInputException(path + ": value count differs from dims");
		final double[] spacing = new double[dims.length];
		Arrays.fill(spacing, 1);
		final String name = path.getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", "");
		return new MedicalImage(name, "text", ArrayImgs.floats(values, dims), spacing, null);
	}

	/** Writes an image of shape {@code dims} whose values are given x fastest. */
	static Path write(final Path file, final int[] dims, final float... values) throws IOException {
		Files.createDirectories(file.getParent());
		final StringBuilder text = new StringBuilder("dims");
		for (final int d : dims)
			text.append(' ').append(d);
		text.append('\n');
		for (final float v : values)
			text.append(v).append(' ');
		Files.write(file, List.of(text.toString().split("\n")[0], text.substring(text.indexOf("\n") + 1)), StandardCharsets.US_ASCII);
		return file;
	}

	/** An image of shape {@code dims} filled with {@code value}. */
	static Path filled(final Path file, final int[] dims, final float value) throws IOException {
		final float[] values = new float[Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
		Arrays.fill(values, value);
		return write(file, dims, values);
	}
}
