package io.github.sssfiji.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Dataset.Role;

/** Structural checks of {@link Dataset} itself, without files. */
class DatasetTest {

	private static final Path ROOT = Paths.get("/data/set");
	private static final List<String> CLASSES = List.of("background", "cell");
	private final TextImageReader reader = new TextImageReader();

	private DatasetItem labelled(final String id) {
		return DatasetItem.labelled(id, DatasetItem.Kind.UNDECLARED, ROOT.resolve("images/" + id + ".nii"), reader, ROOT.resolve("labels/" + id + ".nii"),
			reader);
	}

	private DatasetItem unlabelled(final String id) {
		return DatasetItem.unlabelled(id, DatasetItem.Kind.UNDECLARED, ROOT.resolve("images/" + id + ".nii"), reader);
	}

	private InvalidInputException refused(final List<String> classes, final Map<Role, List<DatasetItem>> items) {
		return assertThrows(InvalidInputException.class, () -> new Dataset("set", ROOT, "test", classes, null, items));
	}

	@Test
	void holdsItemsPerRole() {
		final Dataset dataset = new Dataset("set", ROOT, "test", CLASSES, "EM", Map.of(Role.LABELLED, List.of(labelled("a")), Role.UNLABELLED,
			List.of(unlabelled("b"), unlabelled("c"))));
		assertEquals(2, dataset.numClasses());
		assertEquals(1, dataset.labelled().size());
		assertEquals(2, dataset.items(Role.UNLABELLED).size());
		assertEquals(List.of(), dataset.validation());
		assertEquals("set (test): classes [background, cell], 1 labelled, 2 unlabelled, 0 validation, 0 test", dataset.summary());
	}

	@Test
	void refusesInconsistentSets() {
		assertTrue(refused(CLASSES, Map.of(Role.UNLABELLED, List.of(unlabelled("b")))).getMessage().contains("no labelled items"));
		assertTrue(refused(List.of("background"), Map.of(Role.LABELLED, List.of(labelled("a")))).getMessage().contains("declares 1 class(es)"));
		assertTrue(refused(List.of("background", "x", "x"), Map.of(Role.LABELLED, List.of(labelled("a")))).getMessage().contains("repeat"));
		assertTrue(refused(CLASSES, Map.of(Role.LABELLED, List.of(labelled("a")), Role.VALIDATION, List.of(unlabelled("v")))).getMessage()
			.contains("validation item v has no label"));
		assertTrue(refused(CLASSES, Map.of(Role.LABELLED, List.of(labelled("a"), unlabelled("u")))).getMessage().contains("labelled item u has no label"));
		assertTrue(refused(CLASSES, Map.of(Role.LABELLED, List.of(labelled("a")), Role.UNLABELLED, List.of(labelled("b")))).getMessage()
			.contains("unlabelled item b has a label"));
		assertTrue(refused(CLASSES, Map.of(Role.LABELLED, List.of(labelled("a")), Role.TEST, List.of(unlabelled("a")))).getMessage()
			.contains("listed as labelled and as test"));
		assertTrue(refused(CLASSES, Map.of(Role.LABELLED, List.of(labelled("a"), labelled("a")))).getMessage().contains("labelled item a appears twice"));
	}

	/**
	 * Roles are disjoint per subject, not only per file: ACDC's two frames of one patient, or a slice
	 * of a volume, in training and in the test (or validation) set are refused, naming both files;
	 * labelled and unlabelled items may share a patient.
	 */
	@Test
	void rolesMayNotShareAPatient() {
		final InvalidInputException frames = refused(CLASSES, Map.of(Role.LABELLED, List.of(labelled("patient001_frame01")), Role.TEST,
			List.of(labelled("patient001_frame12"))));
		assertTrue(frames.getMessage().startsWith(ROOT.resolve("images/patient001_frame12.nii") + ": test item patient001_frame12 is subject 'patient001', " +
			"as is labelled item " + ROOT.resolve("images/patient001_frame01.nii") + "; the roles must not share a subject"), frames.getMessage());
		final InvalidInputException slices = refused(CLASSES, Map.of(Role.LABELLED, List.of(labelled("case7_slice_3")), Role.VALIDATION,
			List.of(labelled("case7"))));
		assertTrue(slices.getMessage().contains("subject 'case7'"), slices.getMessage());
		assertTrue(refused(CLASSES, Map.of(Role.LABELLED, List.of(labelled("a")), Role.VALIDATION, List.of(labelled("data/slices/p2_frame01_slice_4")),
			Role.TEST, List.of(labelled("data/p2_frame02")))).getMessage().contains("subject 'p2'"));

		// training items may share a patient; other patients may be tested
		final Dataset fine = new Dataset("set", ROOT, "test", CLASSES, null, Map.of(Role.LABELLED, List.of(labelled("patient001_frame01")), Role.UNLABELLED,
			List.of(unlabelled("patient001_frame12")), Role.TEST, List.of(labelled("patient011_frame01"))));
		assertEquals(1, fine.test().size());
		assertEquals("patient001", Dataset.subject(fine.unlabelled().get(0)));
		assertEquals("patient011", Dataset.subject(fine.test().get(0)));
		assertEquals("BHSD_001", Dataset.subject(labelled("BHSD_001")));
		assertEquals("cells-7", Dataset.subject(labelled("cells-7_slice_12")));
	}
}
