package io.github.sssfiji.sss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.sss.dfe.Dfe;

/**
 * A backbone whose encoder output always passes through {@link Dfe}: a single view, which has no
 * second view to compare with, is its own reference ({@link Dfe#enhanceSelf}). The training step
 * reads the {@link #inner() inner} encoder's features of the strong views and enhances them against
 * the other view as before, so the decoder meets DFE-enhanced features in every branch and at
 * prediction, not only in the strong branch ({@code dfeScope = all}, docs/engineering-notes.md).
 * <p>
 * The state is the inner backbone's tensors under their own names plus DFE's under
 * {@value #PREFIX}; the architecture record is the inner one with {@code "dfe": true}.
 * </p>
 */
public final class DfeBackbone implements Backbone {

	/** Name prefix of DFE's tensors in the state. */
	public static final String PREFIX = "dfe.";
	/** Architecture key that marks a backbone with DFE. */
	public static final String ARCHITECTURE_KEY = "dfe";

	private final Backbone inner;
	private final Dfe dfe;
	private final ModelState state;

	private DfeBackbone(final Backbone inner, final Dfe dfe, final NDManager parent) {
		this.inner = inner;
		this.dfe = dfe;
		state = new ModelState(parent);
		inner.state().parameters().forEach((name, array) -> state.addView(name, array, true));
		inner.state().buffers().forEach((name, array) -> state.addView(name, array, false));
		dfe.state().parameters().forEach((name, array) -> state.addView(PREFIX + name, array, true));
	}

	/** {@code inner} with a new DFE on its feature levels (identity at start); the DFE's first convolutions are drawn from {@code seed}. */
	public static DfeBackbone wrap(final Backbone inner, final NDManager parent, final long seed) {
		return new DfeBackbone(inner, Dfe.create(inner.featureChannels(), parent, seed), parent);
	}

	/** Whether an architecture record describes a backbone with DFE. */
	public static boolean describes(final JsonObject architecture) {
		return architecture.has(ARCHITECTURE_KEY) && architecture.get(ARCHITECTURE_KEY).getAsBoolean();
	}

	/** The record without the DFE mark: the inner backbone's. */
	public static JsonObject innerArchitecture(final JsonObject architecture) {
		final JsonObject copy = architecture.deepCopy();
		copy.remove(ARCHITECTURE_KEY);
		return copy;
	}

	/** The backbone {@code net} wraps, or {@code net} itself. */
	public static Backbone unwrap(final Backbone net) {
		return net instanceof DfeBackbone d ? d.inner : net;
	}

	/** The backbone without DFE: its encoder gives the features DFE enhances. */
	public Backbone inner() {
		return inner;
	}

	public Dfe dfe() {
		return dfe;
	}

	@Override
	public String kind() {
		return inner.kind();
	}

	@Override
	public int classes() {
		return inner.classes();
	}

	@Override
	public int inputChannels() {
		return inner.inputChannels();
	}

	@Override
	public int sizeMultiple() {
		return inner.sizeMultiple();
	}

	@Override
	public int[] featureChannels() {
		return inner.featureChannels();
	}

	@Override
	public NDList encode(final NDArray x, final boolean training) {
		return dfe.enhanceSelf(inner.encode(x, training));
	}

	@Override
	public NDList encode(final NDArray x, final int labelled, final boolean training) {
		return dfe.enhanceSelf(inner.encode(x, labelled, training));
	}

	@Override
	public NDArray decode(final NDList features, final boolean training) {
		return inner.decode(features, training);
	}

	@Override
	public boolean usesPrompts() {
		return inner.usesPrompts();
	}

	@Override
	public NDArray decode(final NDList features, final SlicePrompts prompts, final boolean training) {
		return inner.decode(features, prompts, training);
	}

	@Override
	public boolean hasMemory() {
		return inner.hasMemory();
	}

	@Override
	public NDArray decodeSequences(final NDList features, final int runLength, final SlicePrompts prompts, final boolean training) {
		return inner.decodeSequences(features, runLength, prompts, training);
	}

	@Override
	public ModelState state() {
		return state;
	}

	@Override
	public JsonObject architecture() {
		final JsonObject json = inner.architecture().deepCopy();
		json.addProperty(ARCHITECTURE_KEY, true);
		return json;
	}

	@Override
	public Backbone newInstance(final NDManager parent, final long seed) {
		return wrap(inner.newInstance(parent, seed), parent, seed + 1);
	}

	@Override
	public void close() {
		state.close();
		dfe.close();
		inner.close();
	}
}
