package io.github.sssfiji.sss;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.model.sam2.MaskDecoder;
import io.github.sssfiji.model.sam2.Sam2Config;
import io.github.sssfiji.model.sam2.Sam2Model;
import io.github.sssfiji.model.sam2.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.Sam2Part;
import io.github.sssfiji.model.sam2.layers.ParameterNames;
import io.github.sssfiji.model.unet.ModelState;
import io.github.sssfiji.sss.augment.Rng;

/**
 * SAM-2 as an SSS {@link Backbone} (SSS design, sections 1 and 2), for the kinds {@value #MICRO}
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
 * <li><b>{@link #state}</b> is a view over the DJL block's parameter arrays ({@link ModelState#addView},
 * nothing copied) plus the class tokens, holding exactly what the 2-D forward reads: the image
 * encoder, the prompt encoder's point and no-mask embeddings and its Gaussian PE buffer, the mask
 * decoder without its IoU and object-score heads and the hypernetworks of the multimask tokens, and
 * {@code no_mem_embed}. The memory encoder and attention are not trained here and not saved:
 * prediction is slice by slice.</li>
 * <li><b>Imported weights</b> ({@code pretrained}: a SAM-2 model file of {@link Sam2ModelFiles})
 * also give a frozen copy of the pretrained image encoder, shared with {@link #newInstance}: the
 * unlabelled samples of {@link #encode(NDArray, int, boolean)} go through it (the student's strong
 * views and the teacher's weak view), the labelled ones through the trained encoder.</li>
 * </ul>
 * Arrays returned belong to the manager of the input.
 */
public final class Sam2Backbone implements Backbone {

	public static final String MICRO = "sam2-micro", TINY = "sam2-tiny", SMALL = "sam2-small";
	/** The kinds this backbone builds. */
	public static final List<String> KINDS = List.of(MICRO, TINY, SMALL);
	/** The name of the class tokens in {@link #state}. */
	public static final String CLASS_TOKENS = "class_tokens";

	private static final float[] MEAN = { 0.485f, 0.456f, 0.406f }, STD = { 0.229f, 0.224f, 0.225f };
	/** Parameters of the modules the 2-D forward never reads (mask prompts, IoU and object scores, multimask outputs). */
	private static final List<String> UNREAD = List.of("sam_prompt_encoder.mask_downscaling.", "sam_mask_decoder.iou_prediction_head.",
		"sam_mask_decoder.pred_obj_score_head.", "sam_mask_decoder.output_hypernetworks_mlps.1.", "sam_mask_decoder.output_hypernetworks_mlps.2.",
		"sam_mask_decoder.output_hypernetworks_mlps.3.");

	private final String kind;
	private final Sam2Config config;
	private final int classes;
	private final NDManager manager;
	private final Sam2Model model;
	private final ParameterStore store;
	private final ModelState state;
	private final NDArray classTokens;
	private final Frozen frozen;
	private final boolean ownsFrozen;
	private final String importedFrom;

	/** The frozen pretrained encoder: a SAM-2 model of which only the image encoder is used. */
	private record Frozen(NDManager manager, Sam2Model model, ParameterStore store) {}

	private Sam2Backbone(final String kind, final Sam2Config config, final int classes, final NDManager parent, final long seed, final Frozen frozen,
		final boolean ownsFrozen, final String importedFrom)
	{
		this.kind = kind;
		this.config = config;
		this.classes = classes;
		this.frozen = frozen;
		this.ownsFrozen = ownsFrozen;
		this.importedFrom = importedFrom;
		this.manager = parent.newSubManager();
		this.model = newModel(config, manager, seed);
		this.store = new ParameterStore(manager, false);
		this.state = new ModelState(manager);
		for (final Map.Entry<String, Parameter> e : ParameterNames.collect(model).entrySet())
			if (isRead(e.getKey())) state.addView(e.getKey(), e.getValue().getArray(), !Sam2Part.BUFFERS.contains(e.getKey()));
		final Rng random = new Rng(seed);
		final float[] tokens = new float[(classes - 1) * config.dModel()];
		for (int i = 0; i < tokens.length; i++)
			tokens[i] = (float) (0.02 * random.nextGaussian()); // the initialisation of SAM-2's learned tokens
		this.classTokens = state.addParameter(CLASS_TOKENS, tokens, new Shape(classes - 1, config.dModel()));
	}

	/**
	 * A new SAM-2 backbone.
	 *
	 * @param kind {@value #MICRO}, {@value #TINY} or {@value #SMALL}
	 * @param size the input size (a multiple of 32)
	 * @param pretrained a SAM-2 model file of the same configuration, or {@code null} for random weights
	 * @throws InvalidInputException for an unknown kind, a bad size or a pretrained file that does not fit
	 */
	public static Sam2Backbone create(final String kind, final int classes, final int size, final Path pretrained, final NDManager parent,
		final long seed)
	{
		final Sam2Config config = config(kind, size, "backbone '" + kind + "'");
		if (classes < 2) throw new InvalidInputException("backbone '" + kind + "': needs at least 2 classes, got " + classes);
		if (pretrained == null) return new Sam2Backbone(kind, config, classes, parent, seed, null, false, null);
		final Imported imported = importedModel(pretrained, config, parent);
		final Frozen frozen = new Frozen(imported.manager(), imported.model(), new ParameterStore(imported.manager(), false));
		try {
			final Sam2Backbone backbone = new Sam2Backbone(kind, config, classes, parent, seed, frozen, true, pretrained.getFileName().toString());
			final Map<String, Parameter> source = ParameterNames.collect(imported.model());
			for (final Map.Entry<String, Parameter> e : ParameterNames.collect(backbone.model).entrySet())
				e.getValue().getArray().set(source.get(e.getKey()).getArray().toFloatArray());
			for (final Parameter p : source.values())
				p.freeze(true);
			return backbone;
		}
		catch (final RuntimeException e) {
			imported.manager().close();
			throw e;
		}
	}

	/**
	 * The backbone described by {@link #architecture()} JSON: {@code classes}, {@code imageSize},
	 * optionally {@code sam2} (the configuration; it must be the kind's) and {@code pretrained} (a
	 * SAM-2 model file to import).
	 *
	 * @param source named in error messages
	 */
	public static Sam2Backbone create(final String kind, final JsonObject architecture, final NDManager parent, final long seed, final String source) {
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
		final JsonElement pretrained = architecture.get("pretrained");
		return create(kind, classes, size, pretrained == null ? null : Path.of(pretrained.getAsString()), parent, seed);
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

	private static Sam2Model newModel(final Sam2Config config, final NDManager manager, final long seed) {
		final Sam2Model model = new Sam2Model(config);
		// DJL's initialisers draw from the engine's generator
		manager.getEngine().setRandomSeed((int) (new Rng(seed).nextLong() & 0x7fffffff));
		model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, config.imageSize(), config.imageSize()));
		return model;
	}

	private static boolean isRead(final String name) {
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
		return levels(model, store, x, training);
	}

	@Override
	public NDList encode(final NDArray x, final int labelled, final boolean training) {
		final long n = x.getShape().get(0);
		if (frozen == null || labelled >= n) return encode(x, training);
		if (labelled <= 0) return levels(frozen.model(), frozen.store(), x, training);
		final NDList own = levels(model, store, x.get(new NDIndex("0:" + labelled)), training);
		final NDList fixed = levels(frozen.model(), frozen.store(), x.get(new NDIndex(labelled + ":")), training);
		final NDList out = new NDList(own.size());
		for (int k = 0; k < own.size(); k++)
			out.add(own.get(k).concat(fixed.get(k), 0));
		return out;
	}

	private NDList levels(final Sam2Model m, final ParameterStore s, final NDArray x, final boolean training) {
		if (x.getShape().dimension() != 4 || x.getShape().get(1) != 1 || x.getShape().get(2) != config.imageSize() ||
			x.getShape().get(3) != config.imageSize())
			throw new IllegalArgumentException("SAM-2 backbone input must be (batch, 1, " + config.imageSize() + ", " + config.imageSize() + "), got " +
				x.getShape());
		final NDManager owner = x.getManager();
		final NDArray mean = owner.create(MEAN, new Shape(1, 3, 1, 1)), std = owner.create(STD, new Shape(1, 3, 1, 1));
		return m.decoderLevels(s, x.sub(mean).div(std), training);
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
		final NDManager owner = level2.getManager();
		final int b = (int) level2.getShape().get(0), k = classes - 1, d = config.dModel();
		if (prompts != null && (prompts.count() != b || prompts.classes() != classes))
			throw new IllegalArgumentException("prompts for " + prompts.count() + " slices of " + prompts.classes() + " classes, the batch has " + b +
				" slices of " + classes);
		final NDArray featS0 = model.maskDecoder().highResS0(store, level0, training);
		final NDArray featS1 = model.maskDecoder().highResS1(store, level1, training);
		final NDArray embedding = model.withNoMemEmbed(store, level2, training);
		// item c * b + i of the decoder batch is slice i for class c + 1
		final float[] coordinates = new float[k * b * 6], labels = new float[k * b * 3];
		final SlicePrompts given = prompts == null ? SlicePrompts.none(b, classes) : prompts;
		for (int c = 1; c <= k; c++)
			given.points(c, coordinates, labels, (c - 1) * b);
		final NDArray points = model.promptEncoder().embedPoints(store, owner.create(coordinates, new Shape(k * b, 3, 2)),
			owner.create(labels, new Shape(k * b, 3)), false, training);
		final NDArray tokens = classTokens.expandDims(1);
		tokens.attach(owner); // a result of a long-lived array would otherwise stay in the state's manager
		final NDArray sparse = tokens.repeat(1, b).reshape(k * b, 1, d).concat(points, 1);
		final NDArray dense = model.promptEncoder().noMaskDense(store, owner, (long) k * b, training);
		final NDArray pe = model.promptEncoder().densePositionEncoding(store, owner, training);
		final MaskDecoder.Output out = model.maskDecoder().predict(store, repeat(embedding, k), pe, sparse, dense, repeat(featS0, k),
			repeat(featS1, k), training);
		final NDArray low = out.allMasks.get(new NDIndex(":, 0"));
		final long side = low.getShape().get(1);
		final NDArray perClass = low.reshape(k, b, side, side).transpose(1, 0, 2, 3);
		final int size = config.imageSize();
		final NDArray up = perClass.getNDArrayInternal().interpolation(new long[] { size, size }, 1, false);
		return owner.zeros(new Shape(b, 1, size, size)).concat(up, 1);
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
		// provenance only: a model file never needs the pretrained file again
		if (importedFrom != null) json.addProperty("importedFrom", importedFrom);
		return json;
	}

	@Override
	public Backbone newInstance(final NDManager parent, final long seed) {
		return new Sam2Backbone(kind, config, classes, parent, seed, frozen, false, importedFrom);
	}

	@Override
	public void close() {
		state.close();
		manager.close();
		if (ownsFrozen) frozen.manager().close();
	}
}
