package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CliArgumentsTest {

	@Test
	void parsesOptionsFlagsAndPositionals() {
		final CliArguments args = CliArguments.parse("file.nii", "--classes", "1,2,3", "--out=x.csv", "--verbose", "--k", "5");
		assertEquals(List.of("file.nii"), args.positional());
		assertArrayEquals(new int[] { 1, 2, 3 }, args.getIntList("classes"));
		assertEquals("x.csv", args.get("out", null));
		assertEquals("true", args.get("verbose", "false"));
		assertEquals(5, args.getInt("k", 0));
		args.rejectUnknown();
	}

	@Test
	void rejectsUnknownOptionsByName() {
		final CliArguments args = CliArguments.parse("--pred", "a", "--gtt", "b");
		args.require("pred");
		final CliException e = assertThrows(CliException.class, args::rejectUnknown);
		assertEquals("unknown option --gtt", e.getMessage());
	}

	@Test
	void badValuesNameTheOption() {
		final CliArguments args = CliArguments.parse("--window", "three", "--classes", "1,x", "--tau", "NaN");
		assertTrue(assertThrows(CliException.class, () -> args.getInt("window", 3)).getMessage().contains("--window"));
		assertTrue(assertThrows(CliException.class, () -> args.getIntList("classes")).getMessage().contains("--classes"));
		assertTrue(assertThrows(CliException.class, () -> args.getDouble("tau", 0.95)).getMessage().contains("--tau"));
		assertEquals("missing option --gt", assertThrows(CliException.class, () -> args.require("gt")).getMessage());
		assertThrows(CliException.class, () -> CliArguments.parse("--a", "1", "--a", "2"));
	}

	@Test
	void missingPathIsReported() {
		final CliArguments args = CliArguments.parse("--pred", "/no/such/file.nii.gz");
		final CliException e = assertThrows(CliException.class, () -> args.existingPath("pred"));
		assertEquals("--pred: /no/such/file.nii.gz does not exist", e.getMessage());
	}
}
