package io.github.sssfiji.sss.train;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.DataSources;
import io.github.sssfiji.data.Dataset;
import io.github.sssfiji.data.DatasetItem;
import io.github.sssfiji.data.Preprocessing;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;

/**
 * The slices a run trains on, read once into memory: labelled and unlabelled 2-D slices, the
 * labelled slices grouped into runs of consecutive slices of one volume (for training on
 * sequences), the unlabelled slices grouped into volumes (for PCSW), and the validation volumes;
 * for a run with a held-out test, also the test items, which are not read here: {@link Trainer}
 * reads them once, after training ({@link #test()}).
 * <p>
 * Intensities are normalised per volume to [0, 1] by min-max, as SSL4MIS prepared ACDC. A volume
 * item is one volume; slice items named {@code <volume>_slice_<k>} (ACDC's HDF5 slices) are grouped
 * back into their volume, ordered by k, so that they are normalised together (for ACDC this keeps
 * the stored values) and PCSW sees the volume. Other slice items are volumes of one slice. The
 * labelled runs are the labelled volumes, split where slice numbers of slice items skip a value
 * (a slice missing from the dataset), so that neighbours in a run are neighbours in the volume.
 * </p>
 */
public final class TrainingData {

	private static final Pattern SLICE_NAME = Pattern.compile("(.+)_slice_(\\d+)");

	private final List<String> classNames;
	private final List<TrainingSlice> labelled;
	private final List<List<TrainingSlice>> labelledRuns;
	private final List<TrainingSlice> unlabelled;
	private final List<List<TrainingSlice>> unlabelledVolumes;
	private final List<VolumeData> validation;
	private final List<DatasetItem> test;
	private final DataSources sources;

	/**
	 * Training data whose labelled slices are not known to be neighbours: each is a run of its own,
	 * so it cannot train on sequences.
	 */
	public TrainingData(final List<String> classNames, final List<TrainingSlice> labelled, final List<List<TrainingSlice>> unlabelledVolumes,
		final List<VolumeData> validation)
	{
		this(new Runs(labelled.stream().map(List::of).toList()), classNames, unlabelledVolumes, validation, List.of(), null);
	}

	/** The labelled runs (a type of its own, so that the constructors differ after erasure). */
	private record Runs(List<List<TrainingSlice>> runs) {}

	/** @param sources where the data came from, or {@code null} for slices made by code (named by their slice names) */
	private TrainingData(final Runs labelledRuns, final List<String> classNames, final List<List<TrainingSlice>> unlabelledVolumes,
		final List<VolumeData> validation, final List<DatasetItem> test, final DataSources sources)
	{
		this.classNames = List.copyOf(classNames);
		this.labelledRuns = labelledRuns.runs().stream().map(List::copyOf).toList();
		this.labelled = this.labelledRuns.stream().flatMap(List::stream).toList();
		this.unlabelledVolumes = unlabelledVolumes.stream().map(List::copyOf).toList();
		this.unlabelled = this.unlabelledVolumes.stream().flatMap(List::stream).toList();
		this.validation = List.copyOf(validation);
		this.test = List.copyOf(test);
		this.sources = sources != null ? sources : DataSources.inMemory(this.labelled.stream().map(TrainingSlice::name).toList(),
			this.unlabelled.stream().map(TrainingSlice::name).toList(), this.validation.stream().map(VolumeData::name).toList());
	}

	/**
	 * Training data from labelled runs: each run is consecutive slices of one volume, in order.
	 */
	public static TrainingData ofRuns(final List<String> classNames, final List<List<TrainingSlice>> labelledRuns,
		final List<List<TrainingSlice>> unlabelledVolumes, final List<VolumeData> validation)
	{
		return new TrainingData(new Runs(labelledRuns), classNames, unlabelledVolumes, validation, List.of(), null);
	}

	/**
	 * Reads the labelled, unlabelled and validation items of {@code dataset}, and hashes their files
	 * for the provenance of the model files ({@link #sources()}).
	 *
	 * @param log progress lines, or {@code null}
	 * @throws InvalidInputException for a missing role, an image with more than three axes, or a
	 *           label map that does not fit its image
	 */
	public static TrainingData load(final Dataset dataset, final boolean withUnlabelled, final PrintStream log) throws IOException {
		return load(dataset, withUnlabelled, false, log);
	}

	/**
	 * As {@link #load(Dataset, boolean, PrintStream)}; with {@code withTest}, also the dataset's test
	 * items for a held-out test after training ({@link #test()}): listed and hashed for the
	 * provenance, their images not read.
	 *
	 * @throws InvalidInputException with {@code withTest}, when the dataset has no test role or a
	 *           test item has no label
	 */
	public static TrainingData load(final Dataset dataset, final boolean withUnlabelled, final boolean withTest, final PrintStream log)
		throws IOException
	{
		if (withTest) {
			if (dataset.test().isEmpty())
				throw new InvalidInputException(dataset.root() + ": test true needs a test role and the dataset has none (test/{images,labels}, nnU-Net " +
					"imagesTs with labelsTs, or an ACDC test.txt beside val.txt)");
			for (final DatasetItem item : dataset.test())
				if (!item.isLabelled())
					throw new InvalidInputException(item.imagePath() + ": test true needs labelled test items; test item " + item.id() + " has no label " +
						"(test/labels, labelsTs)");
		}
		if (dataset.labelled().isEmpty()) throw new InvalidInputException(dataset.root() + ": the dataset has no labelled items");
		if (withUnlabelled && dataset.unlabelled().isEmpty())
			throw new InvalidInputException(dataset.root() + ": semi-supervised training needs unlabelled items; the dataset has none");
		final long start = System.nanoTime();
		final List<List<TrainingSlice>> labelled = volumes(dataset.labelled(), dataset);
		final List<List<TrainingSlice>> unlabelled = withUnlabelled ? volumes(dataset.unlabelled(), null) : List.of();
		final List<VolumeData> validation = new ArrayList<>();
		for (final DatasetItem item : dataset.validation()) {
			final VolumeData v = volume(item);
			if (v.labels() != null) requireClasses(v.labels(), item.labelPath().get(), dataset);
			validation.add(v);
		}
		final long hashing = System.nanoTime();
		final DataSources sources = DataSources.of(dataset, withUnlabelled, withTest);
		final long end = System.nanoTime();
		if (log != null) log.printf(Locale.ROOT, "data: %d labelled slices, %d unlabelled slices in %d volumes, %d validation volumes%s (read in %.1f s, " +
			"%d files hashed in %.1f s)%n", labelled.stream().mapToInt(List::size).sum(), unlabelled.stream().mapToInt(List::size).sum(), unlabelled.size(),
			validation.size(), withTest ? ", " + dataset.test().size() + " test volumes held out until the end" : "", (hashing - start) / 1e9,
			sources.fileCount(), (end - hashing) / 1e9);
		return new TrainingData(new Runs(labelled), dataset.classNames(), unlabelled, validation, withTest ? dataset.test() : List.of(), sources);
	}

	/**
	 * Training data from one image and its label map of the same dims (e.g. a stack annotated in
	 * Fiji), normalised as one volume, without validation volumes.
	 * <p>
	 * Without unlabelled data every slice is labelled (slices with no label are background
	 * examples). With unlabelled data (semi-supervised modes), the slices whose labels are all 0 are
	 * the unlabelled slices and the others the labelled ones: the sparse annotation of a stack in
	 * which only some slices were drawn. Each run of consecutive unlabelled slices is an unlabelled
	 * volume of its own, in slice order (PCSW links a slice with its neighbours in its volume, and the
	 * slices on either side of a labelled slice are not neighbours); likewise each run of consecutive
	 * labelled slices is a labelled run.
	 * </p>
	 *
	 * @param classNames names by label value, background first
	 * @throws InvalidInputException when the dims differ, a label is outside the class names, or a
	 *           role ends up empty
	 */
	public static TrainingData fromImage(final MedicalImage image, final MedicalImage labels, final List<String> classNames,
		final boolean withUnlabelled)
	{
		final int[] dims = Preprocessing.volumeDims(image, image.name());
		if (!Arrays.equals(Preprocessing.volumeDims(labels, labels.name()), dims))
			throw new InvalidInputException(labels.name() + ": label dims " + Arrays.toString(labels.dims()) + " differ from the dims " +
				Arrays.toString(image.dims()) + " of image " + image.name());
		final float[] values = image.toFloatArray();
		Preprocessing.normalise(values);
		final int[] all = labels.toLabelArray();
		final int area = dims[0] * dims[1];
		final List<TrainingSlice> labelled = new ArrayList<>(), unlabelled = new ArrayList<>();
		final List<List<TrainingSlice>> runs = new ArrayList<>(), volumes = new ArrayList<>();
		int previous = -2, previousUnlabelled = -2;
		for (int z = 0; z < dims[2]; z++) {
			final int[] plane = Arrays.copyOfRange(all, z * area, (z + 1) * area);
			boolean annotated = false;
			for (final int label : plane) {
				if (label < 0 || label >= classNames.size())
					throw new InvalidInputException(labels.name() + ": label " + label + " on slice " + (z + 1) + " is not one of the " + classNames.size() +
						" classes " + classNames);
				annotated |= label != 0;
			}
			final String name = image.name() + "#" + z;
			final float[] slice = Arrays.copyOfRange(values, z * area, (z + 1) * area);
			if (withUnlabelled && !annotated) {
				final TrainingSlice unlabelledSlice = new TrainingSlice(name, slice, null, dims[0], dims[1]);
				unlabelled.add(unlabelledSlice);
				// a run of unannotated slices ends at an annotated one: PCSW links neighbours only within a volume
				if (previousUnlabelled != z - 1) volumes.add(new ArrayList<>());
				volumes.get(volumes.size() - 1).add(unlabelledSlice);
				previousUnlabelled = z;
			}
			else {
				final TrainingSlice labelledSlice = new TrainingSlice(name, slice, plane, dims[0], dims[1]);
				labelled.add(labelledSlice);
				// a run of annotated slices ends at an unannotated one
				if (previous != z - 1) runs.add(new ArrayList<>());
				runs.get(runs.size() - 1).add(labelledSlice);
				previous = z;
			}
		}
		if (labelled.isEmpty()) throw new InvalidInputException(labels.name() + ": no slice has a label; draw some classes first");
		if (withUnlabelled && unlabelled.isEmpty())
			throw new InvalidInputException(labels.name() + ": semi-supervised training needs unlabelled slices (slices whose labels are all 0); " +
				"every slice has labels, so train in mode 'supervised'");
		return new TrainingData(new Runs(runs), classNames, volumes, List.of(), List.of(),
			DataSources.ofImage(image.name(), labels.name(), labelled.stream().map(TrainingSlice::name).toList(),
				withUnlabelled ? unlabelled.stream().map(TrainingSlice::name).toList() : List.of()));
	}

	/**
	 * Every slice of one image as one unlabelled volume, normalised together as {@link #fromImage}
	 * normalises, in slice order, named {@code <image name>#z} (z from 0), e.g. an open stack whose
	 * slices are to be ranked ({@link SliceSuggestions}).
	 *
	 * @throws InvalidInputException for an image with more than three axes
	 */
	public static List<TrainingSlice> unlabelledVolume(final MedicalImage image) {
		final int[] dims = Preprocessing.volumeDims(image, image.name());
		final float[] values = image.toFloatArray();
		Preprocessing.normalise(values);
		final int area = dims[0] * dims[1];
		final List<TrainingSlice> volume = new ArrayList<>();
		for (int z = 0; z < dims[2]; z++)
			volume.add(new TrainingSlice(image.name() + "#" + z, Arrays.copyOfRange(values, z * area, (z + 1) * area), null, dims[0], dims[1]));
		return volume;
	}

	public List<String> classNames() {
		return classNames;
	}

	public List<TrainingSlice> labelled() {
		return labelled;
	}

	/** The labelled slices as runs of consecutive slices of one volume, each in slice order. */
	public List<List<TrainingSlice>> labelledRuns() {
		return labelledRuns;
	}

	/** All unlabelled slices, volume after volume. */
	public List<TrainingSlice> unlabelled() {
		return unlabelled;
	}

	/** The unlabelled slices by volume, each in slice order. */
	public List<List<TrainingSlice>> unlabelledVolumes() {
		return unlabelledVolumes;
	}

	public List<VolumeData> validation() {
		return validation;
	}

	/**
	 * The held-out test items (labelled), empty unless the data were loaded for a test: not read
	 * here, so that nothing of them can reach training or model selection; the trainer reads them
	 * after the last iteration.
	 */
	public List<DatasetItem> test() {
		return test;
	}

	/** Where the data came from: files with their SHA-256, an image by name, or slices made by code. */
	public DataSources sources() {
		return sources;
	}

	/** A validation or prediction volume: the image normalised per volume, labels if the item has them. */
	public static VolumeData volume(final DatasetItem item) throws IOException {
		final MedicalImage image = item.readImage();
		final int[] dims = Preprocessing.volumeDims(image, item.imagePath().toString());
		final float[] values = image.toFloatArray();
		Preprocessing.normalise(values);
		int[] labels = null;
		if (item.isLabelled()) {
			final MedicalImage label = item.readLabel();
			if (!Arrays.equals(Preprocessing.volumeDims(label, item.labelPath().get().toString()), dims))
				throw new InvalidInputException(item.labelPath().get() + ": label dims " + Arrays.toString(label.dims()) + " differ from image dims " +
					Arrays.toString(image.dims()));
			labels = label.toLabelArray();
		}
		final double[] spacing = image.spacing();
		return new VolumeData(ImageFiles.baseName(item.imagePath()), values, labels, dims,
			new double[] { spacing[0], spacing[1], spacing.length > 2 ? spacing[2] : 1 });
	}

	/**
	 * Refuses a label map holding a value outside the dataset's classes: a network of that many
	 * outputs cannot learn it (and the loss would index past its classes).
	 */
	static void requireClasses(final int[] labels, final java.nio.file.Path labelFile, final Dataset dataset) {
		final int classes = dataset.numClasses();
		final java.util.TreeSet<Integer> outside = new java.util.TreeSet<>();
		for (final int value : labels)
			if ((value < 0 || value >= classes) && outside.add(value) && outside.size() == 10) break;
		if (outside.isEmpty()) return;
		final java.nio.file.Path classesTxt = dataset.root().resolve("classes.txt"), datasetJson = dataset.root().resolve("dataset.json");
		final String declared = java.nio.file.Files.isRegularFile(classesTxt) ? classesTxt.toString()
			: java.nio.file.Files.isRegularFile(datasetJson) ? datasetJson.toString() : "the dataset";
		throw new InvalidInputException(labelFile + ": label value(s) " + outside + " outside the " + classes + " classes " + dataset.classNames() +
			" declared by " + declared + " (values 0 to " + (classes - 1) + "); add the missing classes there or fix the label file");
	}

	/**
	 * The volumes of {@code items}, each normalised as a whole; with the labels of a {@code labelled}
	 * dataset (null: images only), checked against its classes and split into runs where the slice
	 * numbers of a volume's slice items skip a value.
	 */
	private static List<List<TrainingSlice>> volumes(final List<DatasetItem> items, final Dataset labelled) throws IOException {
		final boolean labels = labelled != null;
		final List<List<TrainingSlice>> volumes = new ArrayList<>();
		// slice items of one volume, by volume name and slice number
		final Map<String, TreeMap<Integer, DatasetItem>> groups = new LinkedHashMap<>();
		for (final DatasetItem item : items) {
			final String name = ImageFiles.baseName(item.imagePath());
			final Matcher m = SLICE_NAME.matcher(name);
			if (item.kind() == DatasetItem.Kind.SLICE && m.matches())
				groups.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), item);
			else groups.computeIfAbsent(name + "\u0000" + groups.size(), k -> new TreeMap<>()).put(0, item);
		}
		for (final TreeMap<Integer, DatasetItem> group : groups.values()) {
			final List<MedicalImage> images = new ArrayList<>();
			final List<int[]> labelMaps = new ArrayList<>();
			for (final DatasetItem item : group.values()) {
				final MedicalImage image = item.readImage();
				images.add(image);
				if (labels) {
					final MedicalImage label = item.readLabel();
					if (!Arrays.equals(label.dims(), image.dims()))
						throw new InvalidInputException(item.labelPath().get() + ": label dims " + Arrays.toString(label.dims()) + " differ from image dims " +
							Arrays.toString(image.dims()));
					final int[] values = label.toLabelArray();
					requireClasses(values, item.labelPath().get(), labelled);
					labelMaps.add(values);
				}
			}
			final List<TrainingSlice> volume = slices(group.values().stream().toList(), images, labels ? labelMaps : null);
			if (!labels || volume.size() != group.size()) {
				volumes.add(volume);
				continue;
			}
			// one slice per item: neighbours in the volume have consecutive slice numbers
			int previous = Integer.MIN_VALUE, i = 0;
			for (final int number : group.keySet()) {
				if (previous == Integer.MIN_VALUE || number != previous + 1) volumes.add(new ArrayList<>());
				volumes.get(volumes.size() - 1).add(volume.get(i++));
				previous = number;
			}
		}
		return volumes;
	}

	/** The slices of one volume (one 3-D item or several 2-D items), normalised together. */
	private static List<TrainingSlice> slices(final List<DatasetItem> items, final List<MedicalImage> images, final List<int[]> labelMaps) {
		int total = 0;
		final List<float[]> values = new ArrayList<>();
		for (int i = 0; i < images.size(); i++) {
			final float[] v = images.get(i).toFloatArray();
			Preprocessing.volumeDims(images.get(i), items.get(i).imagePath().toString());
			values.add(v);
			total += v.length;
		}
		final float[] all = new float[total];
		for (int i = 0, offset = 0; i < values.size(); offset += values.get(i).length, i++)
			System.arraycopy(values.get(i), 0, all, offset, values.get(i).length);
		Preprocessing.normalise(all);
		final List<TrainingSlice> slices = new ArrayList<>();
		int offset = 0;
		for (int i = 0; i < images.size(); i++) {
			final int[] dims = Preprocessing.volumeDims(images.get(i), items.get(i).imagePath().toString());
			final int area = dims[0] * dims[1];
			final String name = ImageFiles.baseName(items.get(i).imagePath());
			for (int z = 0; z < dims[2]; z++, offset += area) {
				final int[] labels = labelMaps == null ? null : Arrays.copyOfRange(labelMaps.get(i), z * area, (z + 1) * area);
				slices.add(new TrainingSlice(dims[2] == 1 ? name : name + "#" + z, Arrays.copyOfRange(all, offset, offset + area), labels, dims[0], dims[1]));
			}
		}
		return slices;
	}
}
