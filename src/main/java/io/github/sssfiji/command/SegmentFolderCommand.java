package io.github.sssfiji.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.PredictFiles;

/**
 * {@code Plugins > Segmentation > SSS > SSS Segment Folder}: a label map for every image file of the
 * {@code input} folder whose name matches {@code file_filter}, written as
 * {@code <output>/<base name>.nii.gz} with the input's geometry ({@link PredictFiles}).
 * <p>
 * {@code file_filter} is a glob on the file name ({@code *} any characters, {@code ?} one,
 * {@code {a,b}} either, e.g. {@code *.nii.gz} or {@code patient0{1,2}*}); empty means every image
 * file SSS reads. A file whose label map already exists is skipped, so an interrupted batch can be run
 * again to finish it; a file that cannot be read or segmented is reported and the batch goes on.
 * Each label map is written atomically. The {@code summary} output (also logged) counts the files
 * done, skipped and failed. Progress shows per file; cancelling (or Esc in ImageJ) stops between
 * files.
 * </p>
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Segment Folder", headless = true)
public class SegmentFolderCommand extends ContextCommand {

	@Parameter
	SssService sss;

	@Parameter(required = false)
	StatusService status;

	@Parameter(required = false)
	LogService log;

	@Parameter(label = "Model file (.sss)", style = "open", persist = false)
	File model;

	@Parameter(label = "Input folder", style = "directory", persist = false)
	File input;

	@Parameter(label = "Output folder", style = "directory", persist = false)
	File output;

	@Parameter(label = "File name filter (glob, e.g. *.nii.gz; empty = all images)", required = false)
	String file_filter = "";

	@Parameter(label = "Slices per batch", min = "1")
	int batch = 8;

	@Parameter(type = ItemIO.OUTPUT)
	String summary;

	@Override
	public void run() {
		final StopSignal stop = new StopSignal(this);
		try {
			if (model == null || model.getPath().isEmpty()) throw new InvalidInputException("key 'model': give a model file (.sss) made by SSS Train");
			if (batch < 1) throw new InvalidInputException("key 'batch': " + batch + " must be at least 1");
			final Path in = folder(input, "input"), out = folder(output, "output").toAbsolutePath().normalize();
			if (in.toAbsolutePath().normalize().equals(out))
				throw new InvalidInputException("key 'output': " + out + " is the input folder; choose another folder for the label maps");
			final List<Path> files = files(in);
			final Map<Path, Path> targets = PredictFiles.targets(files, out);
			final SssModel net = sss.model(model.toPath(), SssModel.class, (file, device) -> SssModel.load(file));
			Files.createDirectories(out);
			int done = 0;
			final List<String> skipped = new ArrayList<>(), failed = new ArrayList<>();
			int left = 0;
			try (NDManager root = Engines.pytorch().newBaseManager()) {
				for (int i = 0; i < files.size(); i++) {
					if (stop.requested()) {
						left = files.size() - i;
						break;
					}
					final Path file = files.get(i), target = targets.get(file);
					final String name = file.getFileName().toString();
					if (status != null) status.showStatus(i, files.size(), "SSS Segment Folder: " + name + " (" + (i + 1) + "/" + files.size() + ")");
					if (Files.exists(target)) {
						skipped.add(name);
						info("skipped " + name + ": " + target.getFileName() + " exists");
						continue;
					}
					try {
						final long start = System.nanoTime();
						PredictFiles.predictFile(net, file, target, batch, root);
						done++;
						info(String.format(Locale.ROOT, "%s -> %s (%.1f s)", name, target, (System.nanoTime() - start) / 1e9));
					}
					catch (final IOException | RuntimeException e) {
						final String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
						failed.add(name + " (" + message + ")");
						if (log != null) log.error("SSS Segment Folder: " + name + " failed: " + message);
					}
				}
			}
			summary = summary(done, skipped, failed, left, stop, out);
			if (log != null) {
				if (failed.isEmpty()) log.info("SSS Segment Folder: " + summary);
				else log.warn("SSS Segment Folder: " + summary);
			}
		}
		catch (final IOException e) {
			throw new IllegalStateException("SSS Segment Folder: " + e.getMessage(), e);
		}
		finally {
			if (status != null) status.clearStatus();
			stop.restoreInterrupt();
		}
	}

	private static String summary(final int done, final List<String> skipped, final List<String> failed, final int left, final StopSignal stop,
		final Path out)
	{
		final StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d done, %d skipped (label map exists), %d failed", done,
			skipped.size(), failed.size()));
		if (left > 0) text.append(", ").append(left).append(" not processed: ").append(stop.reason());
		text.append("; label maps in ").append(out);
		if (!failed.isEmpty()) text.append("; failed: ").append(String.join("; ", failed));
		return text.toString();
	}

	private static Path folder(final File folder, final String key) {
		if (folder == null || folder.getPath().isEmpty()) throw new InvalidInputException("key '" + key + "': give a folder");
		final Path path = folder.toPath();
		if (Files.exists(path) && !Files.isDirectory(path)) throw new InvalidInputException("key '" + key + "': " + path + " is a file, not a folder");
		return path;
	}

	/** The image files of the input folder that match the filter, sorted by name. */
	private List<Path> files(final Path in) throws IOException {
		if (!Files.isDirectory(in)) throw new InvalidInputException("key 'input': " + in + ": folder not found");
		final String glob = file_filter == null ? "" : file_filter.trim();
		final PathMatcher matcher;
		try {
			matcher = glob.isEmpty() ? null : FileSystems.getDefault().getPathMatcher("glob:" + glob);
		}
		catch (final IllegalArgumentException e) {
			throw new InvalidInputException("key 'file_filter': '" + glob + "' is not a valid glob pattern (" + e.getMessage() + ")", e);
		}
		final List<Path> files = ImageFiles.list(in).stream().filter(p -> matcher == null || matcher.matches(p.getFileName())).toList();
		if (files.isEmpty())
			throw new InvalidInputException("key 'input': " + in + " holds no image file" + (matcher == null ? "" : " matching file_filter '" + glob + "'"));
		return files;
	}

	private void info(final String line) {
		if (log != null) log.info("SSS Segment Folder: " + line);
	}
}
