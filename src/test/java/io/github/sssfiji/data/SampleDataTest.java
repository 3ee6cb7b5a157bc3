package io.github.sssfiji.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.data.SampleDataGenerator.SampleCase;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;

/** The committed {@code sample-data/} is exactly what our generator makes, and opens as a dataset. */
class SampleDataTest {

	private static final Path SAMPLE_DATA = Path.of("sample-data");

	@Test
	void committedFilesAreTheGeneratorsOutput() throws IOException {
		final List<SampleCase> cases = SampleDataGenerator.defaultCases();
		for (final SampleCase c : cases) {
			final MedicalImage image = ImageFiles.read(SAMPLE_DATA.resolve(c.role().imageFolder()).resolve(c.name() + ".nii.gz"));
			assertArrayEquals(SampleDataGenerator.quantised(c.image()).toLabelArray(), image.toLabelArray(), c.name());
			assertArrayEquals(c.image().spacing(), image.spacing(), 1e-6, c.name());
			final Path label = c.role().labelFolder() == null ? null : SAMPLE_DATA.resolve(c.role().labelFolder()).resolve(c.name() + ".nii.gz");
			if (label != null) assertArrayEquals(c.label().toLabelArray(), ImageFiles.readLabels(label).toLabelArray(), c.name());
		}
		assertEquals(SampleDataGenerator.CLASS_NAMES, Files.readAllLines(SAMPLE_DATA.resolve("classes.txt")));
	}

	@Test
	void opensAsAFolderDataset() throws IOException {
		final Dataset dataset = Datasets.open(SAMPLE_DATA, "", ImageFiles.imageReader());
		assertEquals(SampleDataGenerator.CLASS_NAMES, dataset.classNames());
		assertEquals(SampleDataGenerator.DEFAULT_LABELLED, dataset.items(Dataset.Role.LABELLED).size());
		assertEquals(SampleDataGenerator.DEFAULT_UNLABELLED, dataset.items(Dataset.Role.UNLABELLED).size());
		assertEquals(SampleDataGenerator.DEFAULT_VALIDATION, dataset.items(Dataset.Role.VALIDATION).size());
		assertEquals(SampleDataGenerator.DEFAULT_TEST, dataset.items(Dataset.Role.TEST).size());
		dataset.validate();
	}
}
