package io.github.sssfiji.sss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.sss.dfe.Dfe;
import io.github.sssfiji.sss.dfe.DfeForm;
import io.github.sssfiji.sss.dfe.DfeScope;

/**
 * A network with DFE: the inner backbone's encoder and decoder, and a {@link Dfe} of some
 * {@link DfeForm form} over its feature levels, trained on the strong views (each enhanced against the other) in every run with DFE. The
 * {@link DfeScope scope} says where else the decoder meets enhanced features: with
 * {@link DfeScope#STRONG} nowhere else ({@link #encode} gives the encoder's own features, so labelled
 * slices, the teacher and prediction decode them as they are); with {@link DfeScope#ALL} everywhere,
 * a single view being its own reference ({@link Dfe#enhanceSelf}), so that the decoder is not trained
 * on features it never meets at prediction (docs/engineering-notes.md).
 * <p>
 * The state is the inner network's, where DFE registers its tensors under {@value #PREFIX}; the
 * architecture record is the inner one with {@code "dfe": true}, the scope
 * under {@code "dfeScope"} (a record without it is from before the scope was recorded, when only
 * {@code all} was written to model files) and, for the released form only, {@code "dfeForm": "released"}
 * (a record without it is our form, so that files of our form are written as before the form existed),
 * and, when DFE acts on the deepest levels only, their number under {@code "dfeLevels"} (a record without
 * it has DFE on every level).
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
	/** Architecture key of the form (written only for a form other than ours). */
	public static final String FORM_KEY = "dfeForm";
	/** Architecture key of the number of deepest levels DFE acts on (written only when not all). */
	public static final String LEVELS_KEY = "dfeLevels";

	private final Network inner;
	private final Dfe dfe;
	private final DfeScope scope;
	/** The deepest levels DFE acts on, {@link Dfe#ALL_LEVELS} for all. */
	private final int levels;

	private DfeNetwork(final Network inner, final Dfe dfe, final DfeScope scope, final int levels) {
		this.inner = inner;
		this.dfe = dfe;
		this.scope = scope;
		this.levels = levels;
	}

	/**
	 * {@code inner} with a new DFE of this scope and form on its deepest {@code levels} feature levels
	 * ({@link Dfe#ALL_LEVELS} for every one), its tensors registered in the inner network's state under
	 * {@value #PREFIX}; the DFE's weights are drawn from {@code seed}.
	 *
	 * @throws InvalidInputException if {@code levels} is above the backbone's number of levels
	 */
	public static DfeNetwork wrap(final Network inner, final DfeScope scope, final DfeForm form, final int levels, final long seed) {
		final int count = inner.featureChannels().length;
		if (levels < 0 || levels > count)
			throw new InvalidInputException("'dfeLevels' = " + levels + ": the backbone has " + count + " feature levels");
		final int kept = levels == count ? Dfe.ALL_LEVELS : levels;
		return new DfeNetwork(inner, Dfe.create(form, inner.featureChannels(), kept, inner.state().trackedScope(MODULE), seed), scope, kept);
	}

	/** {@link #wrap(Network, DfeScope, DfeForm, int, long)} with our form on every level (identity at start). */
	public static DfeNetwork wrap(final Network inner, final DfeScope scope, final long seed) {
		return wrap(inner, scope, DfeForm.OURS, Dfe.ALL_LEVELS, seed);
	}

	/** Whether an architecture record describes a backbone with DFE. */
	public static boolean describes(final JsonObject architecture) {
		return architecture.has(ARCHITECTURE_KEY) && architecture.get(ARCHITECTURE_KEY).getAsBoolean();
	}

	/** The scope an architecture record with DFE names ({@code all} when it names none). */
	public static DfeScope scope(final JsonObject architecture, final String source) {
		return architecture.has(SCOPE_KEY) ? DfeScope.of(architecture.get(SCOPE_KEY).getAsString(), source) : DfeScope.ALL;
	}

	/** The form an architecture record with DFE names (ours when it names none). */
	public static DfeForm form(final JsonObject architecture, final String source) {
		return architecture.has(FORM_KEY) ? DfeForm.of(architecture.get(FORM_KEY).getAsString(), source) : DfeForm.OURS;
	}

	/** The number of deepest levels an architecture record with DFE names ({@link Dfe#ALL_LEVELS} when it names none). */
	public static int levels(final JsonObject architecture, final String source) {
		if (!architecture.has(LEVELS_KEY)) return Dfe.ALL_LEVELS;
		try {
			return architecture.get(LEVELS_KEY).getAsInt();
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(source + ": dfeLevels " + architecture.get(LEVELS_KEY) + " is not a number of levels", e);
		}
	}

	/** The record without the DFE marks: the inner backbone's. */
	public static JsonObject innerArchitecture(final JsonObject architecture) {
		final JsonObject copy = architecture.deepCopy();
		copy.remove(ARCHITECTURE_KEY);
		copy.remove(SCOPE_KEY);
		copy.remove(FORM_KEY);
		copy.remove(LEVELS_KEY);
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

	public DfeForm form() {
		return dfe.form();
	}

	/** The number of deepest levels DFE acts on, {@link Dfe#ALL_LEVELS} for all. */
	public int levels() {
		return levels;
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
		if (dfe.form() != DfeForm.OURS) json.addProperty(FORM_KEY, dfe.form().key());
		if (levels != Dfe.ALL_LEVELS) json.addProperty(LEVELS_KEY, levels);
		return json;
	}

	@Override
	public Network newInstance(final NDManager parent, final long seed) {
		return wrap(inner.newInstance(parent, seed), scope, dfe.form(), levels, seed + 1);
	}

	@Override
	public void close() {
		dfe.close();
		inner.close();
	}
}
