package io.github.sssfiji.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;

/** Class names from classes.txt, from nnU-Net labels, and made up. */
class ClassNamesTest {

	private static final Path JSON = Paths.get("dataset.json");

	@Test
	void textFileOneNamePerLine(@TempDir final Path folder) throws IOException {
		final Path file = folder.resolve("classes.txt");
		Files.write(file, List.of("background", " RV ", "Myo", "LV", "", ""), StandardCharsets.UTF_8);
		assertEquals(List.of("background", "RV", "Myo", "LV"), ClassNames.fromTextFile(file));
		Files.write(file, List.of("background", "", "LV"), StandardCharsets.UTF_8);
		final InvalidInputException blank = assertThrows(InvalidInputException.class, () -> ClassNames.fromTextFile(file));
		assertEquals(file + ": line 2 is blank; write one class name per line, background first", blank.getMessage());
		Files.write(file, List.of("background"), StandardCharsets.UTF_8);
		assertTrue(assertThrows(InvalidInputException.class, () -> ClassNames.fromTextFile(file)).getMessage().contains("declares 1 class(es)"));
	}

	@Test
	void nnUnetLabelsInBothDirections() {
		// v2 keys are names and may come in any order
		assertEquals(List.of("background", "a", "b"), ClassNames.fromNnUnetLabels(JsonParser.parseString("{\"b\": 2, \"background\": 0, \"a\": 1}"), JSON));
		assertEquals(List.of("background", "a", "b"), ClassNames.fromNnUnetLabels(JsonParser.parseString("{\"2\": \"b\", \"0\": \"background\", \"1\": \"a\"}"), JSON));
		assertThrows(InvalidInputException.class, () -> ClassNames.fromNnUnetLabels(JsonParser.parseString("{\"background\": 0, \"a\": 1.5}"), JSON));
		assertThrows(InvalidInputException.class, () -> ClassNames.fromNnUnetLabels(JsonParser.parseString("{\"a\": 1, \"b\": 2}"), JSON));
		assertThrows(InvalidInputException.class, () -> ClassNames.fromNnUnetLabels(JsonParser.parseString("[0, 1]"), JSON));
	}

	@Test
	void numberedUpToTheLargestLabel() {
		assertEquals(List.of("background", "class 1", "class 2", "class 3"), ClassNames.numbered(3));
		assertThrows(IllegalArgumentException.class, () -> ClassNames.numbered(0));
	}
}
