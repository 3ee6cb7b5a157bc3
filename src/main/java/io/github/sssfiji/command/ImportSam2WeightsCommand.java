package io.github.sssfiji.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.files.Sam2ModelProvenance;
import io.github.sssfiji.model.sam2.files.Sam2Presets;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.model.sam2.modeling.StateDictCheck;
import io.github.sssfiji.service.SssService;

/**
 * {@code Plugins > Segmentation > SSS > SSS Import SAM-2 Weights}: an official SAM 2 checkpoint
 * ({@code .pt} as Meta publishes it, read without running any pickled code, or an {@code .npz} of the
 * same state dict) becomes an SSS SAM-2 model file ({@link Sam2ModelFiles}) after a strict check of
 * every key and shape. The configuration is a preset name, a {@code config.json}, or {@code auto}:
 * the one preset whose keys and shapes the checkpoint has. The file is written atomically; a
 * checkpoint that fails the check, or holds a Python global outside the whitelist, writes nothing.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Import SAM-2 Weights", headless = true)
public class ImportSam2WeightsCommand implements Command {

	/** The {@code config} value that infers the preset from the checkpoint. */
	public static final String AUTO = "auto";

	@Parameter
	SssService sss;

	@Parameter(required = false)
	LogService log;

	@Parameter(required = false)
	StatusService status;

	@Parameter(label = "Checkpoint (official .pt, or .npz)", style = "open", persist = false)
	File checkpoint;

	@Parameter(label = "Configuration (auto, tiny, small, base_plus, large, or a config.json file)", required = false)
	String config = AUTO;

	@Parameter(label = "Model file to write (empty: <checkpoint name>.sam2.zip in the models folder)", style = "save", required = false,
		persist = false)
	File output;

	@Parameter(type = ItemIO.OUTPUT)
	File model_file;

	@Parameter(type = ItemIO.OUTPUT)
	String key_check;

	@Override
	public void run() {
		try {
			final Path source = checkpoint.toPath();
			status("SSS: reading " + source.getFileName());
			final Path out = outputFile(source);
			final Imported imported = importCheckpoint(source, config, out, () -> {
				createParent(out);
				status("SSS: writing " + out.getFileName());
			});
			model_file = out.toFile();
			key_check = imported.keyCheck();
			if (log != null) log.info("SSS Import SAM-2 Weights: " + key_check + "; wrote " + out + " (source SHA-256 " +
				imported.provenance().sourceSha256() + ")");
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Import SAM-2 Weights: " + e.getMessage(), e);
		}
		catch (final java.io.UncheckedIOException e) {
			throw new IllegalStateException("SSS Import SAM-2 Weights: " + e.getCause().getMessage(), e.getCause());
		}
		finally {
			status(null);
		}
	}

	/** What an import wrote: the check's summary line and the provenance. */
	public record Imported(String keyCheck, Sam2ModelProvenance provenance, Sam2Config configuration) {}

	/**
	 * Imports {@code source} (an official {@code .pt}/{@code .pth} or an {@code .npz}) to the SAM-2
	 * model file {@code out} with the configuration {@code config} ({@value #AUTO} or empty: the preset
	 * the checkpoint fits; a preset name; or a {@code config.json}); every key and shape is checked
	 * before {@code beforeWrite} runs and anything is written. Also the {@code import-sam2} command line.
	 */
	public static Imported importCheckpoint(final Path source, final String config, final Path out, final Runnable beforeWrite) throws IOException {
		final StateDict weights = Sam2ModelFiles.readCheckpoint(source);
		final Sam2Config configuration = configuration(config, weights, source);
		// checked here too (the import checks again) so that a mismatch creates no output folder
		final StateDictCheck check = StateDictCheck.compare(Sam2Model.expectedShapes(configuration), weights);
		if (!check.isExactMatch()) throw mismatch(source, check, weights, configuration);
		if (beforeWrite != null) beforeWrite.run();
		final Sam2ModelProvenance provenance = Sam2ModelFiles.importCheckpoint(source, weights, configuration, out);
		return new Imported("all " + weights.size() + " tensors of " + source.getFileName() + " match the keys and shapes of configuration '" +
			configuration.name() + "'", provenance, configuration);
	}

	/** The configuration named by {@code config}: a preset, a config.json, or the preset the shapes show. */
	private static Sam2Config configuration(final String config, final StateDict weights, final Path source) throws IOException {
		final String value = config == null ? "" : config.trim();
		if (value.isEmpty() || value.equalsIgnoreCase(AUTO)) {
			final Map<String, long[]> shapes = Sam2Presets.shapes(weights);
			final List<String> matching = Sam2Presets.matching(shapes);
			if (matching.size() == 1) return Sam2Config.preset(matching.get(0));
			if (matching.size() > 1) throw new InvalidInputException("checkpoint " + source + " fits several presets " + matching +
				"; choose one with key 'config'");
			throw new InvalidInputException("checkpoint " + source + " fits none of the SAM 2 v1 presets (keys missing, unexpected or of another shape: " +
				Sam2Presets.problems(shapes) + ")" + version21(weights) + "; give key 'config' the config.json the checkpoint was made with");
		}
		final Path file = Path.of(value);
		if (value.toLowerCase(Locale.ROOT).endsWith(".json") || Files.isRegularFile(file)) {
			if (!Files.isRegularFile(file)) throw new InvalidInputException("key 'config': configuration file " + file + " does not exist");
			return Sam2Config.parse(file);
		}
		try {
			return Sam2Config.preset(value);
		}
		catch (final InvalidInputException e) {
			throw new InvalidInputException("key 'config': " + e.getMessage() + ", 'auto', or the path of a config.json", e);
		}
	}

	/** The keys SAM 2.1 adds to a v1 state dict (its object-pointer temporal projection and no-object spatial embedding). */
	static final List<String> VERSION_21_KEYS = List.of("no_obj_embed_spatial", "obj_ptr_tpos_proj.weight", "obj_ptr_tpos_proj.bias");

	/** A note when the checkpoint has the keys SAM 2.1 adds, which this SAM 2 (v1) does not implement. */
	private static String version21(final StateDict weights) {
		for (final String key : VERSION_21_KEYS)
			if (weights.contains(key)) return "; it has SAM 2.1's keys " + VERSION_21_KEYS +
				": SSS implements SAM 2 (v1), import a sam2_hiera_*.pt checkpoint";
		return "";
	}

	/** Every problem of the key check, and the preset the checkpoint does fit when there is one. */
	private static InvalidInputException mismatch(final Path source, final StateDictCheck check, final StateDict weights,
		final Sam2Config configuration)
	{
		final List<String> matching = Sam2Presets.matching(Sam2Presets.shapes(weights));
		return new InvalidInputException("checkpoint " + source + " does not fit configuration '" + configuration.name() + "': " +
			check.summary() + (matching.isEmpty() ? version21(weights) : "; it fits preset '" + matching.get(0) + "': use config=" + matching.get(0) +
				" or config=auto"));
	}

	private Path outputFile(final Path source) {
		final Path out;
		if (output != null && !output.getPath().isEmpty()) out = output.toPath();
		else {
			String stem = source.getFileName().toString();
			final int dot = stem.lastIndexOf('.');
			if (dot > 0) stem = stem.substring(0, dot);
			out = sss.modelsFolder().resolve(stem + Sam2ModelFiles.EXTENSION);
		}
		if (Files.isDirectory(out)) throw new InvalidInputException("key 'output': " + out + " is a folder; give the model file to write");
		return out;
	}

	private static void createParent(final Path out) {
		final Path parent = out.toAbsolutePath().getParent();
		try {
			if (parent != null) Files.createDirectories(parent);
		}
		catch (final IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	private void status(final String message) {
		if (status == null) return;
		if (message == null) status.clearStatus();
		else status.showStatus(message);
	}
}
