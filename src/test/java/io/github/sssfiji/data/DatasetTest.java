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
}
