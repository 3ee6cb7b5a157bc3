package io.github.sssfiji.model.sam2.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;


import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.io.torch.Npz;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TensorType;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.model.sam2.modeling.StateDictCheck;
import io.github.sssfiji.nn.ModelState;
import io.github.sssfiji.util.Sha256;
import io.github.sssfiji.util.SssVersion;

/**
 * SSS's own SAM 2 model file: a zip holding {@code config.json} (the {@link Sam2Config} in the
 * official form), {@code weights.safetensors} (every state-dict tensor as float32, official key
 * names, model order) and {@code sss-sam2.json} (format version, provenance, SHA-256 of the weights
 * entry). Files are written atomically; reading checks the format, the weights' hash and every key
 * and shape against the configuration. No pickle is written or needed to read it.
 */
public final class Sam2ModelFiles {

	/** Format name stored in {@code sss-sam2.json}. */
	public static final String FORMAT = "sss-sam2";
	/** The format version this code writes and reads. */
	public static final int FORMAT_VERSION = 1;
	/** Suggested file name ending. */
	public static final String EXTENSION = ".sam2.zip";

	/** The entry that marks a zip as an SSS SAM 2 model file. */
	public static final String INFO = "sss-sam2.json";
	static final String CONFIG = "config.json";
	static final String WEIGHTS = "weights.safetensors";

	/** The largest JSON entry read. */
	private static final int MAX_JSON_BYTES = 16 << 20;

	private Sam2ModelFiles() {}

	/**
	 * Imports an official checkpoint ({@code .pt}/{@code .pth} {@code torch.save} zip with a
	 * {@code "model"} state dict, or {@code .npz}) after a strict key and shape check against
	 * {@code config}; nothing is written when the check fails.
	 *
	 * @return the provenance written into the file
	 */
	public static Sam2ModelProvenance importCheckpoint(final Path checkpoint, final Sam2Config config, final Path out) throws IOException {
		return importCheckpoint(checkpoint, readCheckpoint(checkpoint), config, out);
	}

	/**
	 * As {@link #importCheckpoint(Path, Sam2Config, Path)} with the state dict already read by
	 * {@link #readCheckpoint} (e.g. to infer the configuration from it first); {@code checkpoint} is
	 * the file it came from, for the provenance.
	 */
	public static Sam2ModelProvenance importCheckpoint(final Path checkpoint, final StateDict sd, final Sam2Config config, final Path out)
		throws IOException
	{
		final Map<String, long[]> expected = Sam2Model.expectedShapes(config);
		StateDictCheck.compare(expected, sd).requireExactMatch();
		final Map<String, TensorData> tensors = new LinkedHashMap<>();
		for (final String key : expected.keySet()) {
			final TensorData t = sd.get(key);
			if (!t.isFloating()) throw new InvalidInputException("checkpoint " + checkpoint + ": tensor '" + key + "' is " + t.sourceType() +
				", expected a floating type");
			tensors.put(key, t.sourceType() == TensorType.FLOAT32 ? t : TensorData.ofFloats(TensorType.FLOAT32, t.shape(), t.floats()));
		}
		final Sam2ModelProvenance provenance = new Sam2ModelProvenance(checkpoint.getFileName().toString(), Sha256.file(checkpoint),
			Instant.now().truncatedTo(ChronoUnit.SECONDS), sssVersion());
		write(out, config, tensors, provenance);
		return provenance;
	}

	/** Saves the current parameter values of {@code model} (e.g. after fine-tuning) with the given provenance. */
	public static void save(final Sam2Model model, final Sam2ModelProvenance provenance, final Path out) throws IOException {
		final Map<String, TensorData> tensors = new LinkedHashMap<>();
		for (final Map.Entry<String, NDArray> e : model.tensors().entrySet()) {
			final NDArray a = e.getValue();
			final float[] values = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, true).toFloatArray();
			tensors.put(e.getKey(), TensorData.ofFloats(TensorType.FLOAT32, a.getShape().getShape(), values));
		}
		write(out, model.config(), tensors, provenance.writtenBy(sssVersion()));
	}

	/**
	 * Loads a model file into a new {@link Sam2Model} whose tensors live in a new {@link ModelState}
	 * under {@code manager}, on its device (closing {@code manager} frees them). The weights' keys and
	 * shapes are checked against the configuration's declared shapes before the model is built, so a
	 * file that does not fit (or declares huge tensors) is refused before anything is allocated.
	 */
	public static Sam2Model load(final Path file, final NDManager manager) throws IOException {
		try (ZipFile zip = open(file)) {
			readInfo(zip, file);
			final Sam2Config config = readConfig(zip, file);
			final StateDict weights = readWeights(zip, file);
			StateDictCheck.compare(Sam2Model.expectedShapes(config), weights).requireExactMatch();
			final ModelState state = new ModelState(manager);
			try {
				final Sam2Model model = new Sam2Model(state, config);
				model.loadWeights(weights);
				return model;
			}
			catch (final RuntimeException e) {
				state.close();
				throw e;
			}
		}
	}

	/** The configuration stored in a model file. */
	public static Sam2Config readConfig(final Path file) throws IOException {
		try (ZipFile zip = open(file)) {
			readInfo(zip, file);
			return readConfig(zip, file);
		}
	}

	/** What {@code sss-sam2.json} of a model file holds (format, provenance, SHA-256 of the weights), and its configuration under {@code config}. */
	public static JsonObject describe(final Path file) throws IOException {
		try (ZipFile zip = open(file)) {
			final JsonObject info = readInfo(zip, file).deepCopy();
			info.add("config", json(zip, file, CONFIG));
			return info;
		}
	}

	/** The provenance stored in a model file. */
	public static Sam2ModelProvenance readProvenance(final Path file) throws IOException {
		try (ZipFile zip = open(file)) {
			final JsonObject info = readInfo(zip, file);
			try {
				return Sam2ModelProvenance.fromJson(info.getAsJsonObject("provenance"));
			}
			catch (final RuntimeException e) {
				throw new InvalidInputException("model file " + file + ": " + INFO + " has no complete provenance: " + e.getMessage(), e);
			}
		}
	}

	/** The version of SSS, from the jar manifest or the project's pom.xml; "unknown" when neither is found. */
	public static String sssVersion() {
		return SssVersion.get();
	}

	/**
	 * Reads the state dict of an official checkpoint: a {@code .pt}/{@code .pth} {@code torch.save} zip
	 * through the whitelist unpickler (any other Python global is refused, naming the file), or an
	 * {@code .npz}.
	 */
	public static StateDict readCheckpoint(final Path checkpoint) throws IOException {
		if (!Files.isRegularFile(checkpoint)) throw new InvalidInputException("checkpoint " + checkpoint + " does not exist or is not a file");
		final String name = checkpoint.getFileName().toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".npz")) return Npz.read(checkpoint);
		if (name.endsWith(".pt") || name.endsWith(".pth")) return TorchCheckpoint.readStateDict(checkpoint);
		throw new InvalidInputException("checkpoint " + checkpoint + ": unknown file type; expected .pt, .pth (torch.save) or .npz");
	}

	private static void write(final Path out, final Sam2Config config, final Map<String, TensorData> tensors,
		final Sam2ModelProvenance provenance) throws IOException
	{
		AtomicFiles.write(out, stream -> {
			final ZipOutputStream zip = new ZipOutputStream(stream, StandardCharsets.UTF_8);
			zip.putNextEntry(new ZipEntry(CONFIG));
			zip.write(new GsonBuilder().setPrettyPrinting().create().toJson(config.toJson()).getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
			// float noise hardly compresses: stored deflate blocks keep writing and reading fast
			zip.setLevel(Deflater.NO_COMPRESSION);
			zip.putNextEntry(new ZipEntry(WEIGHTS));
			final MessageDigest sha = Sha256.digest();
			final Map<String, String> metadata = new LinkedHashMap<>();
			metadata.put("format", FORMAT);
			Safetensors.write(new DigestOutputStream(zip, sha), tensors, metadata);
			zip.closeEntry();
			zip.setLevel(Deflater.DEFAULT_COMPRESSION);
			final JsonObject info = new JsonObject();
			info.addProperty("format", FORMAT);
			info.addProperty("format_version", FORMAT_VERSION);
			info.addProperty("weights_sha256", Sha256.hex(sha.digest()));
			info.addProperty("tensors", tensors.size());
			info.add("provenance", provenance.toJson());
			zip.putNextEntry(new ZipEntry(INFO));
			zip.write(new GsonBuilder().setPrettyPrinting().create().toJson(info).getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
			zip.finish();
		});
	}

	private static ZipFile open(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new InvalidInputException("model file " + file + " does not exist or is not a file");
		try {
			return new ZipFile(file.toFile());
		}
		catch (final ZipException e) {
			throw new InvalidInputException("model file " + file + " is not a readable zip archive (truncated or corrupt?): " + e.getMessage(), e);
		}
	}

	private static ZipEntry entry(final ZipFile zip, final Path file, final String name) {
		final ZipEntry e = zip.getEntry(name);
		if (e == null) throw new InvalidInputException("model file " + file + " has no entry '" + name + "' (not an SSS SAM 2 model file?)");
		return e;
	}

	private static JsonElement json(final ZipFile zip, final Path file, final String name) throws IOException {
		try (InputStream in = zip.getInputStream(entry(zip, file, name))) {
			final byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
			if (bytes.length > MAX_JSON_BYTES)
				throw new InvalidInputException("model file " + file + ": entry '" + name + "' inflates to more than " + MAX_JSON_BYTES + " bytes");
			return JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
		}
		catch (final JsonParseException e) {
			throw new InvalidInputException("model file " + file + ": entry '" + name + "' is not valid JSON: " + e.getMessage(), e);
		}
		catch (final ZipException e) {
			throw new InvalidInputException("model file " + file + ": entry '" + name + "' is corrupt: " + e.getMessage(), e);
		}
	}

	private static JsonObject readInfo(final ZipFile zip, final Path file) throws IOException {
		final JsonElement e = json(zip, file, INFO);
		final JsonObject info = e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
		final String format = info.has("format") ? info.get("format").getAsString() : "";
		if (!FORMAT.equals(format)) throw new InvalidInputException("model file " + file + ": format is '" + format + "', expected '" + FORMAT + "'");
		final int version = info.has("format_version") ? info.get("format_version").getAsInt() : -1;
		if (version != FORMAT_VERSION) throw new InvalidInputException("model file " + file + " has format version " + version +
			(version > FORMAT_VERSION ? " (written by a newer SSS)" : "") + "; this SSS reads version " + FORMAT_VERSION);
		if (!info.has("weights_sha256")) throw new InvalidInputException("model file " + file + ": " + INFO + " has no weights_sha256");
		return info;
	}

	private static Sam2Config readConfig(final ZipFile zip, final Path file) throws IOException {
		return Sam2Config.fromJson(file + ":" + CONFIG, json(zip, file, CONFIG));
	}

	private static StateDict readWeights(final ZipFile zip, final Path file) throws IOException {
		final String expected = readInfo(zip, file).get("weights_sha256").getAsString();
		final ZipEntry entry = entry(zip, file, WEIGHTS);
		final MessageDigest sha = Sha256.digest();
		final StateDict weights;
		try (InputStream in = new DigestInputStream(zip.getInputStream(entry), sha)) {
			weights = Safetensors.read(in, entry.getSize(), file + ":" + WEIGHTS).tensors();
			in.transferTo(OutputStream.nullOutputStream());
		}
		catch (final ZipException e) {
			throw new InvalidInputException("model file " + file + ": entry '" + WEIGHTS + "' is corrupt: " + e.getMessage(), e);
		}
		final String actual = Sha256.hex(sha.digest());
		if (!actual.equals(expected)) throw new InvalidInputException("model file " + file + ": " + WEIGHTS +
			" is corrupt (SHA-256 " + actual + ", recorded " + expected + ")");
		return weights;
	}

}
