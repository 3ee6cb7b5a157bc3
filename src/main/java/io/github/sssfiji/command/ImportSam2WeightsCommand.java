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
			final StateDict weights = Sam2ModelFiles.readCheckpoint(source);
			final Sam2Config configuration = configuration(weights, source);
			// checked here too (the import checks again) so that a mismatch creates no output folder
			final StateDictCheck check = StateDictCheck.compare(Sam2Model.expectedShapes(configuration), weights);
			if (!check.isExactMatch()) throw mismatch(source, check, weights, configuration);
			final Path out = outputFile(source);
			status("SSS: writing " + out.getFileName());
			final Sam2ModelProvenance provenance = Sam2ModelFiles.importCheckpoint(source, weights, configuration, out);
			model_file = out.toFile();
			key_check = "all " + weights.size() + " tensors of " + source.getFileName() + " match the keys and shapes of configuration '" +
				configuration.name() + "'";
			if (log != null) log.info("SSS Import SAM-2 Weights: " + key_check + "; wrote " + out + " (source SHA-256 " +
				provenance.sourceSha256() + ")");
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Import SAM-2 Weights: " + e.getMessage(), e);
		}
		finally {
			status(null);
		}
	}

	/** The configuration named by {@code config}: a preset, a config.json, or the preset the shapes show. */
	private Sam2Config configuration(final StateDict weights, final Path source) throws IOException {
		final String value = config == null ? "" : config.trim();
		if (value.isEmpty() || value.equalsIgnoreCase(AUTO)) {
			final Map<String, long[]> shapes = Sam2Presets.shapes(weights);
			final List<String> matching = Sam2Presets.matching(shapes);
			if (matching.size() == 1) return Sam2Config.preset(matching.get(0));
			if (matching.size() > 1) throw new InvalidInputException("checkpoint " + source + " fits several presets " + matching +
				"; choose one with key 'config'");
			throw new InvalidInputException("checkpoint " + source + " fits none of the SAM 2 v1 presets (keys missing, unexpected or of another shape: " +
				Sam2Presets.problems(shapes) + "); give key 'config' the config.json the checkpoint was made with");
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

	/** Every problem of the key check, and the preset the checkpoint does fit when there is one. */
	private static InvalidInputException mismatch(final Path source, final StateDictCheck check, final StateDict weights,
		final Sam2Config configuration)
	{
		final List<String> matching = Sam2Presets.matching(Sam2Presets.shapes(weights));
		return new InvalidInputException("checkpoint " + source + " does not fit configuration '" + configuration.name() + "': " +
			check.summary() + (matching.isEmpty() ? "" : "; it fits preset '" + matching.get(0) + "': use config=" + matching.get(0) +
				" or config=auto"));
	}

	private Path outputFile(final Path source) throws IOException {
		final Path out;
		if (output != null && !output.getPath().isEmpty()) out = output.toPath();
		else {
			String stem = source.getFileName().toString();
			final int dot = stem.lastIndexOf('.');
			if (dot > 0) stem = stem.substring(0, dot);
			out = sss.modelsFolder().resolve(stem + Sam2ModelFiles.EXTENSION);
		}
		final Path parent = out.toAbsolutePath().getParent();
		if (parent != null) Files.createDirectories(parent);
		if (Files.isDirectory(out)) throw new InvalidInputException("key 'output': " + out + " is a folder; give the model file to write");
		return out;
	}

	private void status(final String message) {
		if (status == null) return;
		if (message == null) status.clearStatus();
		else status.showStatus(message);
	}
}
