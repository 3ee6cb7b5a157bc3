package io.github.sssfiji.data;

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
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;

/** The plain-folder layout on TIFF files written with ImageJ 1.x. */
class FolderLayoutTest {

	private final TiffImageReader reader = new TiffImageReader();

	@TempDir
	Path root;

	/** images/a,b with labels, unlabeled/c, val/d, test/e (no labels); labels use values 0..2. */
	private void writeDataset() throws IOException {
		TiffImageReader.write(root.resolve("images/a.tif"), 3, 2, 1, 0, 1, 2, 3, 4, 5);
		TiffImageReader.write(root.resolve("labels/a.tif"), 3, 2, 1, 0, 0, 1, 1, 2, 0);
		TiffImageReader.filled(root.resolve("images/b.tif"), 3, 2, 7);
		TiffImageReader.filled(root.resolve("labels/b.tif"), 3, 2, 1);
		TiffImageReader.filled(root.resolve("unlabeled/c.tiff"), 3, 2, 9);
		TiffImageReader.filled(root.resolve("val/images/d.tif"), 3, 2, 4);
		TiffImageReader.filled(root.resolve("val/labels/d.tif"), 3, 2, 2);
		TiffImageReader.filled(root.resolve("test/images/e.tif"), 3, 2, 5);
	}

	@Test
	void opensAllRolesAndNamesClassesFromLabelValues() throws IOException {
		writeDataset();
		assertEquals("folders", Datasets.detect(root, null).name());
		final Dataset dataset = Datasets.open(root, null, reader);
		assertEquals(List.of("background", "class 1", "class 2"), dataset.classNames());
		assertEquals(List.of("a", "b"), ids(dataset.labelled()));
		assertEquals(List.of("c"), ids(dataset.unlabelled()));
		assertEquals(List.of("d"), ids(dataset.validation()));
		assertEquals(List.of("e"), ids(dataset.test()));
		assertFalse(dataset.test().get(0).isLabelled());
		assertEquals(root.resolve("labels/a.tif"), dataset.labelled().get(0).labelPath().get());
		assertEquals(DatasetItem.Kind.UNDECLARED, dataset.labelled().get(0).kind());
		final MedicalImage image = dataset.labelled().get(0).readImage();
		assertArrayEquals(new int[] { 3, 2 }, image.dims());
		assertArrayEquals(new float[] { 0, 1, 2, 3, 4, 5 }, image.toFloatArray());
		assertArrayEquals(new int[] { 0, 0, 1, 1, 2, 0 }, dataset.labelled().get(0).readLabel().toLabelArray());
		dataset.validate();
	}

	@Test
	void classesTxtNamesTheClassesAndValidateFindsValuesOutsideThem() throws IOException {
		writeDataset();
		Files.write(root.resolve("classes.txt"), List.of("background", "cell", ""), StandardCharsets.UTF_8);
		final Dataset dataset = Datasets.open(root, "", reader);
		assertEquals(List.of("background", "cell"), dataset.classNames());
		final InvalidInputException e = assertThrows(InvalidInputException.class, dataset::validate);
		assertTrue(e.getMessage().contains(root.resolve("labels/a.tif") + ": label value(s) [2] outside the 2 declared classes"), e.getMessage());
		assertTrue(e.getMessage().contains(root.resolve("val/labels/d.tif") + ": label value(s) [2]"), e.getMessage());
		assertTrue(e.getMessage().contains("2 problem(s)"), e.getMessage());
		// the labelled role alone has one problem
		final InvalidInputException labelledOnly = assertThrows(InvalidInputException.class, () -> dataset.validate(List.of(Dataset.Role.LABELLED)));
		assertTrue(labelledOnly.getMessage().contains("1 problem(s)"), labelledOnly.getMessage());
		dataset.validate(List.of(Dataset.Role.UNLABELLED, Dataset.Role.TEST));
	}

	@Test
	void datasetJsonNamesTheClasses() throws IOException {
		writeDataset();
		Files.write(root.resolve("dataset.json"), List.of("{\"labels\": {\"background\": 0, \"nucleus\": 1, \"membrane\": 2}}"), StandardCharsets.UTF_8);
		assertEquals(List.of("background", "nucleus", "membrane"), Datasets.open(root, null, reader).classNames());
	}

	@Test
	void validateFindsShapeMismatch() throws IOException {
		writeDataset();
		TiffImageReader.filled(root.resolve("labels/b.tif"), 2, 3, 1);
		final InvalidInputException e = assertThrows(InvalidInputException.class, Datasets.open(root, null, reader)::validate);
		assertTrue(e.getMessage().contains(root.resolve("labels/b.tif") + ": label shape [2, 3] differs from image shape [3, 2] of " +
			root.resolve("images/b.tif")), e.getMessage());
	}

	@Test
	void volumesAreStacks() throws IOException {
		final float[] values = new float[2 * 2 * 3];
		for (int i = 0; i < values.length; i++)
			values[i] = i;
		TiffImageReader.write(root.resolve("images/v.tif"), 2, 2, 3, values);
		TiffImageReader.write(root.resolve("labels/v.tif"), 2, 2, 3, new float[] { 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0 });
		final Dataset dataset = Datasets.open(root, null, reader);
		assertEquals(4, dataset.numClasses());
		final MedicalImage image = dataset.labelled().get(0).readImage();
		assertArrayEquals(new int[] { 2, 2, 3 }, image.dims());
		assertArrayEquals(values, image.toFloatArray());
		dataset.validate();
	}

	@Test
	void unmatchedFilesAreNamed() throws IOException {
		writeDataset();
		TiffImageReader.filled(root.resolve("images/f.tif"), 3, 2, 1);
		TiffImageReader.filled(root.resolve("labels/g.tif"), 3, 2, 1);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().contains(root.resolve("images") + ": 1 image(s) without a label in " + root.resolve("labels") + ": f.tif"), e.getMessage());
		assertTrue(e.getMessage().contains("1 label(s) without an image in " + root.resolve("images") + ": g.tif"), e.getMessage());
	}

	@Test
	void validationLabelsAreRequired() throws IOException {
		writeDataset();
		Files.delete(root.resolve("val/labels/d.tif"));
		Files.delete(root.resolve("val/labels"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().startsWith(root.resolve("val/labels") + ": folder not found"), e.getMessage());
	}

	@Test
	void strayAndDuplicateFilesAreRejected() throws IOException {
		writeDataset();
		Files.write(root.resolve("images/notes.txt"), List.of("hello"));
		TiffImageReader.filled(root.resolve("images/a.tiff"), 3, 2, 1);
		Files.write(root.resolve("images/.DS_Store"), List.of("hidden files are skipped"));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().contains("notes.txt (not an image file TiffImageReader reads)"), e.getMessage());
		assertTrue(e.getMessage().contains("same base name as"), e.getMessage());
		assertFalse(e.getMessage().contains("DS_Store"), e.getMessage());
	}

	@Test
	void emptyLabelledSetIsRejected() throws IOException {
		Files.createDirectories(root.resolve("images"));
		Files.createDirectories(root.resolve("labels"));
		TiffImageReader.filled(root.resolve("unlabeled/c.tif"), 3, 2, 9);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertEquals(root.resolve("images") + ": no labelled images", e.getMessage());
	}

	@Test
	void backgroundOnlyLabelsNeedDeclaredClasses() throws IOException {
		TiffImageReader.filled(root.resolve("images/a.tif"), 3, 2, 1);
		TiffImageReader.filled(root.resolve("labels/a.tif"), 3, 2, 0);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().contains("every label is background"), e.getMessage());
	}

	@Test
	void splitIsRefused() throws IOException {
		writeDataset();
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, "3", reader));
		assertTrue(e.getMessage().contains("has no splits"), e.getMessage());
	}

	@Test
	void unknownFolderListsTheLayouts() {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Datasets.open(root, null, reader));
		assertTrue(e.getMessage().contains("not a dataset folder") && e.getMessage().contains("nnunet:") && e.getMessage().contains("folders:"),
			e.getMessage());
	}

	static List<String> ids(final List<DatasetItem> items) {
		return items.stream().map(DatasetItem::id).collect(Collectors.toList());
	}
}
