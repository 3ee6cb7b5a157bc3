package io.github.sssfiji.data;

import static io.github.sssfiji.data.FolderLayoutTest.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;

/** The nnU-Net layout (as BHSD uses it) on tiny text images named like NIfTI files. */
class NnUnetLayoutTest {

	private static final int[] SHAPE = { 3, 2, 2 };

	/** nnU-Net v2 style, as written by nnU-Net's generate_dataset_json. */
	private static final String V2_JSON = "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0, \"EDH\": 1, \"IPH\": 2}," +
		" \"numTraining\": 3, \"file_ending\": \".nii.gz\"}";

	/** nnU-Net v1 / BHSD style: values to names, modality, no file ending. */
	private static final String V1_JSON = "{\"name\": \"BHSD\", \"modality\": {\"0\": \"CT\"}, \"labels\": {\"0\": \"background\", \"1\": \"EDH\"," +
		" \"2\": \"IPH\", \"3\": \"IVH\", \"4\": \"SAH\", \"5\": \"SDH\"}, \"numTraining\": 3, \"training\": [], \"test\": []}";

	private final TextImageReader reader = new TextImageReader();

	@TempDir
	Path root;

	private void writeDataset(final String json) throws IOException {
		Files.write(root.resolve("dataset.json"), List.of(json), StandardCharsets.UTF_8);
		for (final String name : List.of("ID_001", "ID_002", "ID_003")) {
			TextImageReader.filled(root.resolve("imagesTr/" + name + "_0000.nii.gz"), SHAPE, 40);
			TextImageReader.filled(root.resolve("labelsTr/" + name + ".nii.gz"), SHAPE, 0);
		}
		TextImageReader.write(root.resolve("labelsTr/ID_002.nii.gz"), SHAPE, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2);
		TextImageReader.filled(root.resolve("imagesTs/ID_100_0000.nii.gz"), SHAPE, 30);
		TextImageReader.filled(root.resolve("imagesUnlabeled/scan_7.nii.gz"), SHAPE, 20);
		TextImageReader.filled(root.resolve("imagesUnlabeled/scan_8_0000.nii.gz"), SHAPE, 20);
	}

	@Test
	void opensVersionTwo() throws IOException {
		writeDataset(V2_JSON);
		assertEquals("nnunet", Datasets.detect(root, null).name());
		final Dataset dataset = Datasets.open(root, null, reader);
		assertEquals(List.of("background", "EDH", "IPH"), dataset.classNames());
		assertEquals(Optional.of("CT"), dataset.modality());
		assertEquals(List.of("ID_001", "ID_002", "ID_003"), ids(dataset.labelled()));
		assertEquals(root.resolve("imagesTr/ID_002_0000.nii.gz"), dataset.labelled().get(1).imagePath());
		assertEquals(root.resolve("labelsTr/ID_002.nii.gz"), dataset.labelled().get(1).labelPath().get());
		assertArrayEquals(new int[] { 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2 }, dataset.labelled().get(1).readLabel().toLabelArray());
		assertEquals(List.of("scan_7", "scan_8"), ids(dataset.unlabelled()));
		assertEquals(List.of("ID_100"), ids(dataset.test()));
		assertFalse(dataset.test().get(0).isLabelled());
		assertTrue(dataset.validation().isEmpty());
		dataset.validate();
	}

	@Test
	void opensVersionOneWithBhsdClasses() throws IOException {
		writeDataset(V1_JSON);
		TextImageReader.filled(root.resolve("labelsTs/ID_100.nii.gz"), SHAPE, 5);
		final Dataset dataset = Datasets.open(root, null, reader);
		assertEquals(List.of("background", "EDH", "IPH", "IVH", "SAH", "SDH"), dataset.classNames());
		assertEquals(Optional.of("CT"), dataset.modality());
		assertTrue(dataset.test().get(0).isLabelled());
		dataset.validate();
	}

	@Test
	void validateFindsValuesOutsideTheClassesAndShapeMismatch() throws IOException {
		writeDataset(V2_JSON);
		TextImageReader.filled(root.resolve("labelsTr/ID_001.nii.gz"), SHAPE, 3);
		TextImageReader.filled(root.resolve("labelsTr/ID_003.nii.gz"), new int[] { 3, 2 }, 0);
		final InvalidInputException e = assertThrows(InvalidInputException.class, Datasets.open(root, null, reader)::validate);
		assertTrue(e.getMessage().contains(root.resolve("labelsTr/ID_001.nii.gz") + ": label value(s) [3] outside the 3 declared classes (0..2)"),
			e.getMessage());
		assertTrue(e.getMessage().contains(root.resolve("labelsTr/ID_003.nii.gz") + ": label shape [3, 2] differs from image shape [3, 2, 2]"),
			e.getMessage());
	}

	@Test
	void trailingSingletonAxesDoNotCountAsMismatch() throws IOException {
		writeDataset(V2_JSON);
		TextImageReader.filled(root.resolve("imagesTr/ID_003_0000.nii.gz"), new int[] { 3, 2 }, 1);
		TextImageReader.filled(root.resolve("labelsTr/ID_003.nii.gz"), new int[] { 3, 2, 1 }, 0);
		Datasets.open(root, null, reader).validate();
	}

	@Test
	void unreadableFilesAreReportedByValidate() throws IOException {
		writeDataset(V2_JSON);
		Files.write(root.resolve("imagesTs/ID_100_0000.nii.gz"), List.of("garbage"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, Datasets.open(root, null, reader)::validate);
		assertTrue(e.getMessage().contains(root.resolve("imagesTs/ID_100_0000.nii.gz") + ": cannot be read"), e.getMessage());
	}

	@Test
	void numTrainingMustMatch() throws IOException {
		writeDataset(V2_JSON.replace("\"numTraining\": 3", "\"numTraining\": 4"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().contains("numTraining is 4 but") && e.getMessage().contains("hold 3 case(s)"), e.getMessage());
	}

	@Test
	void labelWithoutImageIsNamed() throws IOException {
		writeDataset(V2_JSON);
		TextImageReader.filled(root.resolve("labelsTr/ID_004.nii.gz"), SHAPE, 0);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().contains("1 label(s) without an image in " + root.resolve("imagesTr") + ": ID_004.nii.gz"), e.getMessage());
	}

	@Test
	void otherChannelsAndBadNamesAreRefused() throws IOException {
		writeDataset(V2_JSON);
		TextImageReader.filled(root.resolve("imagesTr/ID_001_0001.nii.gz"), SHAPE, 0);
		TextImageReader.filled(root.resolve("imagesTr/ID_009.nii.gz"), SHAPE, 0);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().contains("ID_001_0001.nii.gz (channel 1; SSS handles single-channel images only)"), e.getMessage());
		assertTrue(e.getMessage().contains("ID_009.nii.gz (expected CASE_0000 naming)"), e.getMessage());
	}

	@Test
	void fileEndingIsEnforced() throws IOException {
		writeDataset(V2_JSON);
		TextImageReader.filled(root.resolve("labelsTr/ID_003.nii"), SHAPE, 0);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().contains("ID_003.nii (does not end with .nii.gz)"), e.getMessage());
	}

	@Test
	void multiChannelDatasetsAreRefused() throws IOException {
		writeDataset(V2_JSON.replace("{\"0\": \"CT\"}", "{\"0\": \"T1\", \"1\": \"T2\"}"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().contains("2 channels [T1, T2]"), e.getMessage());
	}

	@Test
	void badLabelDeclarationsAreRefused() throws IOException {
		writeDataset(V2_JSON.replace("\"IPH\": 2", "\"IPH\": 3"));
		assertMessage("label values must run 0, 1, 2, ... without gaps; found [0, 1, 3]");
		writeDataset(V2_JSON.replace("\"IPH\": 2", "\"IPH\": [1, 2]"));
		assertMessage("label 'IPH' is a region");
		writeDataset(V2_JSON.replace("\"IPH\": 2", "\"IPH\": 1"));
		assertMessage("label value 1 is given to both");
		writeDataset(V2_JSON.replace("\"labels\"", "\"labelz\""));
		assertMessage("no 'labels' entry");
		writeDataset("{\"labels\": ");
		assertMessage("not valid JSON");
	}

	private void assertMessage(final String expected) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().startsWith(root.resolve("dataset.json").toString()), e.getMessage());
		assertTrue(e.getMessage().contains(expected), e.getMessage());
	}

	@Test
	void foldOfSplitsFinalChoosesValidation() throws IOException {
		writeDataset(V2_JSON);
		Files.write(root.resolve("splits_final.json"), List.of("[{\"train\": [\"ID_001\", \"ID_002\"], \"val\": [\"ID_003\"]}," +
			" {\"train\": [\"ID_003\", \"ID_001\"], \"val\": [\"ID_002\"]}]"), StandardCharsets.UTF_8);
		final Dataset dataset = Datasets.open(root, "1", reader);
		assertEquals(List.of("ID_003", "ID_001"), ids(dataset.labelled()));
		assertEquals(List.of("ID_002"), ids(dataset.validation()));
		final InvalidInputException range = assertThrows(InvalidInputException.class, () -> Datasets.open(root, "2", reader));
		assertTrue(range.getMessage().contains("has 2 fold(s), 0..1"), range.getMessage());
		final InvalidInputException word = assertThrows(InvalidInputException.class, () -> Datasets.open(root, "first", reader));
		assertTrue(word.getMessage().contains("takes a fold number"), word.getMessage());
	}

	@Test
	void foldsMustNameKnownDisjointCases() throws IOException {
		writeDataset(V2_JSON);
		Files.write(root.resolve("splits_final.json"), List.of("[{\"train\": [\"ID_001\", \"ID_077\"], \"val\": [\"ID_003\"]}]"));
		final InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> Datasets.open(root, "0", reader));
		assertTrue(unknown.getMessage().contains("names case(s) not in imagesTr: ID_077"), unknown.getMessage());
		Files.write(root.resolve("splits_final.json"), List.of("[{\"train\": [\"ID_001\", \"ID_003\"], \"val\": [\"ID_003\"]}]"));
		final InvalidInputException overlap = assertThrows(InvalidInputException.class, () -> Datasets.open(root, "0", reader));
		assertTrue(overlap.getMessage().contains("ID_003_0000.nii.gz: the image is listed as labelled and as validation"), overlap.getMessage());
	}
}
