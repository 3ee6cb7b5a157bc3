package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;

/** Parsing of {@code run("...", "key=value ...")} option strings as ImageJ 1.x writes them. */
class MacroOptionsTest {

	@Test
	void parsesPairsBracketsAndBareKeysInOrder() {
		// ImageJ hands plugins the options with a trailing space
		final Map<String, String> options = MacroOptions.parse("input=/data/a.nii.gz  output=[/tmp/my results] single_instance window=5 ");
		assertEquals(List.of("input", "output", "single_instance", "window"), List.copyOf(options.keySet()));
		assertEquals("/data/a.nii.gz", options.get("input"));
		assertEquals("/tmp/my results", options.get("output"), "a bracketed value keeps its spaces");
		assertEquals("true", options.get("single_instance"), "a bare key is a ticked checkbox");
		assertEquals("5", options.get("window"));
	}

	@Test
	void bracketsMayHoldEqualsSignsAndBeEmpty() {
		final Map<String, String> options = MacroOptions.parse("classes=[] title=[a=b c] last=x");
		assertEquals("", options.get("classes"));
		assertEquals("a=b c", options.get("title"));
		assertEquals("x", options.get("last"));
	}

	@Test
	void emptyOrMissingOptionsGiveNoKeys() {
		assertTrue(MacroOptions.parse(null).isEmpty());
		assertTrue(MacroOptions.parse("   ").isEmpty());
	}

	@Test
	void keepsTheCaseOfKeysSoThatCallersCanReportThem() {
		assertEquals(Map.of("minSupport", "2"), MacroOptions.parse("minSupport=2"));
	}

	@Test
	void reportsMalformedOptionsNamingTheKey() {
		assertMessage("key 'output' has an unclosed '['", () -> MacroOptions.parse("output=[/tmp/a b window=3"));
		assertMessage("key 'window' is given twice", () -> MacroOptions.parse("window=3 iou=0.2 window=4"));
		assertMessage("key 'window' has no value", () -> MacroOptions.parse("window= iou=0.2"));
		assertMessage("a value without a key", () -> MacroOptions.parse("=3"));
	}

	static void assertMessage(final String expected, final org.junit.jupiter.api.function.Executable call) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, call);
		assertTrue(e.getMessage().contains(expected), e.getMessage());
	}
}
