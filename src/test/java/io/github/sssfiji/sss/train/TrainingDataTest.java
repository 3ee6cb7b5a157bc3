package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import net.imglib2.img.array.ArrayImgs;

/** {@link TrainingData#fromImage}: one annotated stack as training data; labelled runs and unlabelled volumes. */
class TrainingDataTest {

	private static final List<String> NAMES = List.of("background", "class 1", "class 2");

	/** 2 x 1 pixels, 3 slices, values 10..60: normalised (v - 10) / 50. */
	private static MedicalImage image() {
		return new MedicalImage("stack", "test", ArrayImgs.floats(new float[] { 10, 20, 30, 40, 50, 60 }, 2, 1, 3), new double[] { 1, 1, 2 }, null);
	}

	/** Labels on slices 0 and 2 only. */
	private static MedicalImage labels(final int... values) {
		return new MedicalImage("stack-labels", "test", ArrayImgs.ints(values, 2, 1, 3), new double[] { 1, 1, 2 }, null);
	}

	@Test
	void semiSupervisedTakesUnannotatedSlicesAsUnlabelled() {
		final TrainingData data = TrainingData.fromImage(image(), labels(1, 0, 0, 0, 0, 2), NAMES, true);
		assertEquals(NAMES, data.classNames());
		assertEquals(2, data.labelled().size());
		assertArrayEquals(new int[] { 1, 0 }, data.labelled().get(0).labels());
		assertArrayEquals(new int[] { 0, 2 }, data.labelled().get(1).labels());
		// the volume is normalised as a whole: slice 2 holds 50 and 60
		assertArrayEquals(new float[] { 0.8f, 1f }, data.labelled().get(1).image(), 1e-6f);
		assertEquals(1, data.unlabelledVolumes().size());
		assertEquals(1, data.unlabelled().size());
		assertNull(data.unlabelled().get(0).labels());
		assertArrayEquals(new float[] { 0.4f, 0.6f }, data.unlabelled().get(0).image(), 1e-6f);
		assertTrue(data.validation().isEmpty());
	}

	@Test
	void supervisedKeepsEverySliceAsLabelled() {
		final TrainingData data = TrainingData.fromImage(image(), labels(1, 0, 0, 0, 0, 2), NAMES, false);
		assertEquals(3, data.labelled().size());
		assertArrayEquals(new int[] { 0, 0 }, data.labelled().get(1).labels());
		assertTrue(data.unlabelled().isEmpty());
	}

	@Test
	void labelledRunsEndAtUnannotatedSlices() {
		final MedicalImage image = new MedicalImage("stack", "test", ArrayImgs.floats(new float[] { 1, 2, 3, 4, 5 }, 1, 1, 5), new double[] { 1, 1, 1 },
			null);
		final MedicalImage labels = new MedicalImage("stack-labels", "test", ArrayImgs.ints(new int[] { 1, 2, 0, 1, 1 }, 1, 1, 5), new double[] { 1, 1, 1 },
			null);
		final TrainingData sparse = TrainingData.fromImage(image, labels, NAMES, true);
		assertEquals(List.of(List.of("stack#0", "stack#1"), List.of("stack#3", "stack#4")),
			sparse.labelledRuns().stream().map(run -> run.stream().map(TrainingSlice::name).toList()).toList());
		// without unlabelled data every slice is labelled: one run
		assertEquals(List.of(5), TrainingData.fromImage(image, labels, NAMES, false).labelledRuns().stream().map(List::size).toList());
	}

	@Test
	void twoRunsOfUnlabelledSlicesSeparatedByALabelledSliceAreTwoUnlabelledVolumesInSliceOrder() {
		// slices 0, 1 unlabelled; 2 labelled; 3, 4, 5 unlabelled; 6 labelled
		final MedicalImage image = new MedicalImage("stack", "test", ArrayImgs.floats(new float[] { 1, 2, 3, 4, 5, 6, 7 }, 1, 1, 7),
			new double[] { 1, 1, 1 }, null);
		final MedicalImage labels = new MedicalImage("stack-labels", "test", ArrayImgs.ints(new int[] { 0, 0, 1, 0, 0, 0, 2 }, 1, 1, 7),
			new double[] { 1, 1, 1 }, null);
		final TrainingData data = TrainingData.fromImage(image, labels, NAMES, true);
		assertEquals(List.of(List.of("stack#0", "stack#1"), List.of("stack#3", "stack#4", "stack#5")),
			data.unlabelledVolumes().stream().map(volume -> volume.stream().map(TrainingSlice::name).toList()).toList());
		assertEquals(List.of("stack#0", "stack#1", "stack#3", "stack#4", "stack#5"), data.unlabelled().stream().map(TrainingSlice::name).toList());
		// the image is still normalised as one volume: slice 5 holds 6 of 1..7
		assertArrayEquals(new float[] { 5f / 6 }, data.unlabelledVolumes().get(1).get(2).image(), 1e-6f);
		assertEquals(List.of(List.of("stack#2"), List.of("stack#6")),
			data.labelledRuns().stream().map(run -> run.stream().map(TrainingSlice::name).toList()).toList());
	}

	@Test
	void unlabelledSlicesBetweenTheSameLabelledSlicesStayOneVolume() {
		final TrainingData data = TrainingData.fromImage(image(), labels(1, 0, 0, 0, 0, 2), NAMES, true);
		assertEquals(List.of(List.of("stack#1")), data.unlabelledVolumes().stream().map(v -> v.stream().map(TrainingSlice::name).toList()).toList());
		final MedicalImage image = new MedicalImage("stack", "test", ArrayImgs.floats(new float[] { 1, 2, 3, 4 }, 1, 1, 4), new double[] { 1, 1, 1 }, null);
		final MedicalImage labels = new MedicalImage("stack-labels", "test", ArrayImgs.ints(new int[] { 1, 0, 0, 0 }, 1, 1, 4), new double[] { 1, 1, 1 },
			null);
		assertEquals(List.of(3), TrainingData.fromImage(image, labels, NAMES, true).unlabelledVolumes().stream().map(List::size).toList());
	}

	@Test
	void acdcSlicesOfAVolumeFormRunsInSliceOrder(@TempDir final Path temp) throws IOException {
		final Path root = TestData.acdc(), slices = root.resolve("data").resolve("slices");
		final List<String> labelled = new ArrayList<>();
		// listed out of order, slice 4 missing: runs 1-3 and 5
		for (final int k : new int[] { 3, 1, 5, 2 })
			labelled.add(slices.resolve("patient099_frame01_slice_" + k + ".h5").toString());
		Files.write(temp.resolve("labeled.txt"), labelled);
		Files.write(temp.resolve("unlabeled.txt"), List.of(slices.resolve("patient100_frame01_slice_1.h5").toString()));
		// validation shares no patient with training (Dataset refuses that)
		Files.write(temp.resolve("val.txt"), List.of(root.resolve("data").resolve("patient028_frame01.h5").toString()));
		final TrainingData data = TrainingData.load(Datasets.open(root, temp.resolve("labeled.txt").toString(), ImageFiles.imageReader()), false, null);
		assertEquals(List.of(List.of("patient099_frame01_slice_1", "patient099_frame01_slice_2", "patient099_frame01_slice_3"),
			List.of("patient099_frame01_slice_5")), data.labelledRuns().stream().map(run -> run.stream().map(TrainingSlice::name).toList()).toList());
		assertEquals(4, data.labelled().size());
	}

	@Test
	void badLabelsAreNamed() {
		final InvalidInputException outside = assertThrows(InvalidInputException.class,
			() -> TrainingData.fromImage(image(), labels(3, 0, 0, 0, 0, 0), NAMES, false));
		assertTrue(outside.getMessage().contains("label 3 on slice 1"), outside.getMessage());
		final InvalidInputException allAnnotated = assertThrows(InvalidInputException.class,
			() -> TrainingData.fromImage(image(), labels(1, 0, 2, 0, 1, 1), NAMES, true));
		assertTrue(allAnnotated.getMessage().contains("mode 'supervised'"), allAnnotated.getMessage());
		final MedicalImage small = new MedicalImage("small", "test", ArrayImgs.ints(new int[] { 1, 0 }, 2, 1, 1), new double[] { 1, 1, 1 }, null);
		final InvalidInputException dims = assertThrows(InvalidInputException.class, () -> TrainingData.fromImage(image(), small, NAMES, false));
		assertTrue(dims.getMessage().contains("small: label dims [2, 1, 1]"), dims.getMessage());
	}

	@Test
	void aFolderDatasetWhoseLabelsLeaveItsClassesTxtIsRefusedNamingTheLabelFileAndClassesTxt(@TempDir final Path root) throws IOException {
		final io.github.sssfiji.io.NiftiWriter writer = io.github.sssfiji.io.NiftiWriter.create();
		for (final String folder : new String[] { "images", "labels", "val/images", "val/labels" })
			Files.createDirectories(root.resolve(folder));
		writer.write(image(), root.resolve("images/a.nii"));
		writer.write(labels(1, 0, 0, 0, 1, 0), root.resolve("labels/a.nii"));
		writer.write(image(), root.resolve("val/images/v.nii"));
		writer.write(labels(0, 0, 0, 0, 1, 0), root.resolve("val/labels/v.nii"));
		Files.writeString(root.resolve("classes.txt"), "background\nLV\n");
		assertEquals(3, TrainingData.load(Datasets.open(root, "", ImageFiles.imageReader()), false, null).labelled().size(), "3 slices of one volume");

		// a training label with class 2 of a list of two
		writer.write(labels(1, 0, 2, 0, 1, 0), root.resolve("labels/a.nii"));
		final InvalidInputException training = assertThrows(InvalidInputException.class,
			() -> TrainingData.load(Datasets.open(root, "", ImageFiles.imageReader()), false, null));
		assertTrue(training.getMessage().startsWith(root.resolve("labels/a.nii") + ": label value(s) [2] outside the 2 classes [background, LV] declared by " +
			root.resolve("classes.txt")), training.getMessage());

		// a validation label with class 3
		writer.write(labels(1, 0, 0, 0, 1, 0), root.resolve("labels/a.nii"));
		writer.write(labels(0, 0, 3, 0, 1, 0), root.resolve("val/labels/v.nii"));
		final InvalidInputException validation = assertThrows(InvalidInputException.class,
			() -> TrainingData.load(Datasets.open(root, "", ImageFiles.imageReader()), false, null));
		assertTrue(validation.getMessage().startsWith(root.resolve("val/labels/v.nii") + ": label value(s) [3]"), validation.getMessage());
	}
}
