package io.github.sssfiji.sss.pcsw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;

/** The prompts file format: exact text, round trip, and errors that name the file, prompt and field. */
class PromptsJsonTest {

	private static final List<Prompt> PROMPTS = List.of(new Prompt(1, 0, 5, 4, 15, 12, 9, 8, 0, 594), new Prompt(3, 7, 0, 0, 2, 1, 1, 0, 4, 12.25));

	@Test
	void writesTheDocumentedLayout() {
		final String expected = """
			{
			  "prompts": [
			    {
			      "class": 1,
			      "slice": 0,
			      "box": [
			        5,
			        4,
			        15,
			        12
			      ],
			      "click": [
			        9,
			        8
			      ],
			      "chain": 0,
			      "score": 594.0
			    }
			  ]
			}
			""";
		assertEquals(expected, PromptsJson.toJson(PROMPTS.subList(0, 1)));
		assertEquals("{\n  \"prompts\": []\n}\n", PromptsJson.toJson(List.of()));
	}

	@Test
	void roundTripThroughAFile(@TempDir final Path dir) throws IOException {
		final Path file = dir.resolve("prompts.json");
		Files.writeString(file, "old content");
		PromptsJson.write(PROMPTS, file);
		assertEquals(PROMPTS, PromptsJson.read(file));
		try (var listing = Files.list(dir)) {
			assertEquals(List.of(file), listing.toList(), "no temporary file left");
		}
	}

	@Test
	void readsWhatPythonWouldWrite() {
		final String json = "{\"prompts\": [{\"class\": 2, \"slice\": 3, \"box\": [1, 2, 3, 4], \"click\": [2, 3], \"chain\": 1, \"score\": 10}]}";
		assertEquals(List.of(new Prompt(2, 3, 1, 2, 3, 4, 2, 3, 1, 10)), PromptsJson.fromJson(json, "p.json"));
	}

	@Test
	void malformedContentNamesFilePromptAndField() {
		assertMessage("p.json: expected an object with a \"prompts\" array", "[]");
		assertMessage("p.json: prompt 0: \"chain\" is missing", "{\"prompts\": [{\"class\": 1, \"slice\": 0, \"box\": [0, 0, 1, 1], \"click\": [0, 0], \"score\": 1}]}");
		assertMessage("p.json: prompt 0: \"box\" must be an array of 4 integers, got [0,0,1]",
			"{\"prompts\": [{\"class\": 1, \"slice\": 0, \"box\": [0, 0, 1], \"click\": [0, 0], \"chain\": 0, \"score\": 1}]}");
		assertMessage("p.json: prompt 1: \"slice\" = 1.5 is not an integer", "{\"prompts\": [" +
			"{\"class\": 1, \"slice\": 0, \"box\": [0, 0, 1, 1], \"click\": [0, 0], \"chain\": 0, \"score\": 1}," +
			"{\"class\": 1, \"slice\": 1.5, \"box\": [0, 0, 1, 1], \"click\": [0, 0], \"chain\": 0, \"score\": 1}]}");
		assertMessage("p.json: prompt 0: box [3, 0, 1, 1] is not [x_min, y_min, x_max, y_max] with 0 <= min <= max",
			"{\"prompts\": [{\"class\": 1, \"slice\": 0, \"box\": [3, 0, 1, 1], \"click\": [0, 0], \"chain\": 0, \"score\": 1}]}");
		assertMessage("p.json: prompt 0: \"score\" = \"high\" is not a number",
			"{\"prompts\": [{\"class\": 1, \"slice\": 0, \"box\": [0, 0, 1, 1], \"click\": [0, 0], \"chain\": 0, \"score\": \"high\"}]}");
		assertTrue(assertThrows(InvalidInputException.class, () -> PromptsJson.fromJson("{\"prompts\": [", "p.json")).getMessage()
			.startsWith("p.json: not valid JSON"));
	}

	private static void assertMessage(final String expected, final String json) {
		assertEquals(expected, assertThrows(InvalidInputException.class, () -> PromptsJson.fromJson(json, "p.json")).getMessage());
	}
}
