package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

/**
 * {@code plugins.config} (packaged at the jar root) against the SciJava commands: one line per SSS menu
 * command, with the same menu path and label, so that Fiji's imagej-legacy replaces each entry instead of
 * adding a second one, and plain ImageJ 1.x gets the same menu and macro names.
 */
class PluginsConfigTest {

	private static final Pattern ENTRY = Pattern.compile("^(\\S[^,]*), \"([^\"]+)\", io\\.github\\.sssfiji\\.ij1\\.CommandBridge\\(\"([\\w.]+)\"\\)$");

	/** Command class to menu path (path and label joined by {@code >}), from the packaged file. */
	private static Map<String, String> entries() throws IOException {
		final Map<String, String> entries = new TreeMap<>();
		try (InputStream in = PluginsConfigTest.class.getResourceAsStream("/plugins.config")) {
			assertNotNull(in, "plugins.config is not at the root of the class path (pom.xml resources)");
			for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				if (line.isBlank() || line.startsWith("#")) continue;
				final Matcher m = ENTRY.matcher(line.strip());
				assertTrue(m.matches(), "not a CommandBridge entry: " + line);
				assertEquals(null, entries.put(m.group(3), m.group(1) + ">" + m.group(2)), "listed twice: " + m.group(3));
			}
		}
		return entries;
	}

	@Test
	void everySssMenuCommandIsListedWithItsMenuPathAndMacroKeys() throws IOException {
		final Map<String, String> expected = new TreeMap<>();
		try (Context context = new Context(CommandService.class)) {
			for (final CommandInfo info : context.service(CommandService.class).getCommands()) {
				if (!info.getClassName().startsWith("io.github.sssfiji.") || info.getMenuPath() == null || info.getMenuPath().isEmpty()) continue;
				expected.put(info.getClassName(), info.getMenuPath().getMenuString(true).replace(" > ", ">"));
				// every input must be settable from a macro, or the bridge refuses the command
				CommandParameters.of(info);
			}
		}
		assertTrue(expected.size() >= 4, "the SSS commands were not found: " + expected);
		assertEquals(expected, entries());
	}
}
