package io.github.sssfiji.sss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.sss.dfe.Dfe;
import io.github.sssfiji.sss.dfe.DfeScope;

/**
 * A network with DFE: the inner backbone's encoder and decoder, and a {@link Dfe} over its feature
 * levels, trained on the strong views (each enhanced against the other) in every run with DFE. The
 * {@link DfeScope scope} says where else the decoder meets enhanced features: with
 * {@link DfeScope#STRONG} nowhere else ({@link #encode} gives the encoder's own features, so labelled
 * slices, the teacher and prediction decode them as they are); with {@link DfeScope#ALL} everywhere,
 * a single view being its own reference ({@link Dfe#enhanceSelf}), so that the decoder is not trained
 * on features it never meets at prediction (docs/engineering-notes.md).
 * <p>
 * The state is the inner network's, where DFE registers its tensors under {@value #PREFIX}; the
 * architecture record is the inner one with {@code "dfe": true} and the scope
 * under {@code "dfeScope"} (a record without it is from before the scope was recorded, when only
 * {@code all} was written to model files).
 * </p>
 */
public final class DfeNetwork implements Network {

	/** DFE's module name in the state: the scope its tensors register in. */
	private static final String MODULE = "dfe";
	/** Name prefix of DFE's tensors in the state. */
	public static final String PREFIX = MODULE + ".";
	/** Architecture key that marks a backbone with DFE. */
	public static final String ARCHITECTURE_KEY = "dfe";
	/** Architecture key of the scope. */
	public static final String SCOPE_KEY = "dfeScope";

	private final Network inner;
	private final Dfe dfe;
	private final DfeScope scope;

	private DfeNetwork(final Network inner, final Dfe dfe, final DfeScope scope) {
		this.inner = inner;
		this.dfe = dfe;
		this.scope = scope;
	}

	/**
	 * {@code inner} with a new DFE of this scope on its feature levels (identity at start), its tensors
	 * registered in the inner network's state under {@value #PREFIX}; the DFE's first convolutions are
	 * drawn from {@code seed}.
	 */
	public static DfeNetwork wrap(final Network inner, final DfeScope scope, final long seed) {
		return new DfeNetwork(inner, Dfe.create(inner.featureChannels(), inner.state().trackedScope(MODULE), seed), scope);
	}

	/** Whether an architecture record describes a backbone with DFE. */
	public static boolean describes(final JsonObject architecture) {
		return architecture.has(ARCHITECTURE_KEY) && architecture.get(ARCHITECTURE_KEY).getAsBoolean();
	}

	/** The scope an architecture record with DFE names ({@code all} when it names none). */
	public static DfeScope scope(final JsonObject architecture, final String source) {
		return architecture.has(SCOPE_KEY) ? DfeScope.of(architecture.get(SCOPE_KEY).getAsString(), source) : DfeScope.ALL;
	}

	/** The record without the DFE marks: the inner backbone's. */
	public static JsonObject innerArchitecture(final JsonObject architecture) {
		final JsonObject copy = architecture.deepCopy();
		copy.remove(ARCHITECTURE_KEY);
		copy.remove(SCOPE_KEY);
		return copy;
	}

	/** The backbone without DFE: its encoder gives the features DFE enhances. */
	public Network inner() {
		return inner;
	}

	@Override
	public Dfe dfe() {
		return dfe;
	}

	public DfeScope scope() {
		return scope;
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
		return selfEnhanced(inner.encode(x, training));
	}

	@Override
	public NDList encode(final NDArray x, final int labelled, final boolean training) {
		return selfEnhanced(inner.encode(x, labelled, training));
	}

	@Override
	public NDList encoderFeatures(final NDArray x, final int labelled, final boolean training) {
		return inner.encode(x, labelled, training);
	}

	@Override
	public NDList selfEnhanced(final NDList encoderFeatures) {
		return scope == DfeScope.ALL ? dfe.enhanceSelf(encoderFeatures) : encoderFeatures;
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
	public MemorySequence newSequence(final int runs, final int length, final NDManager keep) {
		return inner.newSequence(runs, length, keep);
	}

	@Override
	public NDArray decodeSequences(final NDList features, final int runLength, final SlicePrompts prompts, final boolean training) {
		return inner.decodeSequences(features, runLength, prompts, training);
	}

	/** The inner network's state, which holds DFE's tensors too (under {@value #PREFIX}). */
	@Override
	public ModelState state() {
		return inner.state();
	}

	@Override
	public JsonObject architecture() {
		final JsonObject json = inner.architecture().deepCopy();
		json.addProperty(ARCHITECTURE_KEY, true);
		json.addProperty(SCOPE_KEY, scope.key());
		return json;
	}

	@Override
	public Network newInstance(final NDManager parent, final long seed) {
		return wrap(inner.newInstance(parent, seed), scope, seed + 1);
	}

	@Override
	public void close() {
		dfe.close();
		inner.close();
	}
}
