package io.github.sssfiji.sss.predict;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ai.djl.ndarray.NDManager;
import net.imglib2.img.array.ArrayImgs;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Preprocessing;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiWriter;
import io.github.sssfiji.sss.modelfile.SssModel;

/**
 * Predicts label maps for image files with a trained {@link SssModel}: each volume is normalised
 * per volume (min-max), predicted slice by slice with the ACDC protocol, and written as
 * {@code <base name>.nii.gz} (uint8 labels) with the input's geometry (dims, spacing, NIfTI
 * orientation when the input is NIfTI).
 */
public final class PredictFiles {

	private PredictFiles() {}

	/** The image files of a folder, of a list file (one path per line, relative to the list's folder), or the one file given. */
	public static List<Path> inputs(final Path input, final Path list) throws IOException {
		if (list != null) {
			final List<Path> paths = new ArrayList<>();
			int line = 0;
			for (final String raw : Files.readAllLines(list, StandardCharsets.UTF_8)) {
				line++;
				final String entry = raw.trim();
				if (entry.isEmpty() || entry.startsWith("#")) continue;
				final Path path = list.toAbsolutePath().getParent().resolve(entry).normalize();
				if (!Files.isRegularFile(path)) throw new InvalidInputException(list + ", line " + line + ": " + path + " not found");
				paths.add(path);
			}
			if (paths.isEmpty()) throw new InvalidInputException(list + ": lists no files");
			return paths;
		}
		if (Files.isDirectory(input)) {
			final List<Path> files = ImageFiles.list(input);
			if (files.isEmpty()) throw new InvalidInputException(input + ": holds no image files");
			return files;
		}
		if (!Files.isRegularFile(input)) throw new InvalidInputException(input + ": not found");
		return List.of(input);
	}

	/**
	 * Predicts every input into {@code output} (created if needed).
	 *
	 * @return the files written, in input order
	 * @throws InvalidInputException if two inputs share a base name or an input does not fit
	 */
	public static List<Path> run(final SssModel model, final List<Path> inputs, final Path output, final int batch, final PrintStream log)
		throws IOException
	{
		Files.createDirectories(output);
		final Map<Path, Path> targets = targets(inputs, output);
		final List<Path> written = new ArrayList<>();
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			for (final Path input : inputs) {
				final long start = System.nanoTime();
				final Path target = targets.get(input);
				predictFile(model, input, target, batch, root);
				written.add(target);
				if (log != null) log.printf(Locale.ROOT, "%s -> %s (%.1f s)%n", input.getFileName(), target, (System.nanoTime() - start) / 1e9);
			}
		}
		return written;
	}

	/**
	 * The label map file of each input: {@code <output>/<base name>.nii.gz}, in input order.
	 *
	 * @throws InvalidInputException if two inputs share a base name, or a name would lead out of
	 *           {@code output}
	 */
	public static Map<Path, Path> targets(final List<Path> inputs, final Path output) {
		final Map<Path, Path> targets = new LinkedHashMap<>();
		final Set<String> names = new HashSet<>();
		for (final Path input : inputs) {
			if (!names.add(ImageFiles.baseName(input)))
				throw new InvalidInputException(input + ": another input has the same base name '" + ImageFiles.baseName(input) + "'");
			targets.put(input, target(input, output));
		}
		return targets;
	}

	/**
	 * {@code <output>/<base name of input>.nii.gz}.
	 *
	 * @throws InvalidInputException if the name would lead out of {@code output}
	 */
	public static Path target(final Path input, final Path output) {
		final String name = ImageFiles.baseName(input.getFileName()) + ".nii.gz";
		final Path folder = output.toAbsolutePath().normalize();
		final Path target = folder.resolve(name).normalize();
		if (!folder.equals(target.getParent()))
			throw new InvalidInputException(input + ": the label map name '" + name + "' would lead out of the output folder " + output);
		return target;
	}

	/** Reads {@code input}, predicts its label map and writes it to {@code target} (NIfTI, atomically). */
	public static void predictFile(final SssModel model, final Path input, final Path target, final int batch, final NDManager root)
		throws IOException
	{
		final MedicalImage image = ImageFiles.read(input);
		NiftiWriter.create().write(predict(model, image, batch, root), target);
	}

	/** The label map of one image, same dims and geometry, uint8. */
	public static MedicalImage predict(final SssModel model, final MedicalImage image, final int batch, final NDManager root) {
		final int classes = model.backbone().classes();
		if (classes > 256) throw new InvalidInputException(image.name() + ": more than 256 classes do not fit a uint8 label map");
		final int[] labels = SlicePredictor.argmax(probabilities(model, image, batch, root), classes);
		final byte[] bytes = new byte[labels.length];
		for (int i = 0; i < labels.length; i++)
			bytes[i] = (byte) labels[i];
		final long[] shape = new long[image.numDimensions()];
		final int[] imageDims = image.dims();
		for (int d = 0; d < shape.length; d++)
			shape[d] = imageDims[d];
		return image.withPixels(ArrayImgs.unsignedBytes(bytes, shape));
	}

	/**
	 * Class probabilities of every voxel of one 2-D or 3-D image, normalised per volume as in
	 * training; flat as {X, Y, Z, C} (see {@link SlicePredictor#probabilities}).
	 */
	public static float[] probabilities(final SssModel model, final MedicalImage image, final int batch, final NDManager root) {
		final int[] dims = Preprocessing.volumeDims(image, image.name());
		final float[] values = image.toFloatArray();
		Preprocessing.normalise(values);
		return SlicePredictor.probabilities(model.backbone(), values, dims, model.inputSize(), batch, root);
	}
}
