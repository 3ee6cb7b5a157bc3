package io.github.sssfiji.data;

import static io.github.sssfiji.data.FolderLayoutTest.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.io.MedicalImage;

/** The ACDC/UniMatch layout on the shared ACDC folder. */
class AcdcUniMatchLayoutTest {

	private static final String SLICE = "data/slices/patient099_frame01_slice_15.h5";
	private static final String VOLUME = "data/patient002_frame01.h5";

	private final Path acdc = TestData.acdc();

	@Test
	void splitThreeReadsSlicesAndVolumes() throws IOException {
		assertEquals("acdc-unimatch", Datasets.detect(acdc, "3").name());
		final Dataset dataset = Datasets.open(acdc, "3", null);
		assertEquals(List.of("background", "RV", "Myo", "LV"), dataset.classNames());
		assertEquals("acdc", dataset.name());
		assertEquals(SLICE, dataset.labelled().get(0).id());
		assertEquals(acdc.resolve(SLICE), dataset.labelled().get(0).imagePath());

		final DatasetItem slice = dataset.labelled().get(0);
		final MedicalImage image = slice.readImage();
		final MedicalImage label = slice.readLabel();
		assertEquals(2, image.numDimensions());
		assertArrayEquals(image.dims(), label.dims());
		assertTrue(label.toLabelArray().length > 0 && java.util.Arrays.stream(label.toLabelArray()).allMatch(v -> v >= 0 && v <= 3));

		final DatasetItem volume = dataset.validation().stream().filter(item -> item.id().equals(VOLUME)).findFirst().get();
		// MANIFEST.tsv: 10x256x232
		assertArrayEquals(new int[] { 232, 256, 10 }, volume.readImage().dims());
		assertThrows(IllegalStateException.class, () -> dataset.unlabelled().get(0).readLabel());
	}

	@Test
	void splitMayBeTheLabelledList() throws IOException {
		final List<String> byNumber = ids(Datasets.open(acdc, "7", null).labelled());
		assertEquals(byNumber, ids(Datasets.open(acdc, "splits/unimatch/7/labeled.txt", null).labelled()));
		final Dataset byAbsolutePath = Datasets.open(acdc, acdc.resolve("splits/unimatch/7/labeled.txt").toString(), null);
		assertEquals(byNumber, ids(byAbsolutePath.labelled()));
		assertEquals(20, byAbsolutePath.validation().size());
	}

	@Test
	void missingOrUnknownSplitListsTheAvailableOnes() {
		final InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> Datasets.open(acdc, "5", null));
		assertTrue(unknown.getMessage().contains("available: splits [1, 3, 7]"), unknown.getMessage());
		final InvalidInputException none = assertThrows(InvalidInputException.class, () -> Datasets.open(acdc, null, null));
		assertTrue(none.getMessage().contains("choose a split (splits [1, 3, 7]"), none.getMessage());
	}

	@Test
	void ownSplitFilesAreReadAndValidated(@TempDir final Path splits) throws IOException {
		final Path folder = Files.createDirectories(splits.resolve("mine"));
		Files.write(folder.resolve("labeled.txt"), List.of(SLICE, "data/slices/patient099_frame02_slice_3.h5", ""), StandardCharsets.UTF_8);
		Files.write(folder.resolve("unlabeled.txt"), List.of("data/slices/patient100_frame01_slice_3.h5"), StandardCharsets.UTF_8);
		// val.txt one folder up, as in splits/unimatch
		Files.write(splits.resolve("val.txt"), List.of(VOLUME), StandardCharsets.UTF_8);
		final Dataset dataset = Datasets.open(acdc, folder.resolve("labeled.txt").toString(), null);
		assertEquals(2, dataset.labelled().size());
		assertEquals(1, dataset.unlabelled().size());
		assertEquals(List.of(VOLUME), ids(dataset.validation()));
		dataset.validate();

		Files.write(folder.resolve("labeled.txt"), List.of(SLICE, "data/slices/patient999_frame01_slice_1.h5"), StandardCharsets.UTF_8);
		final InvalidInputException missing = assertThrows(InvalidInputException.class, () -> Datasets.open(acdc, folder.toString(), null));
		assertTrue(missing.getMessage().contains("1 listed file(s) not found under " + acdc + ": line 2: data/slices/patient999_frame01_slice_1.h5"),
			missing.getMessage());

		Files.write(folder.resolve("labeled.txt"), List.of(SLICE), StandardCharsets.UTF_8);
		Files.write(folder.resolve("unlabeled.txt"), List.of(SLICE), StandardCharsets.UTF_8);
		final InvalidInputException overlap = assertThrows(InvalidInputException.class, () -> Datasets.open(acdc, folder.toString(), null));
		assertTrue(overlap.getMessage().contains("listed as labelled and as unlabelled"), overlap.getMessage());

		Files.delete(folder.resolve("unlabeled.txt"));
		final InvalidInputException noUnlabelled = assertThrows(InvalidInputException.class, () -> Datasets.open(acdc, folder.toString(), null));
		assertTrue(noUnlabelled.getMessage().contains("unlabeled.txt: not found"), noUnlabelled.getMessage());
	}

	@Test
	void validateChecksDeclaredGeometry(@TempDir final Path splits) throws IOException {
		// a volume listed under a slices folder is declared 2-D; validate must notice it is 3-D
		final Path fakeRoot = Files.createDirectories(splits.resolve("root"));
		Files.createDirectories(fakeRoot.resolve("data/slices"));
		Files.copy(acdc.resolve(VOLUME), fakeRoot.resolve("data/slices/volume.h5"));
		Files.write(splits.resolve("labeled.txt"), List.of("data/slices/volume.h5"), StandardCharsets.UTF_8);
		Files.write(splits.resolve("unlabeled.txt"), List.of(), StandardCharsets.UTF_8);
		final Dataset dataset = Datasets.open(fakeRoot, splits.resolve("labeled.txt").toString(), null);
		final InvalidInputException e = assertThrows(InvalidInputException.class, dataset::validate);
		assertTrue(e.getMessage().contains("volume.h5: expected a 2-D slice, found 3 dimensions (dims [232, 256, 10])"), e.getMessage());
	}

	/**
	 * A {@code test.txt} beside {@code val.txt} is the held-out test role; a test item of a patient
	 * that trains (another frame of patient099) is refused, naming both files.
	 */
	@Test
	void aTestListIsTheTestRoleAndMayNotShareAPatient(@TempDir final Path splits) throws IOException {
		final Path folder = Files.createDirectories(splits.resolve("mine"));
		Files.write(folder.resolve("labeled.txt"), List.of(SLICE), StandardCharsets.UTF_8);
		Files.write(folder.resolve("unlabeled.txt"), List.of("data/slices/patient100_frame01_slice_3.h5"), StandardCharsets.UTF_8);
		Files.write(splits.resolve("val.txt"), List.of(VOLUME), StandardCharsets.UTF_8);
		Files.write(splits.resolve("test.txt"), List.of("data/patient028_frame01.h5", "data/patient028_frame02.h5"), StandardCharsets.UTF_8);
		final Dataset dataset = Datasets.open(acdc, folder.resolve("labeled.txt").toString(), null);
		assertEquals(List.of("data/patient028_frame01.h5", "data/patient028_frame02.h5"), ids(dataset.test()));
		assertTrue(dataset.test().get(0).isLabelled());

		Files.write(splits.resolve("test.txt"), List.of("data/patient028_frame01.h5", "data/slices/patient099_frame02_slice_3.h5"), StandardCharsets.UTF_8);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(acdc, folder.resolve("labeled.txt").toString(), null));
		assertTrue(e.getMessage().startsWith(acdc.resolve("data/slices/patient099_frame02_slice_3.h5") + ": test item ") && e.getMessage().contains(
			"is subject 'patient099', as is labelled item " + acdc.resolve(SLICE)), e.getMessage());
	}
}
