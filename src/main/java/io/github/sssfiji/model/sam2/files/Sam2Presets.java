package io.github.sssfiji.model.sam2.files;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;

/**
 * Which official SAM 2 preset a checkpoint was made for, told from its state dict alone: a preset
 * matches when the checkpoint has exactly its keys with exactly its shapes. The four v1 presets differ
 * in their block counts and widths, so at most one matches a checkpoint.
 */
public final class Sam2Presets {

	/** The preset names {@link Sam2Config#preset} takes, smallest first. */
	public static final List<String> NAMES = List.of("tiny", "small", "base_plus", "large");

	/** Expected shapes per preset, built once: constructing the large model's blocks takes a while. */
	private static final Map<String, Map<String, long[]>> EXPECTED = new ConcurrentHashMap<>();

	private Sam2Presets() {}

	/** The key to shape map of a checkpoint, the input of {@link #matching} and {@link #problems}. */
	public static Map<String, long[]> shapes(final StateDict checkpoint) {
		final Map<String, long[]> out = new LinkedHashMap<>();
		for (final String name : checkpoint.names())
			out.put(name, checkpoint.get(name).shape());
		return out;
	}

	/** The presets whose keys and shapes equal {@code shapes} (normally none or one). */
	public static List<String> matching(final Map<String, long[]> shapes) {
		return NAMES.stream().filter(name -> problems(name, shapes) == 0).toList();
	}

	/**
	 * Per preset, the number of keys that are missing, unexpected or of another shape in
	 * {@code shapes} (0 for a match), for messages that show how far off each preset is.
	 */
	public static Map<String, Integer> problems(final Map<String, long[]> shapes) {
		final Map<String, Integer> out = new LinkedHashMap<>();
		for (final String name : NAMES)
			out.put(name, problems(name, shapes));
		return out;
	}

	private static int problems(final String preset, final Map<String, long[]> shapes) {
		// a declared model allocates no tensors
		final Map<String, long[]> expected = EXPECTED.computeIfAbsent(preset, name -> Sam2Model.expectedShapes(Sam2Config.preset(name)));
		int problems = 0;
		for (final Map.Entry<String, long[]> e : expected.entrySet())
			if (!Arrays.equals(e.getValue(), shapes.get(e.getKey()))) problems++;
		for (final String name : shapes.keySet())
			if (!expected.containsKey(name)) problems++;
		return problems;
	}
}
