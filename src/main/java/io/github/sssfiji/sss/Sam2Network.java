package io.github.sssfiji.sss;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.MaskDecoder;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.model.sam2.modeling.Sam2Part;
import io.github.sssfiji.model.sam2.predictor.MemoryConditioning;
import io.github.sssfiji.model.sam2.predictor.SelfSortingMemoryBank;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.sss.augment.Rng;

/**
 * SAM-2 as an SSS {@link Network} (SSS design, sections 1 and 2), for the kinds {@value #MICRO}
 * (the parity fixture's micro widths, {@link Sam2Config#micro()}), {@value #TINY} and {@value #SMALL}
 * (Hiera-T and Hiera-S), with random or imported weights.
 * <ul>
 * <li><b>Input.</b> The grey slice (normalised to [0, 1]) is replicated to three channels and
 * normalised with the ImageNet mean and standard deviation, as SAM-2 expects RGB. The model's image
 * size is the training size (no weight depends on it), a multiple of 32.</li>
 * <li><b>{@link #encode}</b> runs the image encoder (Hiera and FPN neck) and returns the FPN levels
 * the mask decoder reads, finest first: level 0 (stride 4), level 1 (stride 8) and the image
 * embedding level (stride 16), all of width {@code d_model}. DFE and complementary dropout act on
 * them like on the U-Net's levels (the deepest is the image embedding).</li>
 * <li><b>{@link #decode}</b> applies the decoder's {@code conv_s0/conv_s1} and {@code no_mem_embed},
 * then runs the mask decoder once per foreground class (the classes batched together) with the sparse
 * prompt tokens [class token c, box corner, box corner, click]. The class token is a learned
 * {@code d_model} vector per foreground class, so the model segments without user prompts; where a
 * slice has a prompt for c the three points are the prompt encoder's box and positive-click
 * embeddings, otherwise three padding points ({@code not_a_point_embed}), so prediction without
 * prompts is the no-prompt case seen in training. The class logit is the single-mask output (token 0,
 * multimask off) upsampled bilinearly from stride 4 to the input size; the background logit is 0.
 * The softmax over {@code [0, l_1, ..., l_K]} is then the multi-class probability: with one class it
 * is exactly SAM's {@code sigmoid(l_1)}, and fixing the background at 0 removes the softmax's shift
 * freedom, so every class logit keeps SAM's meaning (positive: more likely than background) and the
 * usual CE + Dice losses train it.</li>
 * <li><b>Volumes with memory</b> ({@link #hasMemory()}, architecture key {@value #MEMORY}; SSS
 * design, section 4): {@link #decodeSequences} decodes runs of consecutive slices in order as SAM-2
 * decodes a video, each (run, class) stream with the memory of its prompted slices and of its up to
 * {@code num_maskmem - 1} previous slices (see {@link Sequence} for the exact semantics and what is
 * left out: object pointers, the object-score gate). Training uses it for the labelled runs of
 * {@code sequenceLength} slices; the unlabelled branches (teacher pseudo-labels, strong views) stay
 * 2-D ({@link #decode}). Prediction of a volume ({@code SlicePredictor}) feeds the slices in order
 * through a {@link Sequence}. Which memories a slice reads is the {@link MemoryBank} rule (architecture
 * key {@value #MEMORY_BANK}; absent: {@code recent}): SAM-2's recent slices or Medical SAM 2's
 * self-sorting bank ({@code selective}). A backbone without memory (the default, and every model file written
 * before sequence decoding existed, whose architecture has no {@value #MEMORY} key) decodes slice by
 * slice.</li>
 * <li><b>{@link #state}</b> is the state the SAM-2 model is built on, tracking (training, EMA,
 * saving) only the model's tensors that the forward reads, plus the class tokens
 * ({@link ModelState#ModelState(NDManager, java.util.function.Predicate)}): the image
 * encoder, the prompt encoder's point and no-mask embeddings and its Gaussian PE buffer, the mask
 * decoder without its IoU and object-score heads and the hypernetworks of the multimask tokens,
 * {@code no_mem_embed}, and with memory the memory encoder, memory attention and
 * {@code maskmem_tpos_enc}, so that they are trained, EMA'd and saved.</li>
 * <li><b>Imported weights</b> ({@code pretrained}: a SAM-2 model file of {@link Sam2ModelFiles})
 * also give a frozen copy of the pretrained image encoder, shared with {@link #newInstance}: the
 * unlabelled samples of {@link #encode(NDArray, int, boolean)} go through it (the student's strong
 * views and the teacher's weak view), the labelled ones through the trained encoder.</li>
 * </ul>
 * Arrays returned belong to the manager of the input.
 */
public final class Sam2Network implements Network {

	public static final String MICRO = "sam2-micro", TINY = "sam2-tiny", SMALL = "sam2-small";
	/** The kinds this backbone builds. */
	public static final List<String> KINDS = List.of(MICRO, TINY, SMALL);
	/** The name of the class tokens in {@link #state}. */
	public static final String CLASS_TOKENS = "class_tokens";

	/** The key of {@link #architecture()} naming the SAM-2 model file the weights were first imported from (provenance only). */
	public static final String IMPORTED_FROM = "importedFrom";
	/** The key of {@link #architecture()} that says whether the backbone decodes volumes with memory. */
	public static final String MEMORY = "memory";
	/** The key of {@link #architecture()} that names the {@link MemoryBank} rule of a backbone with memory (absent: recent). */
	public static final String MEMORY_BANK = "memoryBank";
	/** {@link MemoryBank#SELECTIVE}: the most non-conditioning memories a stream's bank holds (Medical SAM 2's {@code memory_bank_size}). */
	public static final int BANK_SIZE = 16;
	/** {@code sigmoid_scale_for_mem_enc}, {@code sigmoid_bias_for_mem_enc} of every official SAM-2 v1 model. */
	static final float MEMORY_MASK_SCALE = 20f, MEMORY_MASK_BIAS = -10f;
	/** The parameters the memory path reads besides those of the 2-D forward. */
	private static final List<String> MEMORY_READ = List.of("memory_encoder.", "memory_attention.", "maskmem_tpos_enc");

	private static final float[] MEAN = { 0.485f, 0.456f, 0.406f }, STD = { 0.229f, 0.224f, 0.225f };
	/** Parameters of the modules the 2-D forward never reads (mask prompts, IoU and object scores, multimask outputs). */
	private static final List<String> UNREAD = List.of("sam_prompt_encoder.mask_downscaling.", "sam_mask_decoder.iou_prediction_head.",
		"sam_mask_decoder.pred_obj_score_head.", "sam_mask_decoder.output_hypernetworks_mlps.1.", "sam_mask_decoder.output_hypernetworks_mlps.2.",
		"sam_mask_decoder.output_hypernetworks_mlps.3.");

	private final String kind;
	private final Sam2Config config;
	private final int classes;
	private final boolean memory;
	private final MemoryBank memoryBank;
	private final NDManager manager;
	private final Sam2Model model;
	private final ModelState state;
	private final NDArray classTokens;
	private final MemoryConditioning conditioning;
	private final Frozen frozen;
	private final boolean ownsFrozen;
	private final String importedFrom;

	/** The frozen pretrained encoder: a SAM-2 model of which only the image encoder is used. */
	private record Frozen(NDManager manager, Sam2Model model) {}

	private Sam2Network(final String kind, final Sam2Config config, final int classes, final boolean memory, final MemoryBank memoryBank,
		final NDManager parent, final long seed, final Frozen frozen, final boolean ownsFrozen, final String importedFrom)
	{
		this.kind = kind;
		this.config = config;
		this.classes = classes;
		this.memory = memory;
		this.memoryBank = memoryBank;
		this.frozen = frozen;
		this.ownsFrozen = ownsFrozen;
		this.importedFrom = importedFrom;
		this.manager = parent.newSubManager();
		// the model's tensors that the forward never reads are built (the random draws stay those of the
		// whole model) but not tracked: decoupled weight decay would change them, and files would hold them
		this.state = new ModelState(manager, name -> name.equals(CLASS_TOKENS) || isRead(name, memory));
		this.model = newModel(config, state, seed);
		this.conditioning = new MemoryConditioning(model);
		final Rng random = new Rng(seed);
		final float[] tokens = new float[(classes - 1) * config.dModel()];
		for (int i = 0; i < tokens.length; i++)
			tokens[i] = (float) (0.02 * random.nextGaussian()); // the initialisation of SAM-2's learned tokens
		this.classTokens = state.addParameter(CLASS_TOKENS, tokens, new Shape(classes - 1, config.dModel()));
	}

	/**
	 * A new 2-D SAM-2 backbone (without memory), see {@link #create(String, int, int, Path, boolean, NDManager, long)}.
	 */
	public static Sam2Network create(final String kind, final int classes, final int size, final Path pretrained, final NDManager parent,
		final long seed)
	{
		return create(kind, classes, size, pretrained, false, parent, seed);
	}

	/**
	 * A new SAM-2 backbone.
	 *
	 * @param kind {@value #MICRO}, {@value #TINY} or {@value #SMALL}
	 * @param size the input size (a multiple of 32)
	 * @param pretrained a SAM-2 model file of the same configuration, or {@code null} for random weights
	 * @param memory whether volumes are decoded as videos with SAM-2's memory ({@link #decodeSequences}),
	 *          so that {@link #state} holds the memory encoder and attention
	 * @throws InvalidInputException for an unknown kind, a bad size or a pretrained file that does not fit
	 */
	public static Sam2Network create(final String kind, final int classes, final int size, final Path pretrained, final boolean memory,
		final NDManager parent, final long seed)
	{
		return create(kind, classes, size, pretrained, memory, MemoryBank.RECENT, parent, seed);
	}

	/**
	 * A new SAM-2 backbone whose memory follows {@code memoryBank}, see
	 * {@link #create(String, int, int, Path, boolean, NDManager, long)}.
	 *
	 * @param memoryBank which memories a slice attends to ({@link MemoryBank#RECENT} for a backbone without memory)
	 * @throws InvalidInputException also for {@link MemoryBank#SELECTIVE} without memory
	 */
	public static Sam2Network create(final String kind, final int classes, final int size, final Path pretrained, final boolean memory,
		final MemoryBank memoryBank, final NDManager parent, final long seed)
	{
		if (memoryBank != MemoryBank.RECENT && !memory)
			throw new InvalidInputException("backbone '" + kind + "': memory bank '" + memoryBank.key() + "' needs a backbone with memory");
		final Sam2Config config = config(kind, size, "backbone '" + kind + "'");
		if (classes < 2) throw new InvalidInputException("backbone '" + kind + "': needs at least 2 classes, got " + classes);
		if (pretrained == null) return new Sam2Network(kind, config, classes, memory, memoryBank, parent, seed, null, false, null);
		final Imported imported = importedModel(pretrained, config, parent);
		final Frozen frozen = new Frozen(imported.manager(), imported.model());
		try {
			final Sam2Network backbone = new Sam2Network(kind, config, classes, memory, memoryBank, parent, seed, frozen, true,
				pretrained.getFileName().toString());
			final Map<String, NDArray> source = imported.model().tensors();
			for (final Map.Entry<String, NDArray> e : backbone.model.tensors().entrySet())
				e.getValue().set(source.get(e.getKey()).toFloatArray());
			for (final NDArray p : source.values())
				p.setRequiresGradient(false); // the frozen encoder
			return backbone;
		}
		catch (final RuntimeException e) {
			imported.manager().close();
			throw e;
		}
	}

	/**
	 * The backbone described by {@link #architecture()} JSON: {@code classes}, {@code imageSize},
	 * optionally {@code sam2} (the configuration; it must be the kind's), {@code pretrained} (a
	 * SAM-2 model file to import), {@value #MEMORY} (a boolean; absent, as in the model files
	 * written before sequence decoding existed, means false: a 2-D backbone) and {@value #MEMORY_BANK}
	 * (a {@link MemoryBank} word, only with memory; absent, as in the files written before it existed,
	 * means {@code recent}).
	 *
	 * @param source named in error messages
	 */
	public static Sam2Network create(final String kind, final JsonObject architecture, final NDManager parent, final long seed, final String source) {
		final int classes, size;
		try {
			classes = architecture.get("classes").getAsInt();
			size = architecture.get("imageSize").getAsInt();
		}
		catch (final RuntimeException e) {
			throw new InvalidInputException(source + ": SAM-2 architecture " + architecture + " needs 'classes' and 'imageSize'", e);
		}
		if (architecture.has("sam2")) {
			final Sam2Config stored = Sam2Config.fromJson(source, architecture.get("sam2"));
			if (!sameStructure(stored, config(kind, size, source)))
				throw new InvalidInputException(source + ": the SAM-2 configuration " + stored.toJson() + " is not that of backbone '" + kind + "'");
		}
		final JsonElement flag = architecture.get(MEMORY);
		if (flag != null && !(flag.isJsonPrimitive() && flag.getAsJsonPrimitive().isBoolean()))
			throw new InvalidInputException(source + ": SAM-2 architecture '" + MEMORY + "' = " + flag + ": must be true or false");
		final boolean memory = flag != null && flag.getAsBoolean();
		final JsonElement bank = architecture.get(MEMORY_BANK);
		if (bank != null && !(bank.isJsonPrimitive() && bank.getAsJsonPrimitive().isString()))
			throw new InvalidInputException(source + ": SAM-2 architecture '" + MEMORY_BANK + "' = " + bank + ": must be \"recent\" or \"selective\"");
		final MemoryBank memoryBank = bank == null ? MemoryBank.RECENT : MemoryBank.of(bank.getAsString(), source + ": SAM-2 architecture '" + MEMORY_BANK + "'");
		if (memoryBank != MemoryBank.RECENT && !memory)
			throw new InvalidInputException(source + ": SAM-2 architecture '" + MEMORY_BANK + "' = \"" + memoryBank.key() + "\" needs '" + MEMORY + "' = true");
		final JsonElement pretrained = architecture.get("pretrained");
		if (pretrained != null) return create(kind, classes, size, Path.of(pretrained.getAsString()), memory, memoryBank, parent, seed);
		// a saved model: its weights come from the file; where they were first imported from stays recorded
		final JsonElement importedFrom = architecture.get(IMPORTED_FROM);
		if (importedFrom != null && !(importedFrom.isJsonPrimitive() && importedFrom.getAsJsonPrimitive().isString()))
			throw new InvalidInputException(source + ": SAM-2 architecture '" + IMPORTED_FROM + "' = " + importedFrom + ": must be a file name");
		if (classes < 2) throw new InvalidInputException(source + ": backbone '" + kind + "': needs at least 2 classes, got " + classes);
		return new Sam2Network(kind, config(kind, size, source), classes, memory, memoryBank, parent, seed, null, false,
			importedFrom == null ? null : importedFrom.getAsString());
	}

	/** The SAM-2 configuration of a kind at input size {@code size}. */
	public static Sam2Config config(final String kind, final int size, final String source) {
		final Sam2Config preset = switch (kind) {
			case MICRO -> Sam2Config.micro();
			case TINY -> Sam2Config.hieraTiny();
			case SMALL -> Sam2Config.hieraSmall();
			default -> throw new InvalidInputException(source + ": unknown SAM-2 backbone '" + kind + "' (available: " + String.join(", ", KINDS) + ")");
		};
		if (size < 32 || size % 32 != 0)
			throw new InvalidInputException(source + ": input size " + size + " for a SAM-2 backbone must be a positive multiple of 32");
		return preset.withImageSize(size);
	}

	/** The imported model and its own manager, in which everything it holds lives. */
	private record Imported(Sam2Model model, NDManager manager) {}

	private static Imported importedModel(final Path file, final Sam2Config config, final NDManager parent) {
		if (!Files.isRegularFile(file)) throw new InvalidInputException("pretrained SAM-2 model " + file + " does not exist or is not a file");
		final NDManager manager = parent.newSubManager();
		try {
			final Sam2Config stored = Sam2ModelFiles.readConfig(file);
			if (!sameStructure(stored, config))
				throw new InvalidInputException("pretrained SAM-2 model " + file + " holds " + stored.toJson() + ", not the configuration of the backbone " +
					config.toJson());
			return new Imported(Sam2ModelFiles.load(file, manager), manager);
		}
		catch (final IOException e) {
			manager.close();
			throw new UncheckedIOException("pretrained SAM-2 model " + file + ": " + e.getMessage(), e);
		}
		catch (final RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	private static boolean sameStructure(final Sam2Config a, final Sam2Config b) {
		return a.withImageSize(b.imageSize()).toJson().equals(b.toJson());
	}

	private static Sam2Model newModel(final Sam2Config config, final ModelState state, final long seed) {
		// SAM-2's initialisers draw from the engine's generator
		state.manager().getEngine().setRandomSeed((int) (new Rng(seed).nextLong() & 0x7fffffff));
		return new Sam2Model(state, config);
	}

	private static boolean isRead(final String name, final boolean memory) {
		if (memory)
			for (final String prefix : MEMORY_READ)
				if (prefix.endsWith(".") ? name.startsWith(prefix) : name.equals(prefix)) return true;
		if (Sam2Part.of(name) == Sam2Part.MEMORY && !name.equals("no_mem_embed")) return false;
		for (final String prefix : UNREAD)
			if (name.startsWith(prefix)) return false;
		return true;
	}

	/** The wrapped SAM-2 model (trained in place). */
	public Sam2Model model() {
		return model;
	}

	/** The configuration, image size included. */
	public Sam2Config config() {
		return config;
	}

	/** Whether volumes are decoded as videos with SAM-2's memory ({@link #decodeSequences}); false: slice by slice. */
	@Override
	public boolean hasMemory() {
		return memory;
	}

	/** Which memories a slice attends to when volumes are decoded with memory. */
	public MemoryBank memoryBank() {
		return memoryBank;
	}

	/** Whether the unlabelled samples go through a frozen pretrained encoder. */
	public boolean hasFrozenEncoder() {
		return frozen != null;
	}

	/** The frozen pretrained model whose image encoder encodes unlabelled samples, or {@code null}. */
	public Sam2Model frozenModel() {
		return frozen == null ? null : frozen.model();
	}

	/** Whether {@code name} in {@link #state} is a parameter of the image encoder (for a lower learning rate). */
	public static boolean isEncoderParameter(final String name) {
		return Sam2Part.IMAGE_ENCODER.contains(name);
	}

	@Override
	public String kind() {
		return kind;
	}

	@Override
	public int classes() {
		return classes;
	}

	@Override
	public int inputChannels() {
		return 1;
	}

	@Override
	public int sizeMultiple() {
		return 32;
	}

	@Override
	public int[] featureChannels() {
		return new int[] { config.dModel(), config.dModel(), config.dModel() };
	}

	@Override
	public NDList encode(final NDArray x, final boolean training) {
		return levels(model, x);
	}

	@Override
	public NDList encode(final NDArray x, final int labelled, final boolean training) {
		final long n = x.getShape().get(0);
		if (frozen == null || labelled >= n) return encode(x, training);
		if (labelled <= 0) return levels(frozen.model(), x);
		final NDList own = levels(model, x.get(new NDIndex("0:" + labelled)));
		final NDList fixed = levels(frozen.model(), x.get(new NDIndex(labelled + ":")));
		final NDList out = new NDList(own.size());
		for (int k = 0; k < own.size(); k++)
			out.add(own.get(k).concat(fixed.get(k), 0));
		return out;
	}

	private NDList levels(final Sam2Model m, final NDArray x) {
		if (x.getShape().dimension() != 4 || x.getShape().get(1) != 1 || x.getShape().get(2) != config.imageSize() ||
			x.getShape().get(3) != config.imageSize())
			throw new IllegalArgumentException("SAM-2 backbone input must be (batch, 1, " + config.imageSize() + ", " + config.imageSize() + "), got " +
				x.getShape());
		final NDManager owner = x.getManager();
		final NDArray mean = owner.create(MEAN, new Shape(1, 3, 1, 1)), std = owner.create(STD, new Shape(1, 3, 1, 1));
		return m.decoderLevels(x.sub(mean).div(std));
	}

	@Override
	public NDArray decode(final NDList features, final boolean training) {
		return decode(features, null, training);
	}

	@Override
	public boolean usesPrompts() {
		return true;
	}

	@Override
	public NDArray decode(final NDList features, final SlicePrompts prompts, final boolean training) {
		final NDArray level0 = features.get(0), level1 = features.get(1), level2 = features.get(2);
		final int b = (int) level2.getShape().get(0);
		checkPrompts(prompts, b);
		final NDArray featS0 = model.maskDecoder().highResS0(level0);
		final NDArray featS1 = model.maskDecoder().highResS1(level1);
		final NDArray embedding = model.withNoMemEmbed(level2);
		return classLogits(repeat(embedding, classes - 1), featS0, featS1, sparseTokens(prompts, b, level2.getManager(), training), b, training);
	}

	private void checkPrompts(final SlicePrompts prompts, final int b) {
		if (prompts != null && (prompts.count() != b || prompts.classes() != classes))
			throw new IllegalArgumentException("prompts for " + prompts.count() + " slices of " + prompts.classes() + " classes, the batch has " + b +
				" slices of " + classes);
	}

	/**
	 * The decoder's sparse tokens (k b, 4, d): item {@code c * b + i} is slice i for class c + 1,
	 * its class token then the three prompt points.
	 */
	private NDArray sparseTokens(final SlicePrompts prompts, final int b, final NDManager owner, final boolean training) {
		final int k = classes - 1, d = config.dModel();
		final float[] coordinates = new float[k * b * 6], labels = new float[k * b * 3];
		final SlicePrompts given = prompts == null ? SlicePrompts.none(b, classes) : prompts;
		for (int c = 1; c <= k; c++)
			given.points(c, coordinates, labels, (c - 1) * b);
		final NDArray points = model.promptEncoder().embedPoints(owner.create(coordinates, new Shape(k * b, 3, 2)),
			owner.create(labels, new Shape(k * b, 3)), false);
		final NDArray tokens = classTokens.expandDims(1);
		tokens.attach(owner); // a result of a long-lived array would otherwise stay in the state's manager
		return tokens.repeat(1, b).reshape(k * b, 1, d).concat(points, 1);
	}

	/**
	 * The mask decoder on image embeddings {@code embeddings} (k b, d, h, w; class-major like the
	 * sparse tokens) with the high-resolution features of the b slices: logits (b, classes, S, S),
	 * the background's 0.
	 */
	private NDArray classLogits(final NDArray embeddings, final NDArray featS0, final NDArray featS1, final NDArray sparse, final int b,
		final boolean training)
	{
		final NDManager owner = embeddings.getManager();
		final int k = classes - 1;
		final NDArray dense = model.promptEncoder().noMaskDense(owner, (long) k * b);
		final NDArray pe = model.promptEncoder().densePositionEncoding(owner);
		final MaskDecoder.Output out = model.maskDecoder().predict(embeddings, pe, sparse, dense, repeat(featS0, k), repeat(featS1, k));
		final NDArray low = out.allMasks.get(new NDIndex(":, 0"));
		final long side = low.getShape().get(1);
		final NDArray perClass = low.reshape(k, b, side, side).transpose(1, 0, 2, 3);
		final int size = config.imageSize();
		final NDArray up = perClass.getNDArrayInternal().interpolation(new long[] { size, size }, 1, false);
		return owner.zeros(new Shape(b, 1, size, size)).concat(up, 1);
	}

	/**
	 * Class logits (T, classes, S, S) of T consecutive slices of one volume, in order, decoded as a
	 * video with SAM-2's memory: {@link #decodeSequences} with one run.
	 */
	public NDArray decodeSequence(final NDList features, final SlicePrompts prompts, final boolean training) {
		return decodeSequences(features, (int) features.get(0).getShape().get(0), prompts, training);
	}

	/**
	 * Class logits of runs of {@code runLength} consecutive slices, run after run in the batch, each
	 * run decoded in order as a video with SAM-2's memory (see {@link Sequence}); the runs are
	 * independent and batched together. A backbone without memory decodes slice by slice
	 * ({@link #decode(NDList, SlicePrompts, boolean)}).
	 *
	 * @param features as {@link #encode} returns them, batch = runs x runLength
	 * @param prompts for the batch, or {@code null}
	 */
	@Override
	public NDArray decodeSequences(final NDList features, final int runLength, final SlicePrompts prompts, final boolean training) {
		final int n = (int) features.get(0).getShape().get(0);
		if (runLength < 1 || n % runLength != 0)
			throw new IllegalArgumentException("a batch of " + n + " slices is not made of runs of " + runLength);
		checkPrompts(prompts, n);
		if (!memory) return decode(features, prompts, training);
		final int runs = n / runLength;
		final NDList perFrame = new NDList(runLength);
		try (Sequence sequence = new Sequence(runs, runLength, null, null)) {
			for (int t = 0; t < runLength; t++) {
				final int[] items = new int[runs];
				for (int r = 0; r < runs; r++)
					items[r] = r * runLength + t;
				final NDList frame = new NDList(features.size());
				for (final NDArray level : features)
					frame.add(rows(level, items, level.getManager()));
				perFrame.add(sequence.next(frame, prompts == null ? null : prompts.select(items), training));
			}
		}
		// (T, R, C, S, S) -> (R, T, C, S, S): item r * T + t
		final NDArray stacked = NDArrays.stack(perFrame, 0);
		final Shape s = stacked.getShape();
		return stacked.transpose(1, 0, 2, 3, 4).reshape(n, s.get(2), s.get(3), s.get(4));
	}

	/**
	 * A sequence decoding in progress (needs {@link #hasMemory()}): {@code runs} runs of at most
	 * {@code length} slices, fed one slice of every run per {@link Sequence#next} call.
	 *
	 * @param keep a manager to hold the memory between calls, so that each call's arrays can live in
	 *          a manager the caller closes after the call (prediction); {@code null}: the memory stays
	 *          in the managers of the calls' inputs (training, where gradients flow through it)
	 */
	@Override
	public Sequence newSequence(final int runs, final int length, final NDManager keep) {
		if (!memory) throw new IllegalStateException("backbone '" + kind + "' has no memory");
		return new Sequence(runs, length, keep, null);
	}

	/** The decoder's sparse tokens of one call, for a test that feeds the tracker's prompt tokens instead of the class tokens. */
	interface SparseTokens {
		/** (k runs, n, d), class-major like {@link Sam2Network#sparseTokens}. */
		NDArray of(int frame, SlicePrompts prompts, int runs, NDManager owner, boolean training);
	}

	/**
	 * Runs of consecutive slices decoded as videos, one slice per run and call, with the semantics
	 * of SAM-2's {@code track_step} for each (run, foreground class) stream (an object of a video):
	 * <ul>
	 * <li>Slice 0 is decoded as {@link #decode(NDList, SlicePrompts, boolean)} does: features plus
	 * {@code no_mem_embed}, class token and prompts if any.</li>
	 * <li>Every later slice's stride-16 features are conditioned by memory attention (features plus
	 * 0.1 x their sine position encoding) on the spatial memories of the stream's conditioning slices
	 * (the slices with a prompt for its class; temporal position 0) and of its up to
	 * {@code num_maskmem - 1} previous other slices (temporal position {@code num_maskmem - distance}),
	 * each memory token's position encoding plus {@code maskmem_tpos_enc}; then the mask decoder runs
	 * with the class token and the slice's prompts, as for slice 0. A prompted slice after the first
	 * is decoded with memory, like a corrected frame in SAM-2's training, and then conditions the
	 * rest of the run.</li>
	 * <li>The memory of a slice is the memory encoder of its features without memory and of
	 * {@code sigmoid(logits) * 20 - 10}, its class logits at the input size (SAM-2's
	 * {@code _encode_new_memory} for a predicted mask), computed only where a later slice of the
	 * run can read it.</li>
	 * </ul>
	 * Not used: object pointers and the object-score gate (the backbone's class logits are trained
	 * directly; absence is a negative logit), and binarised masks for prompted slices (the sigmoid
	 * keeps training and prediction alike). Streams whose memory selections differ (prompts on
	 * different slices) go through memory attention in separate batches.
	 * <p>
	 * With {@link MemoryBank#SELECTIVE} (Medical SAM 2's self-sorting bank, {@link SelfSortingMemoryBank})
	 * the previous slices are replaced by a bank per stream: every non-conditioning memory of the stream
	 * is offered to its bank of at most {@value #BANK_SIZE} entries by Medical SAM 2's insertion rule
	 * (similarity of the flattened memory features; the quality score in place of its predicted IoU is
	 * the slice's mean confidence in its class mask, the mean over pixels of
	 * {@code max(sigmoid(l), 1 - sigmoid(l))} of the class logits l, as our state has no IoU head), and
	 * slice t reads its conditioning slices plus {@code num_maskmem - 1} bank entries chosen by the
	 * softmax over the cosine similarities of the raw stride-16 features (without memory) of slice t
	 * and of the entries' slices: in training drawn with replacement (a generator seeded by the run,
	 * the slice and the bits of the slice's features, so a step is a pure function of its inputs), in
	 * prediction the entries of largest weight, so prediction is deterministic. A bank entry's temporal
	 * position is its distance in slices, capped at {@code num_maskmem - 1} ({@code t_pos = num_maskmem -
	 * min(t - f, num_maskmem - 1)}: the entries within 6 slices are encoded as the recent rule encodes
	 * them, farther ones as the farthest); chosen entries are concatenated in slice order, repeats
	 * (training) repeated.
	 * </p>
	 */
	public final class Sequence implements MemorySequence {

		private final int runs, length, streams, numMaskmem;
		private final NDManager keep;
		private final SparseTokens tokens;
		/** Memory of each slice fed so far; null once no later slice can read it. */
		private final List<StoredSlice> stored = new ArrayList<>();
		/** {@link MemoryBank#SELECTIVE}: each stream's bank of its non-conditioning slices; null with the recent rule. */
		private final SelfSortingMemoryBank[] banks;
		/** {@link MemoryBank#SELECTIVE}: the current slice's flattened stride-16 features per run, and in training its generator per run. */
		private float[][] images;
		private Rng[] draws;

		private Sequence(final int runs, final int length, final NDManager keep, final SparseTokens tokens) {
			if (runs < 1 || length < 1) throw new IllegalArgumentException("a sequence needs at least one run of one slice, got " + runs + " x " + length);
			this.runs = runs;
			this.length = length;
			this.streams = runs * (classes - 1);
			this.numMaskmem = conditioning.numMaskmem();
			this.keep = keep == null ? null : keep.newSubManager();
			this.tokens = tokens;
			this.banks = memoryBank == MemoryBank.SELECTIVE ? new SelfSortingMemoryBank[streams] : null;
			if (banks != null) for (int j = 0; j < streams; j++)
				banks[j] = new SelfSortingMemoryBank(BANK_SIZE);
		}

		/** Test hook: the tracker's sparse tokens in place of the class tokens. */
		Sequence(final int runs, final int length, final SparseTokens tokens) {
			this(runs, length, null, tokens);
		}

		/** Number of slices of each run decoded so far. */
		public int slicesDecoded() {
			return stored.size();
		}

		/**
		 * Class logits (runs, classes, S, S) of the next slice of every run, in the manager of the
		 * features.
		 *
		 * @param features the slice of each run, as {@link #encode} returns them (batch = runs)
		 * @param prompts for these slices, or {@code null}
		 */
		@Override
		public NDArray next(final NDList features, final SlicePrompts prompts, final boolean training) {
			final int t = stored.size();
			if (t >= length) throw new IllegalStateException("the sequence has " + length + " slices per run; all were decoded");
			final NDArray level0 = features.get(0), level1 = features.get(1), level2 = features.get(2);
			if (level2.getShape().get(0) != runs) throw new IllegalArgumentException(level2.getShape().get(0) + " slices for " + runs + " runs");
			checkPrompts(prompts, runs);
			final NDManager owner = level2.getManager();
			final int k = classes - 1;
			final boolean[] prompted = new boolean[streams];
			for (int c = 1; c <= k; c++)
				for (int r = 0; r < runs; r++)
					prompted[(c - 1) * runs + r] = prompts != null && prompts.has(r, c);
			if (banks != null) readImages(level2, t, training);
			final NDArray featS0 = model.maskDecoder().highResS0(level0);
			final NDArray featS1 = model.maskDecoder().highResS1(level1);
			final NDArray vision = repeat(level2, k);
			final NDArray embeddings = t == 0 ? repeat(model.withNoMemEmbed(level2), k) : withMemory(t, vision, training);
			final NDArray sparse = tokens == null ? sparseTokens(prompts, runs, owner, training) : tokens.of(t, prompts, runs, owner, training);
			final NDArray logits = classLogits(embeddings, featS0, featS1, sparse, runs, training);
			if (t + 1 < length) {
				final int size = config.imageSize();
				final NDArray high = logits.get(new NDIndex(":, 1:")).transpose(1, 0, 2, 3).reshape(streams, 1, size, size);
				final NDList encoded = conditioning.encode(vision, MemoryConditioning.maskForMemory(high, false, MEMORY_MASK_SCALE,
					MEMORY_MASK_BIAS));
				final NDArray memoryFeatures = encoded.get(0), position = encoded.get(1).get(new NDIndex("0:1"));
				if (keep != null) {
					memoryFeatures.attach(keep);
					position.attach(keep);
				}
				stored.add(new StoredSlice(memoryFeatures, position, prompted));
				if (banks != null) offer(t, memoryFeatures, logits, prompted);
			}
			else stored.add(null);
			forget(t + 1);
			return logits;
		}

		/** Memory-conditioned embeddings (streams, d, h, w) of slice t from its features repeated per class. */
		private NDArray withMemory(final int t, final NDArray vision, final boolean training) {
			final NDManager owner = vision.getManager();
			final Shape s = vision.getShape();
			final NDArray position = conditioning.visionPosition(owner, (int) s.get(2), (int) s.get(3));
			// streams with the same selection of memories attend together
			final Map<List<Integer>, List<Integer>> groups = new LinkedHashMap<>();
			for (int j = 0; j < streams; j++)
				groups.computeIfAbsent(banks == null ? selection(t, j) : bankSelection(t, j, training), key -> new ArrayList<>()).add(j);
			final NDArray[] perStream = new NDArray[streams];
			for (final Map.Entry<List<Integer>, List<Integer>> group : groups.entrySet()) {
				final int[] members = group.getValue().stream().mapToInt(Integer::intValue).toArray();
				final List<MemoryConditioning.Memory> memories = new ArrayList<>();
				for (final int code : group.getKey()) {
					final StoredSlice slice = stored.get(code / numMaskmem);
					memories.add(new MemoryConditioning.Memory(rows(slice.features(), members, owner), slice.position(), code % numMaskmem));
				}
				final NDList tokenList = conditioning.tokens(memories, owner);
				final NDArray out = conditioning.attend(rows(vision, members, owner), position, tokenList.get(0), tokenList.get(1), 0, training);
				if (groups.size() == 1) return out;
				for (int i = 0; i < members.length; i++)
					perStream[members[i]] = out.get(new NDIndex(i + ":" + (i + 1)));
			}
			return NDArrays.concat(new NDList(perStream), 0);
		}

		/**
		 * The memories stream j reads at slice t, as {@code slice * num_maskmem + t_pos}: its
		 * conditioning slices in order, then the previous other slices from the oldest.
		 */
		private List<Integer> selection(final int t, final int j) {
			final List<Integer> out = new ArrayList<>();
			for (int f = 0; f < t; f++)
				if (stored.get(f) != null && stored.get(f).prompted()[j]) out.add(f * numMaskmem);
			for (int tPos = 1; tPos < numMaskmem; tPos++) {
				final int f = t - (numMaskmem - tPos);
				if (f >= 0 && stored.get(f) != null && !stored.get(f).prompted()[j]) out.add(f * numMaskmem + tPos);
			}
			return out;
		}

		/**
		 * {@link MemoryBank#SELECTIVE}: the memories stream j reads at slice t, coded as by
		 * {@link #selection}: its conditioning slices in order, then the bank entries chosen by their
		 * weights (sampled in training, the largest in prediction) in slice order.
		 */
		private List<Integer> bankSelection(final int t, final int j, final boolean training) {
			final List<Integer> out = new ArrayList<>();
			for (int f = 0; f < t; f++)
				if (stored.get(f) != null && stored.get(f).prompted()[j]) out.add(f * numMaskmem);
			final SelfSortingMemoryBank bank = banks[j];
			if (bank.size() == 0) return out;
			final int r = j % runs;
			final double[] weights = bank.weights(images[r]);
			final List<Integer> chosen = new ArrayList<>(training ? bank.sample(weights, numMaskmem - 1, draws[r]) : bank.top(weights, numMaskmem - 1));
			Collections.sort(chosen);
			for (final int f : chosen)
				out.add(f * numMaskmem + numMaskmem - Math.min(t - f, numMaskmem - 1));
			return out;
		}

		/** {@link MemoryBank#SELECTIVE}: the flattened stride-16 features of slice t per run, and in training the generators of its draws. */
		private void readImages(final NDArray level2, final int t, final boolean training) {
			final float[] all = level2.toFloatArray();
			final int per = all.length / runs;
			images = new float[runs][];
			draws = training ? new Rng[runs] : null;
			for (int r = 0; r < runs; r++) {
				images[r] = Arrays.copyOfRange(all, r * per, (r + 1) * per);
				if (training) draws[r] = Rng.forIteration(Arrays.hashCode(images[r]), t, r);
			}
		}

		/**
		 * {@link MemoryBank#SELECTIVE}: offers slice t's memory of every stream it does not condition
		 * to the stream's bank, with the slice's mean confidence in the class mask as its quality.
		 */
		private void offer(final int t, final NDArray memoryFeatures, final NDArray logits, final boolean[] prompted) {
			final float[] memories = memoryFeatures.toFloatArray(), values = logits.toFloatArray();
			final int per = memories.length / streams, area = config.imageSize() * config.imageSize();
			for (int j = 0; j < streams; j++) {
				if (prompted[j]) continue;
				final int c = j / runs + 1, r = j % runs;
				banks[j].offer(t, Arrays.copyOfRange(memories, j * per, (j + 1) * per), confidence(values, (r * classes + c) * area, area), images[r]);
			}
		}

		/** Drops the memories no slice from {@code next} on can read. */
		private void forget(final int next) {
			for (int f = 0; f < stored.size(); f++) {
				final StoredSlice slice = stored.get(f);
				if (slice == null || banks == null && f >= next - (numMaskmem - 1)) continue;
				boolean conditions = false;
				for (final boolean p : slice.prompted())
					conditions |= p;
				if (banks != null)
					for (final SelfSortingMemoryBank bank : banks)
						conditions |= bank.contains(f);
				if (conditions) continue;
				if (keep != null) {
					slice.features().close();
					slice.position().close();
				}
				stored.set(f, null);
			}
		}

		@Override
		public void close() {
			stored.clear();
			if (keep != null) keep.close();
		}
	}

	/**
	 * The quality score of a class mask in place of SAM-2's predicted IoU: the mean over its pixels of
	 * {@code max(sigmoid(l), 1 - sigmoid(l)) = sigmoid(|l|)} of the logits {@code values[from .. from + count)}.
	 */
	static double confidence(final float[] values, final int from, final int count) {
		double sum = 0;
		for (int p = from; p < from + count; p++)
			sum += 1 / (1 + Math.exp(-Math.abs(values[p])));
		return sum / count;
	}

	/** A slice's memory: features (streams, m, h, w), their position encoding (1, m, h, w), which streams it conditions. */
	private record StoredSlice(NDArray features, NDArray position, boolean[] prompted) {}

	/** Rows {@code items} of {@code x} (all of it when they are 0 .. n - 1 in order), a new array in {@code owner}. */
	private static NDArray rows(final NDArray x, final int[] items, final NDManager owner) {
		boolean all = items.length == x.getShape().get(0);
		for (int i = 0; all && i < items.length; i++)
			all = items[i] == i;
		if (all) return x;
		final NDList parts = new NDList(items.length);
		for (final int i : items) {
			final NDArray row = x.get(new NDIndex(i + ":" + (i + 1)));
			row.attach(owner);
			parts.add(row);
		}
		final NDArray out = NDArrays.concat(parts, 0);
		out.attach(owner);
		return out;
	}

	/** {@code k} copies of the batch one after another (class-major). */
	private static NDArray repeat(final NDArray x, final int k) {
		if (k == 1) return x;
		final NDList copies = new NDList(k);
		for (int i = 0; i < k; i++)
			copies.add(x);
		return NDArrays.concat(copies, 0);
	}

	@Override
	public ModelState state() {
		return state;
	}

	@Override
	public JsonObject architecture() {
		final JsonObject json = new JsonObject();
		json.addProperty("classes", classes);
		json.addProperty("imageSize", config.imageSize());
		json.add("sam2", config.toJson());
		json.addProperty(MEMORY, memory);
		if (memory) json.addProperty(MEMORY_BANK, memoryBank.key());
		// provenance only: a model file never needs the pretrained file again
		if (importedFrom != null) json.addProperty(IMPORTED_FROM, importedFrom);
		return json;
	}

	@Override
	public Network newInstance(final NDManager parent, final long seed) {
		return new Sam2Network(kind, config, classes, memory, memoryBank, parent, seed, frozen, false, importedFrom);
	}

	@Override
	public void close() {
		state.close();
		manager.close();
		if (ownsFrozen) frozen.manager().close();
	}
}
