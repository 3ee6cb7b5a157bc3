package io.github.sssfiji.sss.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.MemoryBank;
import io.github.sssfiji.sss.dfe.DfeForm;
import io.github.sssfiji.sss.dfe.DfeReference;
import io.github.sssfiji.sss.dfe.DfeScope;
import io.github.sssfiji.sss.pcsw.PcswPreset;
import io.github.sssfiji.sss.pcsw.PcswRule;

/**
 * The settings of a training run, read from a flat JSON object whose keys are the component names of
 * its typed groups ({@link Method}, {@link Run}, {@link Sampling}, {@link Optimisation},
 * {@link Consistency}, {@link Prompting}, {@link Sam2}); every key is optional, and unknown keys are errors, so a typo
 * cannot silently fall back to a default. Defaults follow the SSS design (section 2), UniMatch's
 * ACDC setting and the recipe of the measured ACDC results ({@link #DEFAULT_CROP}). Every bad value is reported with its key, the value and the accepted range.
 */
public final class TrainingConfig {

	/** Keys accepted in a configuration. */
	public static final Set<String> KEYS = new LinkedHashSet<>(Arrays.asList("backbone", "mode", "dfe", "pcsw", "iterations",
		"budgetMinutes", "crop", "batch", "unlabelledBatch", "seed", "threads", "optimizer", "lr", "momentum", "weightDecay",
		"polyPower", "confidenceThreshold", "emaMax", "emaWarmup", "validationInterval", "pcswInterval", "pcswPreset", "pcswRule", "minScale", "maxScale",
		"cutmixProbability", "cutmixMinArea", "cutmixMaxArea", "logInterval", "inferenceBatch", "unlabelledStart", "unlabelledRampUp", "pretrained",
		"encoderLr", "promptProbability", "dfeReference", "dfeScope", "dfeForm", "dfeLevels", "sequenceLength", "promptFrequency", "validate",
		"pseudoLabels", "promptJitter", "memoryBank", "init"));

	/** The keys a resumed run may change: how long and how fast it runs and logs, not what it learns. */
	public static final Set<String> RESUMABLE = Set.of("budgetMinutes", "threads", "logInterval");


	/**
	 * {@code dfeLevels}' default for the released DFE form: its deepest three levels (on the U-Net 64, 128 and 256
	 * channels at 1/4, 1/8 and 1/16 of the crop, the channel counts of the released module's default
	 * {@code in_channels_list}; every level of a SAM-2 backbone).
	 */
	public static final int RELEASED_DFE_LEVELS = 3;

	/**
	 * The default crop: every slice is resized to 128 x 128, the setting of the measured ACDC results
	 * (bench/acdc/unet.json and sam2-micro.json, whose other values are the defaults too: batch 8
	 * labelled + 4 unlabelled, AdamW, PCSW every 1,000 iterations for the U-Net and 300 for SAM-2,
	 * validation every 100): at 256 with 8 + 8 slices a U-Net step took 10 s and 7.7 GB on 2 cores,
	 * at 128 with 8 + 4 it takes 0.5 s (bench/README.md).
	 */
	public static final int DEFAULT_CROP = 128;

	/** Which networks a validation scores. */
	public enum Validated {
		/** The teacher and the student; the model files hold the better. */
		BOTH,
		/** The EMA teacher only. */
		TEACHER,
		/** The student only. */
		STUDENT
	}

	/**
	 * What is trained: the backbone, the mode and the method's parts.
	 *
	 * @param dfe DFE on (only in mode sss).
	 * @param dfeReference What DFE compares each strong view with ({@code strong}, the default, or {@code weak}; see
	 *          {@link DfeReference}).
	 * @param dfeScope Where the decoder reads DFE-enhanced features ({@code strong}, the default, or {@code all}; see
	 *          {@link DfeScope}).
	 * @param dfeForm DFE's form: {@code ours} (the default, SSS design section 3) or {@code released} (the authors'
	 *          released form, section 7; see {@link DfeForm}).
	 * @param dfeLevels The number of deepest feature levels DFE acts on, the finer ones passing through unchanged; 0
	 *          for every level. Default: 0 (every level) for our form, {@value #RELEASED_DFE_LEVELS} for the released one,
	 *          whose per-pixel MLP at the U-Net's finer levels would cost a CPU step many times over
	 *          (bench/README.md, "Measured decisions").
	 * @param pcsw PCSW ignore masks on (only in mode sss).
	 * @param pcswPreset {@code default} or {@code cardiac} (one structure per class and volume).
	 * @param pcswRule {@code chains} (ours, the default) or {@code continuity} (the authors' released rule: one
	 *          prompted slice per class and volume, nothing rejected, so it acts only through the prompts and needs
	 *          {@code pseudoLabels} {@code prompted} or {@code propagated}); see {@link PcswRule}.
	 */
	public record Method(String backbone, TrainingMode mode, boolean dfe, DfeReference dfeReference, DfeScope dfeScope,
		DfeForm dfeForm, int dfeLevels, boolean pcsw, PcswPreset pcswPreset, PcswRule pcswRule, int pcswInterval) {}

	/**
	 * How long and how a run goes: its length, seed, threads, validation and logging.
	 *
	 * @param budgetMinutes Wall-clock limit in minutes; 0 for none.
	 * @param threads Intra-op threads; 0 keeps the engine's setting.
	 * @param validate Which network a validation scores: {@code both} (the default in semi-supervised modes: the EMA
	 *          teacher and the student, as UniMatch V2 evaluates both; the better of the two at a validation is its score and
	 *          is what the model files hold), {@code teacher} or {@code student} (the default, and the only choice, in
	 *          supervised mode, which has no teacher).
	 * @param init Path of an SSS model file ({@code .sss}) whose weights the student and the teacher start from, to go on
	 *          training a model with more labels (fine-tuning); empty for fresh weights. Its network must be the one this
	 *          configuration builds (backbone, classes, architecture), but for DFE, which starts fresh where the file has none.
	 */
	public record Run(int iterations, double budgetMinutes, long seed, int threads, int validationInterval, Validated validate,
		int logInterval, int inferenceBatch, String init) {}

	/**
	 * What a training step sees: the crop, the batches and the augmentations.
	 */
	public record Sampling(int crop, int batch, int unlabelledBatch, double minScale, double maxScale, double cutmixProbability,
		double cutmixMinArea, double cutmixMaxArea) {}

	/**
	 * The optimiser and its learning-rate schedule.
	 *
	 * @param optimizer {@code adamw} (the default, lr 1e-3 for the U-Net and 1e-4 for SAM-2) or {@code sgd} (momentum
	 *          0.9, lr 0.01, UniMatch's optimiser for the U-Net); on ACDC with 3 labelled cases and a 60-minute budget SGD
	 *          learnt far more slowly and ended lower (84.9 against 86.7; bench/README.md, "Measured decisions").
	 * @param encoderLr SAM-2 backbones: the image encoder's learning rate (lower than {@code lr} for a pretrained
	 *          encoder).
	 */
	public record Optimisation(Optimizer.Kind optimizer, double lr, double encoderLr, double momentum, double weightDecay,
		double polyPower) {}

	/**
	 * Weak-to-strong consistency: the confidence threshold, the EMA teacher and the unlabelled loss schedule.
	 *
	 * @param emaWarmup Iterations during which the teacher copies the student (see {@link Ema#momentum(long, double,
	 *          long)}).
	 * @param unlabelledStart Progress fraction (see {@link Schedule}) before which the unlabelled loss is off.
	 * @param unlabelledRampUp Progress fraction over which the unlabelled loss weight ramps up to 1 after its start.
	 */
	public record Consistency(double confidenceThreshold, double emaMax, int emaWarmup, double unlabelledStart, double unlabelledRampUp) {}

	/**
	 * Prompts in training (SSS's efficient prompting): where the pseudo-labels come from, and how the prompts of labelled
	 * and unlabelled slices are given to a network that reads prompts (SAM-2, and the U-Net when {@code pseudoLabels} is
	 * not {@code teacher}).
	 *
	 * @param pseudoLabels {@code teacher} (the default), {@code prompted} or {@code propagated}: see {@link PseudoLabels};
	 *          the last two need mode sss with PCSW, whose prompts they use.
	 * @param promptProbability The probability that a slice keeps a prompt of a class in training (labelled slices,
	 *          from the ground truth; strong views, from PCSW): the rest are trained without, so that the network also
	 *          segments without prompts, as it must at prediction time.
	 * @param promptFrequency Only every {@code promptFrequency}-th slice, from the first, carries prompts: of a labelled
	 *          run decoded with memory, and of a chain in PCSW's prompts (SSS design, sections 4 and 5: Medical SAM 2's
	 *          {@code prompt_freq}, default 2).
	 * @param promptJitter Labelled slices' boxes, derived from the ground truth, have each side moved by up to this
	 *          fraction of the box's width or height, so that the network learns from boxes that err the way PCSW's
	 *          boxes from a teacher's pseudo-mask do.
	 */
	public record Prompting(PseudoLabels pseudoLabels, double promptProbability, int promptFrequency, double promptJitter) {

		/** Whether the unlabelled slices' PCSW prompts reach the teacher and the student. */
		public boolean prompted() {
			return pseudoLabels != PseudoLabels.TEACHER;
		}
	}

	/**
	 * SAM-2 backbones only: imported weights and sequences.
	 *
	 * @param pretrained SAM-2 backbones: path of the SAM-2 model file to start from; empty for random weights.
	 * @param sequenceLength SAM-2 backbones: slices per labelled run. 1 (the default) trains on independent slices and
	 *          gives a 2-D model; above 1 the labelled part of a batch is {@code batch / sequenceLength} runs of consecutive
	 *          slices of one volume, decoded in order with SAM-2's memory, and the model predicts volumes with memory (SSS
	 *          design, section 4).
	 * @param memoryBank SAM-2 backbones training on sequences: which memories a slice attends to, {@code recent} (the
	 *          default: SAM-2's rule, the prompted slices and the up to 6 previous slices) or {@code selective} (Medical
	 *          SAM 2's self-sorting memory bank with weighted resampling; see {@link MemoryBank}). Recorded in the
	 *          model's architecture, so prediction follows the same rule.
	 */
	public record Sam2(String pretrained, int sequenceLength, MemoryBank memoryBank) {}

	private final Method method;
	private final Run run;
	private final Sampling sampling;
	private final Optimisation optimisation;
	private final Consistency consistency;
	private final Prompting prompting;
	private final Sam2 sam2;

	/** What is trained: the backbone, the mode and the method's parts. */
	public Method method() {
		return method;
	}

	/** How long and how a run goes: its length, seed, threads, validation and logging. */
	public Run run() {
		return run;
	}

	/** What a training step sees: the crop, the batches and the augmentations. */
	public Sampling sampling() {
		return sampling;
	}

	/** The optimiser and its learning-rate schedule. */
	public Optimisation optimisation() {
		return optimisation;
	}

	/** Weak-to-strong consistency: the confidence threshold, the EMA teacher and the unlabelled loss schedule. */
	public Consistency consistency() {
		return consistency;
	}

	/** Prompts in training: where the pseudo-labels come from and how prompts are given. */
	public Prompting prompting() {
		return prompting;
	}

	/** SAM-2 backbones only: imported weights and sequences. */
	public Sam2 sam2() {
		return sam2;
	}

	private final JsonObject json;
	/** The entries given explicitly, so that {@link #with} keeps derived defaults derived. */
	private final JsonObject explicit;

	private TrainingConfig(final JsonObject in, final String source) {
		for (final String key : in.keySet())
			if (!KEYS.contains(key)) throw new InvalidInputException(source + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
		final Reader r = new Reader(in, source);
		final String backbone = r.choice("backbone", "unet", "unet", "sam2-micro", "sam2-tiny", "sam2-small");
		final boolean isSam2 = !backbone.equals("unet");
		final TrainingMode mode = r.choice("mode", TrainingMode.SSS);
		final boolean dfe = r.flag("dfe", mode == TrainingMode.SSS);
		final boolean pcsw = r.flag("pcsw", mode == TrainingMode.SSS);
		final DfeReference dfeReference = r.choice("dfeReference", DfeReference.STRONG);
		final DfeScope dfeScope = r.choice("dfeScope", DfeScope.STRONG);
		if (dfeScope == DfeScope.ALL && !dfe)
			throw new InvalidInputException(source + ": 'dfeScope' = \"all\" needs 'dfe' = true (mode 'sss')");
		final DfeForm dfeForm = r.choice("dfeForm", DfeForm.OURS);
		if (dfeForm != DfeForm.OURS && !dfe)
			throw new InvalidInputException(source + ": 'dfeForm' = \"" + dfeForm.key() + "\" needs 'dfe' = true (mode 'sss')");
		final int dfeLevels = r.integer("dfeLevels", dfeForm == DfeForm.RELEASED ? RELEASED_DFE_LEVELS : 0, 0, 64);
		if (in.has("dfeLevels") && dfeLevels != 0 && !dfe)
			throw new InvalidInputException(source + ": 'dfeLevels' = " + dfeLevels + " needs 'dfe' = true (mode 'sss')");
		if (mode != TrainingMode.SSS && (dfe || pcsw))
			throw new InvalidInputException(source + ": '" + (dfe ? "dfe" : "pcsw") + "' = true needs mode 'sss', mode is '" + mode.word() + "'");
		final int iterations = r.integer("iterations", 10000, 1, Integer.MAX_VALUE);
		final double budgetMinutes = r.number("budgetMinutes", 0, 0, 1e7);
		final int crop = r.integer("crop", DEFAULT_CROP, 16, 4096);
		if (crop % 16 != 0) throw new InvalidInputException(source + ": 'crop' = " + crop + ": must be a multiple of 16 (the U-Net pools 4 times)");
		if (isSam2 && crop % 32 != 0)
			throw new InvalidInputException(source + ": 'crop' = " + crop + ": must be a multiple of 32 for a SAM-2 backbone (Hiera's stride)");
		final int batch = r.integer("batch", 8, 1, 4096);
		final int unlabelledBatch = r.integer("unlabelledBatch", Math.max(1, batch / 2), 1, 4096);
		final long seed = r.integer("seed", 0, 0, Integer.MAX_VALUE);
		final int threads = r.integer("threads", 0, 0, 1024);
		// AdamW for every backbone: for the U-Net the design allows it where measured better than SGD (ACDC,
		// bench/README.md); SAM-2 at lr 1e-4 (SSS design, section 2, step 6)
		final Optimizer.Kind optimizer = r.choice("optimizer", Optimizer.Kind.ADAMW);
		final boolean sgd = optimizer == Optimizer.Kind.SGD;
		final double lr = r.number("lr", isSam2 ? 1e-4 : sgd ? 0.01 : 1e-3, 1e-12, 10);
		final double momentum = r.number("momentum", 0.9, 0, 0.999999);
		final double weightDecay = r.number("weightDecay", sgd ? 1e-4 : 0.01, 0, 1);
		final double polyPower = r.number("polyPower", 0.9, 0, 10);
		final double confidenceThreshold = r.number("confidenceThreshold", 0.95, 0, 1);
		final double emaMax = r.number("emaMax", 0.996, 0, 1);
		final int emaWarmup = r.integer("emaWarmup", 200, 0, Integer.MAX_VALUE);
		final int validationInterval = r.integer("validationInterval", 100, 1, Integer.MAX_VALUE);
		final Validated validate = r.choice("validate", mode == TrainingMode.SUPERVISED ? Validated.STUDENT : Validated.BOTH);
		if (mode == TrainingMode.SUPERVISED && validate != Validated.STUDENT)
			throw new InvalidInputException(source + ": 'validate' = \"" + validate.name().toLowerCase(Locale.ROOT) +
				"\" needs a semi-supervised mode (an EMA teacher); mode 'supervised' " +
				"validates the student");
		final int pcswInterval = r.integer("pcswInterval", isSam2 ? 300 : 1000, 1, Integer.MAX_VALUE);
		final PcswPreset pcswPreset = r.choice("pcswPreset", PcswPreset.DEFAULT);
		final PcswRule pcswRule = r.choice("pcswRule", PcswRule.CHAINS);
		if (pcswRule != PcswRule.CHAINS && !pcsw)
			throw new InvalidInputException(source + ": 'pcswRule' = \"" + pcswRule.word() + "\" needs 'pcsw' = true (mode 'sss')");
		final double minScale = r.number("minScale", 0.9, 0.1, 10);
		final double maxScale = r.number("maxScale", 1.1, 0.1, 10);
		if (maxScale < minScale)
			throw new InvalidInputException(source + ": 'maxScale' = " + maxScale + " is below 'minScale' = " + minScale);
		final double cutmixProbability = r.number("cutmixProbability", 0.5, 0, 1);
		final double cutmixMinArea = r.number("cutmixMinArea", 0.02, 0, 1);
		final double cutmixMaxArea = r.number("cutmixMaxArea", 0.4, 0, 1);
		if (cutmixMaxArea < cutmixMinArea)
			throw new InvalidInputException(source + ": 'cutmixMaxArea' = " + cutmixMaxArea + " is below 'cutmixMinArea' = " + cutmixMinArea);
		final int logInterval = r.integer("logInterval", 20, 1, Integer.MAX_VALUE);
		final int inferenceBatch = r.integer("inferenceBatch", 8, 1, 4096);
		final double unlabelledStart = r.number("unlabelledStart", 0.1, 0, 1);
		final double unlabelledRampUp = r.number("unlabelledRampUp", 0.2, 0, 1);
		final String pretrained = r.text("pretrained", "");
		if (!isSam2 && !pretrained.isEmpty())
			throw new InvalidInputException(source + ": 'pretrained' = \"" + pretrained + "\": only SAM-2 backbones import weights, backbone is '" + backbone + "'");
		final double encoderLr = r.number("encoderLr", pretrained.isEmpty() ? lr : lr / 10, 0, 10);
		final double promptProbability = r.number("promptProbability", 0.5, 0, 1);
		final int sequenceLength = r.integer("sequenceLength", 1, 1, 64);
		if (sequenceLength > 1 && !isSam2)
			throw new InvalidInputException(source + ": 'sequenceLength' = " + sequenceLength + ": only SAM-2 backbones decode sequences of slices " +
				"(backbone is '" + backbone + "', which predicts slice by slice); leave it at 1");
		if (batch % sequenceLength != 0)
			throw new InvalidInputException(source + ": 'sequenceLength' = " + sequenceLength + ": must divide 'batch' = " + batch +
				" (the labelled batch is made of batch / sequenceLength runs)");
		final MemoryBank memoryBank = r.choice("memoryBank", MemoryBank.RECENT);
		if (memoryBank != MemoryBank.RECENT && (!isSam2 || sequenceLength == 1))
			throw new InvalidInputException(source + ": 'memoryBank' = \"" + memoryBank.key() + "\": only a SAM-2 backbone that trains on sequences " +
				"('sequenceLength' above 1) decodes with memory (backbone is '" + backbone + "', sequenceLength " + sequenceLength + ")");
		final int promptFrequency = r.integer("promptFrequency", 2, 1, 64);
		final PseudoLabels pseudoLabels = r.choice("pseudoLabels", PseudoLabels.TEACHER);
		if (pseudoLabels != PseudoLabels.TEACHER && !pcsw)
			throw new InvalidInputException(source + ": 'pseudoLabels' = \"" + pseudoLabels.name().toLowerCase(Locale.ROOT) +
				"\" needs PCSW's prompts: mode 'sss' with 'pcsw' = true");
		// the continuity rule rejects no pixel: with the teacher's own pseudo-labels the refresh would change nothing
		if (pcswRule == PcswRule.CONTINUITY && pseudoLabels == PseudoLabels.TEACHER)
			throw new InvalidInputException(source + ": 'pcswRule' = \"continuity\" rejects no pixels and acts only through its prompts: " +
				"it needs 'pseudoLabels' = \"prompted\" or \"propagated\"");
		final double promptJitter = r.number("promptJitter", 0.1, 0, 1);
		final String init = r.text("init", "");
		method = new Method(backbone, mode, dfe, dfeReference, dfeScope, dfeForm, dfeLevels, pcsw, pcswPreset, pcswRule, pcswInterval);
		run = new Run(iterations, budgetMinutes, seed, threads, validationInterval, validate, logInterval, inferenceBatch, init);
		sampling = new Sampling(crop, batch, unlabelledBatch, minScale, maxScale, cutmixProbability, cutmixMinArea, cutmixMaxArea);
		optimisation = new Optimisation(optimizer, lr, encoderLr, momentum, weightDecay, polyPower);
		consistency = new Consistency(confidenceThreshold, emaMax, emaWarmup, unlabelledStart, unlabelledRampUp);
		prompting = new Prompting(pseudoLabels, promptProbability, promptFrequency, promptJitter);
		sam2 = new Sam2(pretrained, sequenceLength, memoryBank);
		json = r.resolved;
		explicit = in.deepCopy();
	}

	/** The defaults. */
	public static TrainingConfig defaults() {
		return of(new JsonObject(), "defaults");
	}

	/**
	 * The configuration in {@code json}.
	 *
	 * @param source the file or option the values came from, named in error messages
	 * @throws InvalidInputException naming the key and value of the first bad entry
	 */
	public static TrainingConfig of(final JsonObject json, final String source) {
		return new TrainingConfig(json, source);
	}

	/** Reads a JSON configuration file. */
	public static JsonObject read(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new InvalidInputException(file + ": not a file; give a JSON training configuration");
		try {
			final JsonElement element = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
			if (!element.isJsonObject()) throw new InvalidInputException(file + ": a training configuration must be a JSON object");
			return element.getAsJsonObject();
		}
		catch (final JsonParseException e) {
			throw new InvalidInputException(file + ": not valid JSON (" + e.getMessage() + ")", e);
		}
		catch (final java.nio.charset.CharacterCodingException e) {
			throw new InvalidInputException(file + ": not a UTF-8 text file; give a JSON training configuration", e);
		}
	}

	/**
	 * The first key outside {@link #RESUMABLE} whose value differs from {@code other}'s (defaults
	 * included), or null when a run of this configuration may continue as {@code other}.
	 */
	public String changedKey(final TrainingConfig other) {
		final JsonObject mine = toJson(), theirs = other.toJson();
		for (final String key : KEYS)
			if (!RESUMABLE.contains(key) && !String.valueOf(mine.get(key)).equals(String.valueOf(theirs.get(key)))) return key;
		return null;
	}

	/** Every setting, defaults included, as JSON ({@link #of} reads it back to an equal configuration). */
	public JsonObject toJson() {
		return json.deepCopy();
	}

	/**
	 * A copy with {@code key} set to {@code value} (validated like a file entry); defaults that
	 * depend on other keys (such as the learning rate on the optimiser) follow the change.
	 */
	public TrainingConfig with(final String key, final Object value) {
		final JsonObject copy = explicit.deepCopy();
		copy.add(key, value instanceof Boolean b ? new JsonPrimitive(b) : value instanceof Number n ? new JsonPrimitive(n) :
			new JsonPrimitive(String.valueOf(value)));
		return of(copy, "option '" + key + "'");
	}

	/** Whether the run has an EMA teacher and an unlabelled loss. */
	public boolean semiSupervised() {
		return method.mode() != TrainingMode.SUPERVISED;
	}

	@Override
	public String toString() {
		return json.toString();
	}

	/** Typed access with range checks; records every value it returns, defaults included. */
	private static final class Reader {

		private final JsonObject in;
		private final String source;
		final JsonObject resolved = new JsonObject();

		Reader(final JsonObject in, final String source) {
			this.in = in;
			this.source = source;
		}

		int integer(final String key, final int fallback, final int min, final int max) {
			final JsonElement e = in.get(key);
			int value = fallback;
			if (e != null && !e.isJsonNull()) {
				final double d = number(key, e);
				if (d != Math.rint(d)) throw bad(key, e, "must be an integer");
				if (d < min || d > max) throw bad(key, e, "must be in [" + min + ", " + max + "]");
				value = (int) d;
			}
			resolved.addProperty(key, value);
			return value;
		}

		double number(final String key, final double fallback, final double min, final double max) {
			final JsonElement e = in.get(key);
			double value = fallback;
			if (e != null && !e.isJsonNull()) {
				value = number(key, e);
				if (!(value >= min && value <= max)) throw bad(key, e, "must be in [" + min + ", " + max + "]");
			}
			resolved.addProperty(key, value);
			return value;
		}

		String text(final String key, final String fallback) {
			final JsonElement e = in.get(key);
			String value = fallback;
			if (e != null && !e.isJsonNull()) {
				if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw bad(key, e, "must be a string");
				value = e.getAsString();
			}
			resolved.addProperty(key, value);
			return value;
		}

		boolean flag(final String key, final boolean fallback) {
			final JsonElement e = in.get(key);
			boolean value = fallback;
			if (e != null && !e.isJsonNull()) {
				if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean()) value = e.getAsBoolean();
				else if (e.isJsonPrimitive() && (e.getAsString().equals("true") || e.getAsString().equals("false")))
					value = Boolean.parseBoolean(e.getAsString());
				else throw bad(key, e, "must be true or false");
			}
			resolved.addProperty(key, value);
			return value;
		}

		String choice(final String key, final String fallback, final String... allowed) {
			final JsonElement e = in.get(key);
			String value = fallback;
			if (e != null && !e.isJsonNull()) {
				if (!e.isJsonPrimitive() || !Arrays.asList(allowed).contains(e.getAsString()))
					throw bad(key, e, "must be one of " + String.join(", ", allowed));
				value = e.getAsString();
			}
			resolved.addProperty(key, value);
			return value;
		}

		/** One of the constants of {@code fallback}'s enum, written as its lower-case name. */
		<E extends Enum<E>> E choice(final String key, final E fallback) {
			final E[] constants = fallback.getDeclaringClass().getEnumConstants();
			final String[] allowed = new String[constants.length];
			for (int i = 0; i < constants.length; i++)
				allowed[i] = constants[i].name().toLowerCase(Locale.ROOT);
			final String value = choice(key, fallback.name().toLowerCase(Locale.ROOT), allowed);
			return constants[Arrays.asList(allowed).indexOf(value)];
		}

		private double number(final String key, final JsonElement e) {
			if (e.isJsonPrimitive()) {
				final JsonPrimitive p = e.getAsJsonPrimitive();
				if (p.isNumber()) return p.getAsDouble();
				if (p.isString()) {
					try {
						return Double.parseDouble(p.getAsString().trim());
					}
					catch (final NumberFormatException ignored) {
						// reported below
					}
				}
			}
			throw bad(key, e, "must be a number");
		}

		private InvalidInputException bad(final String key, final JsonElement value, final String problem) {
			return new InvalidInputException(source + ": '" + key + "' = " + value + ": " + problem);
		}
	}
}
