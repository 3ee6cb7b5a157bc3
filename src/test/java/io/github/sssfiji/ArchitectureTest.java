package io.github.sssfiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Test;

/**
 * The package structure of the main code, read from the compiled classes by the JDK's {@code jdeps}
 * (so references in signatures, fully qualified names and same-named classes count as well as
 * imports). Packages must form a directed acyclic graph: data flows from images to datasets, the
 * trainer, the model file, the predictor and evaluation, and a cycle means two packages can only be
 * understood, changed and tested together. The same check by hand:
 * {@code jdeps -verbose:package -e 'io\.github\.sssfiji\..*' target/classes}.
 */
class ArchitectureTest {

	private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.github\\.sssfiji[\\w.]*)\\s+->\\s+(io\\.github\\.sssfiji[\\w.]*)\\s");

	@Test
	void packagesDependOnEachOtherWithoutCycles() throws URISyntaxException {
		final Map<String, Set<String>> graph = packageGraph(mainClasses());
		// a parse that found nothing would pass vacuously: the code base has well over 20 packages
		assertTrue(graph.size() > 20, "jdeps found only " + graph.size() + " packages: " + graph.keySet());
		final List<Set<String>> cycles = stronglyConnectedComponents(graph).stream().filter(c -> c.size() > 1).toList();
		final StringBuilder message = new StringBuilder("package cycles (see jdeps -verbose:class for the classes):");
		for (final Set<String> cycle : cycles) {
			message.append("\n  ").append(cycle).append(':');
			for (final String from : cycle)
				for (final String to : graph.get(from))
					if (cycle.contains(to)) message.append("\n    ").append(from).append(" -> ").append(to);
		}
		assertEquals(List.of(), cycles, message.toString());
	}

	@Test
	void theCycleCheckFindsACycle() {
		final Map<String, Set<String>> graph = new TreeMap<>();
		graph.put("a", Set.of("b"));
		graph.put("b", Set.of("c"));
		graph.put("c", Set.of("a", "d"));
		graph.put("d", Set.of());
		final List<Set<String>> components = stronglyConnectedComponents(graph);
		assertTrue(components.contains(new TreeSet<>(List.of("a", "b", "c"))), components.toString());
		assertTrue(components.contains(new TreeSet<>(List.of("d"))), components.toString());
	}

	/** target/classes: where this build put the main code. */
	private static Path mainClasses() throws URISyntaxException {
		return Path.of(InvalidInputException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	/** Package -> the packages of this code base it refers to, as jdeps reports them. */
	static Map<String, Set<String>> packageGraph(final Path classes) {
		final ToolProvider jdeps = ToolProvider.findFirst("jdeps")
			.orElseThrow(() -> new IllegalStateException("jdeps not found: the tests need a JDK, not a JRE"));
		final StringWriter out = new StringWriter(), err = new StringWriter();
		final int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-e", "io\\.github\\.sssfiji\\..*",
			classes.toString());
		assertEquals(0, status, "jdeps failed: " + err);
		final Map<String, Set<String>> graph = new TreeMap<>();
		for (final String line : out.toString().split("\n")) {
			final Matcher m = EDGE.matcher(line);
			if (!m.find()) continue;
			graph.computeIfAbsent(m.group(1), k -> new TreeSet<>());
			graph.computeIfAbsent(m.group(2), k -> new TreeSet<>());
			if (!m.group(1).equals(m.group(2))) graph.get(m.group(1)).add(m.group(2));
		}
		return graph;
	}

	/** Tarjan's strongly connected components, iteratively (no recursion depth limit). */
	static List<Set<String>> stronglyConnectedComponents(final Map<String, Set<String>> graph) {
		final Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
		final Deque<String> stack = new ArrayDeque<>();
		final Set<String> onStack = new TreeSet<>();
		final List<Set<String>> components = new ArrayList<>();
		for (final String root : graph.keySet()) {
			if (index.containsKey(root)) continue;
			// each frame: a node and the iterator over its successors
			final Deque<Map.Entry<String, java.util.Iterator<String>>> frames = new ArrayDeque<>();
			index.put(root, index.size());
			low.put(root, index.get(root));
			stack.push(root);
			onStack.add(root);
			frames.push(Map.entry(root, graph.getOrDefault(root, Set.of()).iterator()));
			while (!frames.isEmpty()) {
				final String node = frames.peek().getKey();
				final java.util.Iterator<String> next = frames.peek().getValue();
				if (next.hasNext()) {
					final String w = next.next();
					if (!index.containsKey(w)) {
						index.put(w, index.size());
						low.put(w, index.get(w));
						stack.push(w);
						onStack.add(w);
						frames.push(Map.entry(w, graph.getOrDefault(w, Set.of()).iterator()));
					}
					else if (onStack.contains(w)) low.put(node, Math.min(low.get(node), index.get(w)));
					continue;
				}
				frames.pop();
				if (!frames.isEmpty()) {
					final String parent = frames.peek().getKey();
					low.put(parent, Math.min(low.get(parent), low.get(node)));
				}
				if (low.get(node).equals(index.get(node))) {
					final Set<String> component = new TreeSet<>();
					String w;
					do {
						w = stack.pop();
						onStack.remove(w);
						component.add(w);
					}
					while (!w.equals(node));
					components.add(component);
				}
			}
		}
		return components;
	}
}
