package io.github.sssfiji.sss.predict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.OutputPaths;
import io.github.sssfiji.sss.modelfile.SssModel;

/**
 * Predicts label maps for image files with a trained {@link SssModel}: each volume is normalised
 * per volume (min-max), predicted slice by slice with the ACDC protocol, and written as
 * {@code <base name>.nii.gz} or, in {@link OutputFormat#TIFF}, {@code <base name>.tif} (uint8
 * labels) with the input's geometry (dims, spacing, NIfTI orientation when the input is NIfTI, the
 * calibration's unit in TIFF). On request, beside it, {@code <base name>.confidence.nii.gz}
 * (per voxel the largest class probability) and {@code <base name>.entropy.nii.gz} (per voxel the
 * Shannon entropy of the class probabilities, in nats; {@code .tif} in TIFF), both float32 with the
 * same geometry; and on request flip test-time augmentation ({@link #probabilities(SssModel, MedicalImage, int, boolean, NDManager)}).
 */
public final class PredictFiles {

	private PredictFiles() {}

	/**
	 * The image files of a folder (every file a reader takes, {@link ImageFiles#scan}, with the others
	 * and why they were skipped), of a list file (one path per line, relative to the list's folder),
	 * or the one file given.
	 */
	public static ImageFiles.Listing inputs(final Path input, final Path list) throws IOException {
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
			return new ImageFiles.Listing(paths, List.of());
		}
		if (Files.isDirectory(input)) {
			final ImageFiles.Listing files = ImageFiles.scan(input);
			if (files.images().isEmpty())
				throw new InvalidInputException(input + ": holds no image files" + (files.skipped().isEmpty() ? "" : " SSS reads (" + files.skipped().get(0) +
					(files.skipped().size() > 1 ? "; and " + (files.skipped().size() - 1) + " more" : "") + ")"));
			return files;
		}
		if (!Files.isRegularFile(input)) throw new InvalidInputException(input + ": not found");
		return new ImageFiles.Listing(List.of(input), List.of());
	}

	/** What {@link #run} reports as it goes; every method has a default that does nothing. */
	public interface Listener {

		/** Asked before each input; {@code true} stops the run there (the inputs left are counted, not processed). */
		default boolean stopRequested() {
			return false;
		}

		/** Input {@code index} (from 0) of {@code total} is next. */
		default void starting(final int index, final int total, final Path input) {}

		default void written(final Path input, final Path target, final double seconds) {}

		/** The label map existed and {@code overwrite} was off; the file was left as it was. */
		default void skipped(final Path input, final Path target) {}

		/** The input could not be read, predicted or written; the run goes on with the next. */
		default void failed(final Path input, final String reason) {}
	}

	/**
	 * More outputs of one input, written from the image and its class probabilities before the label
	 * map (which marks the input done), e.g. PCSW prompts; each file atomically.
	 */
	@FunctionalInterface
	public interface Beside {

		/**
		 * @param probabilities flat as {X, Y, Z, C}
		 * @param target the label map that will be written next
		 */
		void write(MedicalImage image, float[] probabilities, int classes, Path target) throws IOException;
	}

	/** An input that failed, and why. */
	public record Failure(Path input, String reason) {

		@Override
		public String toString() {
			return input.getFileName() + " (" + reason + ")";
		}
	}

	/**
	 * What a {@link #run} did: the label maps written, the inputs skipped since their label map
	 * existed, the inputs that failed, and how many inputs were not processed because a stop was
	 * requested.
	 */
	public record Outcome(List<Path> written, List<Path> skipped, List<Failure> failed, int notProcessed) {

		public Outcome {
			written = List.copyOf(written);
			skipped = List.copyOf(skipped);
			failed = List.copyOf(failed);
		}

		/** {@code "2 done, 1 skipped (label map exists), 1 failed"}. */
		public String counts() {
			return String.format(Locale.ROOT, "%d done, %d skipped (label map exists), %d failed", written.size(), skipped.size(), failed.size());
		}
	}

	/**
	 * Predicts every input into {@code output} (created if needed): the one folder operation of the
	 * CLI's {@code predict} and of {@code SSS Segment Folder}. An input whose label map exists is
	 * skipped, and its label map left untouched, unless {@code overwrite}; so a run that was
	 * interrupted can be run again to finish it. An input that cannot be read, predicted or written
	 * is reported to {@code listener} and counted, and the run goes on with the next. Each file is
	 * written to a temporary file that then replaces the target, so a target is never half written; the
	 * temporary files that a killed run left for these inputs' outputs are deleted first.
	 * <p>
	 * With {@code confidence}, the confidence and entropy maps are written before the label map, so
	 * an input counts as done (its label map exists) only when all its outputs exist: a run
	 * interrupted between them predicts the input again. A label map that exists is still skipped
	 * without {@code overwrite}, even when it was written without confidence maps (by a run without
	 * {@code confidence}); {@code overwrite} then adds them.
	 * </p>
	 *
	 * @param format the files' format
	 * @param confidence also write {@code <base>.confidence.nii.gz} and {@code <base>.entropy.nii.gz} (in {@code format})
	 * @param tta average the probabilities of each image and of its mirror along x
	 * @param root the manager to predict under, on the device of {@code model}
	 * @param listener progress, or {@code null}
	 * @throws InvalidInputException before anything is written, if two inputs share a base name or an
	 *           output name, or a name would lead out of {@code output}
	 * @throws IOException if the output folder cannot be created
	 */
	public static Outcome run(final SssModel model, final List<Path> inputs, final Path output, final OutputFormat format, final int batch,
		final boolean overwrite, final boolean confidence, final boolean tta, final NDManager root, final Listener listener) throws IOException
	{
		return run(model, inputs, output, format, batch, overwrite, confidence, tta, root, listener, null);
	}

	/**
	 * {@link #run(SssModel, List, Path, OutputFormat, int, boolean, boolean, boolean, NDManager, Listener)} with more
	 * outputs per input: {@code beside}, when not null, writes them before the label map, so that they
	 * exist when the label map does (an input whose label map exists is skipped as a whole).
	 */
	public static Outcome run(final SssModel model, final List<Path> inputs, final Path output, final OutputFormat format, final int batch,
		final boolean overwrite, final boolean confidence, final boolean tta, final NDManager root, final Listener listener, final Beside beside)
		throws IOException
	{
		if (batch < 1) throw new InvalidInputException("batch = " + batch + ": must be at least 1");
		final Listener to = listener == null ? new Listener() {} : listener;
		// the callers checked the names first, naming their own key for the output folder
		final Map<Path, Path> targets = targets(inputs, output, format, confidence, "output folder");
		Files.createDirectories(output);
		// a run killed while writing left hidden temporary files; its outputs are whole or absent
		final List<Path> files = new ArrayList<>();
		for (final Path target : targets.values())
			files.addAll(List.of(target, confidenceTarget(target), entropyTarget(target)));
		AtomicFiles.removeAbandoned(files);
		final List<Path> written = new ArrayList<>(), skipped = new ArrayList<>();
		final List<Failure> failed = new ArrayList<>();
		for (int i = 0; i < inputs.size(); i++) {
			if (to.stopRequested()) return new Outcome(written, skipped, failed, inputs.size() - i);
			final Path input = inputs.get(i), target = targets.get(input);
			to.starting(i, inputs.size(), input);
			if (!overwrite && Files.exists(target)) {
				skipped.add(input);
				to.skipped(input, target);
				continue;
			}
			try {
				final long start = System.nanoTime();
				predictFile(model, input, target, batch, confidence, tta, root, beside);
				written.add(target);
				to.written(input, target, (System.nanoTime() - start) / 1e9);
			}
			// one bad file (unreadable, wrong shape, a failed write) must not cost the others
			catch (final IOException | RuntimeException e) {
				final String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
				failed.add(new Failure(input, reason));
				to.failed(input, reason);
			}
		}
		return new Outcome(written, skipped, failed, 0);
	}

	/**
	 * The label map file of each input, {@code <output>/<base name>.nii.gz} (or {@code .tif}), in input order; with
	 * {@code confidence} the confidence and entropy map names are checked too.
	 *
	 * @param outputKey how the user named {@code output}, for the messages: {@code key 'output'}, {@code option --out}
	 * @throws InvalidInputException if two inputs share a base name, an output of one input has the
	 *           name of an output of another (e.g. {@code a.confidence.nii.gz} is both the label map
	 *           of {@code a.confidence.nii.gz} and the confidence map of {@code a.nii.gz}), or an
	 *           output would be written outside {@code output} ({@link OutputPaths})
	 */
	public static Map<Path, Path> targets(final List<Path> inputs, final Path output, final OutputFormat format, final boolean confidence,
		final String outputKey)
	{
		final Map<Path, Path> targets = new LinkedHashMap<>();
		final Set<String> names = new HashSet<>();
		final Map<Path, Path> owners = new HashMap<>();
		for (final Path input : inputs) {
			if (!names.add(ImageFiles.baseName(input)))
				throw new InvalidInputException(input + ": another input has the same base name '" + ImageFiles.baseName(input) + "'");
			final Path target = target(input, output, format, outputKey);
			targets.put(input, target);
			final List<Path> files = confidence ? List.of(target, OutputPaths.child(output, confidenceTarget(target).getFileName().toString(), outputKey),
				OutputPaths.child(output, entropyTarget(target).getFileName().toString(), outputKey)) : List.of(target);
			for (final Path file : files) {
				final Path other = owners.putIfAbsent(file, input);
				if (other != null) throw new InvalidInputException(input + ": its output " + file.getFileName() + " is also an output of " + other);
			}
		}
		return targets;
	}

	/** {@code <base>.confidence.nii.gz} beside the label map {@code <base>.nii.gz} (or {@code .tif} beside {@code .tif}). */
	public static Path confidenceTarget(final Path target) {
		return sibling(target, ".confidence");
	}

	/** {@code <base>.entropy.nii.gz} beside the label map {@code <base>.nii.gz} (or {@code .tif} beside {@code .tif}). */
	public static Path entropyTarget(final Path target) {
		return sibling(target, ".entropy");
	}

	private static Path sibling(final Path target, final String suffix) {
		final String name = target.getFileName().toString();
		final String extension = OutputFormat.of(target).extension();
		return target.resolveSibling(name.substring(0, name.length() - extension.length()) + suffix + extension);
	}

	/**
	 * {@code <output>/<base name of input>.nii.gz} (or {@code .tif}), absolute.
	 *
	 * @param outputKey how the user named {@code output}, for the message
	 * @throws InvalidInputException if the label map would be written outside {@code output} ({@link OutputPaths})
	 */
	public static Path target(final Path input, final Path output, final OutputFormat format, final String outputKey) {
		return OutputPaths.child(output, ImageFiles.baseName(input.getFileName()) + format.extension(), outputKey + " (the label map of " + input + ")");
	}

	/**
	 * Reads {@code input}, predicts it and writes its label map to {@code target}; with
	 * {@code confidence} first its confidence and entropy maps beside it (each in the format of
	 * {@code target}'s name, {@link OutputFormat#of}, atomically; the label map last, so that it marks
	 * the input done).
	 */
	public static void predictFile(final SssModel model, final Path input, final Path target, final int batch, final boolean confidence,
		final boolean tta, final NDManager root) throws IOException
	{
		predictFile(model, input, target, batch, confidence, tta, root, null);
	}

	/** {@link #predictFile(SssModel, Path, Path, int, boolean, boolean, NDManager)}, {@code beside} (when not null) writing its files before the label map. */
	public static void predictFile(final SssModel model, final Path input, final Path target, final int batch, final boolean confidence,
		final boolean tta, final NDManager root, final Beside beside) throws IOException
	{
		final MedicalImage image = ImageFiles.read(input);
		final float[] probabilities = probabilities(model, image, batch, tta, root);
		final int classes = model.network().classes();
		if (beside != null) beside.write(image, probabilities, classes, target);
		write(image, probabilities, classes, target, confidence);
	}

	/**
	 * Writes the label map of {@code probabilities} (flat as {X, Y, Z, C}) of {@code image} to
	 * {@code target} with the image's geometry; with {@code confidence} first its confidence and
	 * entropy maps beside it (each in the format of {@code target}'s name, {@link OutputFormat#of},
	 * atomically; the label map last, so that it marks the input done).
	 */
	public static void write(final MedicalImage image, final float[] probabilities, final int classes, final Path target, final boolean confidence)
		throws IOException
	{
		final MedicalImage labels = labels(image, probabilities, classes);
		final OutputFormat format = OutputFormat.of(target);
		if (confidence) {
			format.write(floats(image, confidence(probabilities, classes)), confidenceTarget(target));
			format.write(floats(image, entropy(probabilities, classes)), entropyTarget(target));
		}
		format.write(labels, target);
	}

	/** The label map of one image, same dims and geometry, uint8; with {@code tta} from the flip-averaged probabilities. */
	public static MedicalImage predict(final SssModel model, final MedicalImage image, final int batch, final boolean tta, final NDManager root) {
		return labels(image, probabilities(model, image, batch, tta, root), model.network().classes());
	}

	private static MedicalImage labels(final MedicalImage image, final float[] probabilities, final int classes) {
		if (classes > 256) throw new InvalidInputException(image.name() + ": more than 256 classes do not fit a uint8 label map");
		final int[] labels = SlicePredictor.argmax(probabilities, classes);
		final byte[] bytes = new byte[labels.length];
		for (int i = 0; i < labels.length; i++)
			bytes[i] = (byte) labels[i];
		return image.withPixels(ArrayImgs.unsignedBytes(bytes, shape(image)));
	}

	private static MedicalImage floats(final MedicalImage image, final float[] values) {
		return image.withPixels(ArrayImgs.floats(values, shape(image)));
	}

	private static long[] shape(final MedicalImage image) {
		final long[] shape = new long[image.numDimensions()];
		final int[] imageDims = image.dims();
		for (int d = 0; d < shape.length; d++)
			shape[d] = imageDims[d];
		return shape;
	}

	/** Per voxel the largest of its class probabilities; {@code probabilities} flat as {X, Y, Z, C}. */
	public static float[] confidence(final float[] probabilities, final int classes) {
		final int n = probabilities.length / classes;
		final float[] max = new float[n];
		for (int i = 0; i < n; i++) {
			float best = probabilities[i];
			for (int c = 1; c < classes; c++)
				best = Math.max(best, probabilities[c * n + i]);
			max[i] = best;
		}
		return max;
	}

	/**
	 * Per voxel the Shannon entropy {@code -sum p ln p} of its class probabilities, in nats, from 0
	 * (certain) to {@code ln C} (uniform); a zero probability adds nothing ({@code p ln p -> 0}).
	 */
	public static float[] entropy(final float[] probabilities, final int classes) {
		final int n = probabilities.length / classes;
		final float[] entropy = new float[n];
		for (int i = 0; i < n; i++) {
			double sum = 0;
			for (int c = 0; c < classes; c++) {
				final double p = probabilities[c * n + i];
				if (p > 0) sum -= p * Math.log(p);
			}
			// rounding of probabilities that sum to 1 only up to float precision can give -0 or a hair below
			entropy[i] = (float) Math.max(0, sum);
		}
		return entropy;
	}

	/**
	 * Class probabilities of every voxel of one 2-D or 3-D image, normalised per volume as in
	 * training; flat as {X, Y, Z, C} (see {@link SlicePredictor#probabilities}). With
	 * {@code tta} (flip test-time augmentation) the mean of the image's probabilities and of the
	 * probabilities of its mirror along x, mirrored back. The mean is symmetric by construction: the
	 * mirror of an image gets the mirror of the image's probabilities.
	 */
	public static float[] probabilities(final SssModel model, final MedicalImage image, final int batch, final boolean tta, final NDManager root) {
		final int[] dims = Preprocessing.volumeDims(image, image.name());
		final float[] values = image.toFloatArray();
		// min-max normalisation does not depend on voxel order, so mirroring after it is the same as before
		Preprocessing.normalise(values);
		final float[] plain = SlicePredictor.probabilities(model.network(), values, dims, model.inputSize(), batch, root);
		if (!tta) return plain;
		final float[] mirrored = SlicePredictor.probabilities(model.network(), flipX(values, dims[0]), dims, model.inputSize(), batch, root);
		flipXInPlace(mirrored, dims[0]);
		for (int i = 0; i < plain.length; i++)
			plain[i] = (plain[i] + mirrored[i]) * 0.5f;
		return plain;
	}

	/**
	 * A copy of {@code values} mirrored along x: {@code values} is flat with x fastest and rows of
	 * {@code width} (a volume {X, Y, Z} or class maps {X, Y, Z, C} alike), each row reversed.
	 */
	private static float[] flipX(final float[] values, final int width) {
		final float[] copy = values.clone();
		flipXInPlace(copy, width);
		return copy;
	}

	private static void flipXInPlace(final float[] values, final int width) {
		for (int row = 0; row < values.length; row += width)
			for (int a = row, b = row + width - 1; a < b; a++, b--) {
				final float t = values[a];
				values[a] = values[b];
				values[b] = t;
			}
	}
}
