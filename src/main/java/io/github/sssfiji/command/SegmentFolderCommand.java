package io.github.sssfiji.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.OutputFormat;
import io.github.sssfiji.sss.predict.PredictFiles;
import io.github.sssfiji.sss.predict.Shard;

/**
 * {@code Plugins > Segmentation > SSS > SSS Segment Folder}: a label map for every image file of the
 * {@code input} folder whose name matches {@code file_filter}, written as
 * {@code <output>/<base name>.nii.gz} ({@code format} {@code nifti}) or {@code <base name>.tif}
 * ({@code tiff}, an ImageJ stack calibrated in the input's unit) with the input's geometry
 * ({@link PredictFiles}).
 * <p>
 * The image files are those a reader takes ({@link ImageFiles#scan}: NIfTI, HDF5, TIFF, DICOM, and
 * with Bio-Formats, as in Fiji, every format it knows); each other file is named in the Log with
 * the reason it was skipped. {@code file_filter} is a glob on the file name ({@code *} any
 * characters, {@code ?} one, {@code {a,b}} either, e.g. {@code *.nii.gz} or {@code patient0{1,2}*});
 * empty means every image file SSS reads. A file whose label map already exists is skipped (unless {@code overwrite}), so an
 * interrupted batch can be run again to finish it; a file that cannot be read or segmented is
 * reported and the batch goes on. Each label map is written atomically. {@code confidence} adds
 * {@code <base name>.confidence.nii.gz} (per voxel the largest class probability) and
 * {@code <base name>.entropy.nii.gz} (entropy of the class probabilities, nats; {@code .tif} in
 * TIFF), float32, written
 * before the label map so that an existing label map marks all the outputs of a file done;
 * {@code tta} averages the probabilities of each image and of its mirror along x. {@code shard}
 * {@code i/n} segments only the files of shard {@code i} of {@code n} ({@link Shard}: by a hash of the
 * base name, so the shards of a job array's tasks are disjoint and cover the folder; empty = all), for
 * tasks of a cluster job array that write into one output folder. The model and the arrays
 * are on the device of SSS Options. The {@code summary} output (also logged) counts the files
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

	@Parameter(label = "Label map format", choices = { "nifti", "tiff" })
	String format = "nifti";

	@Parameter(label = "Slices per batch", min = "1")
	int batch = 8;

	/** Not remembered between runs: replacing label maps should be asked for each time. */
	@Parameter(label = "Overwrite existing label maps", persist = false)
	boolean overwrite = false;

	/** Not remembered between runs, like {@code overwrite}: two more files per image should be asked for each time. */
	@Parameter(label = "Also write confidence and entropy maps", persist = false)
	boolean confidence = false;

	@Parameter(label = "Flip test-time augmentation (average with the x mirror)")
	boolean tta = false;

	/** Not remembered between runs: a remembered shard would silently leave out files in the next run. */
	@Parameter(label = "Shard i/n (only part i of n of the files, e.g. 2/8; empty = all)", required = false, persist = false)
	String shard = "";

	@Parameter(type = ItemIO.OUTPUT)
	String summary;

	/** The files of the input folder (matching the filter) that no reader takes, with the reason. */
	private List<ImageFiles.Skipped> unreadable = List.of();

	@Override
	public void run() {
		final StopSignal stop = new StopSignal(this);
		try {
			if (model == null || model.getPath().isEmpty()) throw new InvalidInputException("key 'model': give a model file (.sss) made by SSS Train");
			if (batch < 1) throw new InvalidInputException("key 'batch': " + batch + " must be at least 1");
			final Path in = folder(input, "input"), out = folder(output, "output").toAbsolutePath().normalize();
			if (in.toAbsolutePath().normalize().equals(out))
				throw new InvalidInputException("key 'output': " + out + " is the input folder; choose another folder for the label maps");
			final Shard part = Shard.parse(shard, "key 'shard'");
			final OutputFormat outputFormat = OutputFormat.parse(format, "key 'format'");
			final List<Path> all = files(in);
			// clashing label map names fail here, before the model is loaded, over all files so that every shard refuses a clash alike
			PredictFiles.targets(all, out, outputFormat, confidence, "key 'output'");
			final List<Path> files = part.select(all);
			// a shard with no files does nothing, not even load the model
			final PredictFiles.Outcome outcome = files.isEmpty() ? new PredictFiles.Outcome(List.of(), List.of(), List.of(), 0)
				: segment(files, out, outputFormat, stop);
			summary = summary(outcome, stop, out, part, files.size(), all.size(), unreadable);
			if (log != null) {
				if (outcome.failed().isEmpty()) log.info("SSS Segment Folder: " + summary);
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

	private PredictFiles.Outcome segment(final List<Path> files, final Path out, final OutputFormat outputFormat, final StopSignal stop)
		throws IOException
	{
		try (SssService.Lease<SssModel> net = sss.lease(model.toPath(), SssModel.class, SssModel::load); NDManager root = sss.newManager()) {
			return PredictFiles.run(net.get(), files, out, outputFormat, batch, overwrite, confidence, tta, root, new PredictFiles.Listener() {

				@Override
				public boolean stopRequested() {
					return stop.requested();
				}

				@Override
				public void starting(final int index, final int total, final Path file) {
					if (status != null) status.showStatus(index, total, "SSS Segment Folder: " + file.getFileName() + " (" + (index + 1) + "/" + total + ")");
				}

				@Override
				public void written(final Path file, final Path target, final double seconds) {
					info(String.format(Locale.ROOT, "%s -> %s (%.1f s)", file.getFileName(), target, seconds));
				}

				@Override
				public void skipped(final Path file, final Path target) {
					info("skipped " + file.getFileName() + ": " + target.getFileName() + " exists");
				}

				@Override
				public void failed(final Path file, final String reason) {
					if (log != null) log.error("SSS Segment Folder: " + file.getFileName() + " failed: " + reason);
				}
			});
		}
	}

	private static String summary(final PredictFiles.Outcome outcome, final StopSignal stop, final Path out, final Shard part, final int selected,
		final int total, final List<ImageFiles.Skipped> unreadable)
	{
		final StringBuilder text = new StringBuilder(outcome.counts());
		if (outcome.notProcessed() > 0) text.append(", ").append(outcome.notProcessed()).append(" not processed: ").append(stop.reason());
		if (!part.all()) text.append("; shard ").append(part).append(": ").append(selected).append(" of ").append(total).append(" files");
		text.append("; label maps in ").append(out);
		if (!unreadable.isEmpty()) text.append("; ").append(unreadable.size()).append(unreadable.size() == 1 ? " file" : " files")
			.append(" no reader takes, skipped (see the Log)");
		if (!outcome.failed().isEmpty())
			text.append("; failed: ").append(String.join("; ", outcome.failed().stream().map(PredictFiles.Failure::toString).toList()));
		return text.toString();
	}

	private static Path folder(final File folder, final String key) {
		if (folder == null || folder.getPath().isEmpty()) throw new InvalidInputException("key '" + key + "': give a folder");
		final Path path = folder.toPath();
		if (Files.exists(path) && !Files.isDirectory(path)) throw new InvalidInputException("key '" + key + "': " + path + " is a file, not a folder");
		return path;
	}

	/** The image files of the input folder that match the filter, sorted by name; the other files that match are logged as skipped, with the reason. */
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
		final ImageFiles.Listing listing = ImageFiles.scan(in);
		final List<ImageFiles.Skipped> skipped = listing.skipped().stream().filter(s -> matcher == null || matcher.matches(s.file().getFileName())).toList();
		unreadable = skipped;
		for (final ImageFiles.Skipped file : skipped)
			if (log != null) log.warn("SSS Segment Folder: skipped " + file);
		final List<Path> files = listing.images().stream().filter(p -> matcher == null || matcher.matches(p.getFileName())).toList();
		if (files.isEmpty())
			throw new InvalidInputException("key 'input': " + in + " holds no image file" + (matcher == null ? "" : " matching file_filter '" + glob +
				"'") + (skipped.isEmpty() ? "" : " (skipped " + skipped.get(0) + (skipped.size() > 1 ? "; and " + (skipped.size() - 1) + " more" : "") + ")"));
		return files;
	}

	private void info(final String line) {
		if (log != null) log.info("SSS Segment Folder: " + line);
	}
}
