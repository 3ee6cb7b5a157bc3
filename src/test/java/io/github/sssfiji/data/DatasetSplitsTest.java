package io.github.sssfiji.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.TestData;

/**
 * The UniMatch ACDC splits as SSS opens them: the slice and volume counts of UniMatch's
 * {@code splits/acdc} (1, 3, 7 labelled patients; SSL4MIS's patients_to_slices gives 68 and 136 for
 * 3 and 7), disjoint labelled and unlabelled sets that together are the 1,312 training slices.
 */
class DatasetSplitsTest {

	private static final Pattern PATIENT = Pattern.compile("(patient\\d{3})_frame\\d{2}");

	@Test
	void oneLabelledPatient() throws IOException {
		checkSplit("1", 32, 1280, "patient099");
	}

	@Test
	void threeLabelledPatients() throws IOException {
		checkSplit("3", 68, 1244, "patient038 patient050 patient099");
	}

	@Test
	void sevenLabelledPatients() throws IOException {
		checkSplit("7", 136, 1176, "patient021 patient038 patient049 patient050 patient058 patient099 patient100");
	}

	private static void checkSplit(final String split, final int labelled, final int unlabelled, final String patients) throws IOException {
		final Path root = TestData.acdc();
		final Dataset dataset = Datasets.open(root, split, null);
		assertEquals(labelled, dataset.labelled().size(), "labelled slices of split " + split);
		assertEquals(unlabelled, dataset.unlabelled().size(), "unlabelled slices of split " + split);
		assertEquals(20, dataset.validation().size(), "validation volumes");
		assertEquals(0, dataset.test().size(), "test volumes are held out of the shared folder");

		final Set<String> labelledIds = dataset.labelled().stream().map(DatasetItem::id).collect(Collectors.toSet());
		final Set<String> unlabelledIds = dataset.unlabelled().stream().map(DatasetItem::id).collect(Collectors.toSet());
		final Set<String> overlap = new HashSet<>(labelledIds);
		overlap.retainAll(unlabelledIds);
		assertEquals(Set.of(), overlap, "labelled and unlabelled slices overlap");
		final Set<String> union = new TreeSet<>(labelledIds);
		union.addAll(unlabelledIds);
		assertEquals(trainingSlices(root), union, "labelled + unlabelled versus train_slices.txt");

		assertEquals(new TreeSet<>(Set.of(patients.split(" "))), patientsOf(labelledIds), "labelled patients");
		final Set<String> validationPatients = patientsOf(dataset.validation().stream().map(DatasetItem::id).collect(Collectors.toSet()));
		assertEquals(10, validationPatients.size(), "validation patients");
		final Set<String> shared = new HashSet<>(validationPatients);
		shared.retainAll(patientsOf(union));
		assertEquals(Set.of(), shared, "validation patients also in training");

		assertTrue(dataset.labelled().stream().allMatch(item -> item.kind() == DatasetItem.Kind.SLICE && item.isLabelled()));
		assertTrue(dataset.unlabelled().stream().allMatch(item -> item.kind() == DatasetItem.Kind.SLICE && !item.isLabelled()));
		assertTrue(dataset.validation().stream().allMatch(item -> item.kind() == DatasetItem.Kind.VOLUME && item.isLabelled()));
	}

	private static Set<String> trainingSlices(final Path root) throws IOException {
		return Files.readAllLines(root.resolve("splits/unimatch/train_slices.txt"), StandardCharsets.UTF_8).stream().map(String::trim)
			.filter(line -> !line.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
	}

	private static Set<String> patientsOf(final Set<String> ids) {
		final Set<String> patients = new TreeSet<>();
		for (final String id : ids) {
			final Matcher matcher = PATIENT.matcher(id);
			assertTrue(matcher.find(), id);
			patients.add(matcher.group(1));
		}
		return patients;
	}
}
