package io.github.sssfiji.io.torch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors in file order, as in a PyTorch {@code state_dict}: an unmodifiable ordered map
 * from parameter name to {@link TensorData}.
 */
public final class StateDict {

	private final String source;
	private final Map<String, TensorData> tensors;

	public StateDict(final String source, final Map<String, TensorData> tensors) {
		this.source = source;
		this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
	}

	/** Where the tensors came from (a file name), for error messages. */
	public String source() {
		return source;
	}

	public Set<String> names() {
		return tensors.keySet();
	}

	public int size() {
		return tensors.size();
	}

	public boolean contains(final String name) {
		return tensors.containsKey(name);
	}

	/** The tensor called {@code name}; a missing name is an error that names the file. */
	public TensorData get(final String name) {
		final TensorData t = tensors.get(name);
		if (t == null) throw new IllegalArgumentException("no tensor '" + name + "' in " + source);
		return t;
	}

	/** The tensors whose names pass {@code keep}, in the same order. */
	public StateDict filter(final java.util.function.Predicate<String> keep) {
		final Map<String, TensorData> out = new LinkedHashMap<>();
		for (final Map.Entry<String, TensorData> e : tensors.entrySet())
			if (keep.test(e.getKey())) out.put(e.getKey(), e.getValue());
		return new StateDict(source, out);
	}

	/** The whole ordered map, unmodifiable. */
	public Map<String, TensorData> asMap() {
		return tensors;
	}
}
