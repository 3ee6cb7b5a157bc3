package io.github.sssfiji.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.SampleDataGenerator.Role;
import io.github.sssfiji.data.SampleDataGenerator.SampleCase;

class SampleDataGeneratorTest {

	@Test
	void splitsDistinctCasesIntoRolesInOrder() {
		final List<SampleCase> cases = SampleDataGenerator.cases(9, 2, 1, 0, 2);
		assertEquals(List.of(Role.LABELLED, Role.LABELLED, Role.UNLABELLED, Role.TEST, Role.TEST),
			cases.stream().map(SampleCase::role).collect(Collectors.toList()));
		assertEquals(List.of("synthetic_000", "synthetic_001", "synthetic_002", "synthetic_003", "synthetic_004"),
			cases.stream().map(SampleCase::name).collect(Collectors.toList()));
		for (final SampleCase c : cases) {
			assertEquals(c.name(), c.image().name());
			assertEquals(c.name() + "_gt", c.label().name());
			assertArrayEquals(c.image().dims(), c.label().dims());
		}
		assertFalse(Arrays.equals(cases.get(1).label().toLabelArray(), cases.get(3).label().toLabelArray()));
		assertArrayEquals(SyntheticCardiac.generate(9, 3).image().toFloatArray(), cases.get(3).image().toFloatArray(),
			"case indices run on across roles");
		assertEquals("unlabeled", Role.UNLABELLED.imageFolder());
	}

	@Test
	void rejectsNegativeCounts() {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> SampleDataGenerator.cases(1, 1, -2, 0, 0));
		assertTrue(e.getMessage().contains("unlabelled") && e.getMessage().contains("-2"), e.getMessage());
		assertTrue(SampleDataGenerator.cases(1, 0, 0, 0, 0).isEmpty());
	}
}
