package io.github.sssfiji.model.sam2.modeling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TensorData;

/**
 * Strict comparison of a model's expected parameters with a checkpoint, done before anything is
 * loaded: missing keys, unexpected keys and keys whose shape differs, like PyTorch's
 * {@code load_state_dict(strict=True)} but reporting all problems at once.
 */
public final class StateDictCheck {

	/** A key present on both sides with different shapes. */
	public static final class Mismatch {
		public final String name;
		public final long[] expected;
		public final long[] actual;

		Mismatch(final String name, final long[] expected, final long[] actual) {
			this.name = name;
			this.expected = expected;
			this.actual = actual;
		}

		@Override
		public String toString() {
			return name + ": model " + Arrays.toString(expected) + ", checkpoint " + Arrays.toString(actual);
		}
	}

	private final String source;
	private final List<String> missing;
	private final List<String> unexpected;
	private final List<Mismatch> mismatched;

	private StateDictCheck(final String source, final List<String> missing, final List<String> unexpected,
		final List<Mismatch> mismatched)
	{
		this.source = source;
		this.missing = Collections.unmodifiableList(missing);
		this.unexpected = Collections.unmodifiableList(unexpected);
		this.mismatched = Collections.unmodifiableList(mismatched);
	}

	/** Compares {@code expected} (name to shape, in model order) with the checkpoint. */
	public static StateDictCheck compare(final Map<String, long[]> expected, final StateDict checkpoint) {
		final List<String> missing = new ArrayList<>();
		final List<Mismatch> mismatched = new ArrayList<>();
		for (final Map.Entry<String, long[]> e : expected.entrySet()) {
			if (!checkpoint.contains(e.getKey())) {
				missing.add(e.getKey());
				continue;
			}
			final TensorData t = checkpoint.get(e.getKey());
			if (!Arrays.equals(e.getValue(), t.shape())) mismatched.add(new Mismatch(e.getKey(), e.getValue().clone(), t.shape()));
		}
		final List<String> unexpected = new ArrayList<>();
		for (final String name : checkpoint.names())
			if (!expected.containsKey(name)) unexpected.add(name);
		return new StateDictCheck(checkpoint.source(), missing, unexpected, mismatched);
	}

	public List<String> missing() {
		return missing;
	}

	public List<String> unexpected() {
		return unexpected;
	}

	public List<Mismatch> mismatched() {
		return mismatched;
	}

	/** True when every key matches in name and shape. */
	public boolean isExactMatch() {
		return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
	}

	/** Throws an {@link InvalidInputException} naming the checkpoint and every problem unless the match is exact. */
	public void requireExactMatch() {
		if (!isExactMatch()) throw new InvalidInputException("checkpoint " + source + " does not fit the model: " + summary());
	}

	/** One paragraph listing every problem (or "exact match"). */
	public String summary() {
		if (isExactMatch()) return "exact match";
		final StringBuilder sb = new StringBuilder();
		if (!missing.isEmpty()) sb.append(missing.size()).append(" missing ").append(missing).append("; ");
		if (!unexpected.isEmpty()) sb.append(unexpected.size()).append(" unexpected ").append(unexpected).append("; ");
		if (!mismatched.isEmpty()) sb.append(mismatched.size()).append(" with another shape ").append(mismatched).append("; ");
		return sb.substring(0, sb.length() - 2);
	}
}
