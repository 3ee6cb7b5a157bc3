package io.github.sssfiji.sss.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;

/** {@link Shard}: parsing {@code i/n}, and shards that split a list by file name alone. */
class ShardTest {

	private static List<Path> names(final int count) {
		return IntStream.range(0, count).mapToObj(i -> Path.of("/data/in", String.format("case_%04d.nii.gz", i))).toList();
	}

	@Test
	void theShardsOfAListAreDisjointAndTogetherTheWholeList() {
		final List<Path> inputs = names(200);
		for (int n = 1; n <= 9; n++) {
			final List<Path> union = new ArrayList<>();
			for (int i = 1; i <= n; i++)
				union.addAll(new Shard(i, n).select(inputs));
			assertEquals(inputs.size(), union.size(), "no file in two shards of " + n);
			assertEquals(new HashSet<>(inputs), new HashSet<>(union), "every file in a shard of " + n);
		}
	}

	@Test
	void theShardOfAFileDependsNeitherOnTheListingOrderNorOnTheOtherFiles() {
		final List<Path> inputs = names(60);
		final List<Path> shuffled = new ArrayList<>(inputs);
		Collections.shuffle(shuffled, new Random(7));
		final List<Path> more = new ArrayList<>(shuffled);
		more.addAll(1, List.of(Path.of("/data/in/added_a.nii.gz"), Path.of("/data/in/zz_added.nii.gz"), Path.of("/data/in/case_0000b.nii.gz")));
		for (int i = 1; i <= 4; i++) {
			final Shard shard = new Shard(i, 4);
			final Set<Path> selected = new HashSet<>(shard.select(inputs));
			assertEquals(selected, new HashSet<>(shard.select(shuffled)), "shard " + shard + " of the shuffled list");
			final Set<Path> withMore = new HashSet<>(shard.select(more));
			withMore.removeIf(p -> !inputs.contains(p));
			assertEquals(selected, withMore, "shard " + shard + " after adding files");
		}
	}

	@Test
	void theShardOfAFileIsTheShardOfItsBaseNameWhereverItIsAndWhateverItsExtension() {
		for (int n = 2; n <= 5; n++) {
			final int shard = Shard.of(Path.of("patient001.nii.gz"), n);
			for (final String path : List.of("/data/in/patient001.nii", "relative/patient001.h5", "patient001.NII.GZ", "/other/patient001.tif"))
				assertEquals(shard, Shard.of(Path.of(path), n), path + " in " + n + " shards");
		}
	}

	@Test
	void theAssignmentIsTheDocumentedSha256RuleAndDoesNotChangeBetweenVersions() {
		// python3: int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % n + 1
		assertEquals(List.of(1, 2, 2, 2), IntStream.rangeClosed(14, 17).mapToObj(i -> Shard.of(Path.of("synthetic_0" + i + ".nii.gz"), 2)).toList());
		assertEquals(List.of(2, 2, 1, 3), IntStream.rangeClosed(14, 17).mapToObj(i -> Shard.of(Path.of("synthetic_0" + i + ".nii.gz"), 3)).toList());
		assertEquals(List.of(4, 2, 4, 2), IntStream.rangeClosed(0, 3).mapToObj(i -> Shard.of(Path.of("synthetic_00" + i + ".nii.gz"), 4)).toList());
		// the same name in composed and decomposed Unicode (macOS file names are decomposed) is the same file
		assertEquals(Shard.of(Path.of("r\u00e9sum\u00e9.nii"), 7), Shard.of(Path.of("re\u0301sume\u0301.nii"), 7));
	}

	@Test
	void shardsAreRoughlyEvenForManyFiles() {
		final List<Path> inputs = names(1600);
		for (int i = 1; i <= 8; i++) {
			final int size = new Shard(i, 8).select(inputs).size();
			assertTrue(size > 160 && size < 240, "shard " + i + "/8 holds " + size + " of 1600");
		}
	}

	@Test
	void aShardKeepsTheOrderOfTheInputs() {
		final List<Path> inputs = names(40);
		final List<Path> reversed = new ArrayList<>(inputs);
		Collections.reverse(reversed);
		final List<Path> forward = new Shard(2, 3).select(inputs), backward = new Shard(2, 3).select(reversed);
		final List<Path> expected = new ArrayList<>(forward);
		Collections.reverse(expected);
		assertEquals(expected, backward);
		assertEquals(inputs, Shard.ALL.select(inputs));
	}

	@Test
	void iOverNIsParsedAndEmptyMeansEveryFile() {
		assertEquals(new Shard(2, 8), Shard.parse("2/8", "option --shard"));
		assertEquals(new Shard(3, 3), Shard.parse(" 3 / 3 ", "option --shard"));
		assertEquals(new Shard(1, 1), Shard.parse("1/1", "option --shard"));
		assertTrue(Shard.parse("1/1", "option --shard").all());
		assertFalse(Shard.parse("1/2", "option --shard").all());
		assertSame(Shard.ALL, Shard.parse("", "key 'shard'"));
		assertSame(Shard.ALL, Shard.parse(null, "key 'shard'"));
		assertEquals("5/12", new Shard(5, 12).toString());
	}

	@Test
	void badValuesAreRefusedWithAMessageNamingTheOptionAndTheValue() {
		for (final String bad : List.of("0/3", "4/3", "a/b", "3", "-1/2", "1/0", "1/2/3", "1/-2", "2/", "/2", "1.5/3", "99999999999/99999999999"))
			for (final String name : List.of("option --shard", "key 'shard'")) {
				final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Shard.parse(bad, name), bad);
				assertTrue(e.getMessage().startsWith(name + ": '" + bad + "'"), e.getMessage());
			}
		assertTrue(message("4/3").contains("i must be from 1 to n = 3"), message("4/3"));
		assertTrue(message("0/3").contains("i must be from 1 to n = 3"), message("0/3"));
		assertTrue(message("1/0").contains("the number of shards n must be from 1"), message("1/0"));
		assertTrue(message("a/b").contains("is not a shard i/n"), message("a/b"));
		assertTrue(message("3").contains("is not a shard i/n"), message("3"));
		assertThrows(InvalidInputException.class, () -> new Shard(0, 3));
		assertThrows(InvalidInputException.class, () -> new Shard(1, 0));
	}

	private static String message(final String value) {
		return assertThrows(InvalidInputException.class, () -> Shard.parse(value, "option --shard")).getMessage();
	}
}
