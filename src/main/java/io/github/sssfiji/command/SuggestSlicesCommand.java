package io.github.sssfiji.command;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Dataset;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.train.SliceSuggestions;
import io.github.sssfiji.sss.train.SliceSuggestions.Suggestion;
import io.github.sssfiji.sss.train.TrainingData;
import io.github.sssfiji.sss.train.TrainingSlice;

/**
 * {@code Plugins > Segmentation > SSS > SSS Suggest Slices}: which unlabelled slices to label next,
 * ranked by what a trained {@code .sss} model does not know about them ({@link SliceSuggestions}:
 * uncertainty, PCSW's rejected pixels and, for a model that reads prompts, where prompted and
 * unprompted predictions disagree; no two within {@code spacing} slices of each other in a volume;
 * by default from {@code clusters} groups of like slices, the least labelled first, the most typical
 * slice of a group or without {@code typical} the best-scored; with {@code clusters=none} spread over
 * subjects and over {@code strata} depth ranges per volume instead), as the CLI's {@code suggest}
 * takes them.
 * <p>
 * The slices are the unlabelled items of a dataset folder ({@code data}, with {@code split}, as
 * {@code suggest --data}) or, without one, every slice of the open {@code image}, one volume. The
 * best {@code count} become the {@code table} (shown as "SSS Suggestions"; in a macro the Results
 * table), the CSV file {@code output} when given (the CLI's columns, written atomically; required for
 * a folder, where it is the only mark), and for an image one full-slice rectangle per suggestion on
 * its slice, named with rank and score, in the image's overlay (replacing the suggestions of an
 * earlier run) and, with a display, in the ROI Manager.
 * </p>
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Suggest Slices", headless = true)
public class SuggestSlicesCommand implements Command {

	/** The title of the table and the start of the names of the slice marks. */
	static final String TITLE = "SSS Suggestions";

	@Parameter
	SssService sss;

	@Parameter(required = false)
	StatusService status;

	@Parameter(required = false)
	LogService log;

	@Parameter(label = "Model file (.sss)", style = "open", persist = false)
	File model;

	@Parameter(label = "Dataset folder (its unlabelled items; empty: the image below)", style = "directory", required = false, persist = false)
	File data;

	@Parameter(label = "Split (ACDC: 1, 3, 7 or a labeled.txt; nnU-Net: a fold; plain folders: empty)", required = false)
	String split = "";

	@Parameter(label = "Image (a stack of unlabelled slices; when no dataset folder is given)", required = false)
	ImagePlus image;

	@Parameter(label = "Slices to suggest", min = "1")
	int count = 10;

	@Parameter(label = "Keep suggestions of a volume this many slices apart (0 = neighbours allowed)", min = "0")
	int spacing = 2;

	@Parameter(label = "Groups of like slices to spread suggestions over, the least labelled first (auto, a count, or none for depth ranges)", required = false)
	String clusters = SliceSuggestions.AUTO_CLUSTERS;

	@Parameter(label = "Within a group, the most typical slice instead of the least known one (with groups only)", required = false)
	boolean typical = true;

	@Parameter(label = "With clusters=none: depth ranges per volume to spread suggestions over (1 = subjects only, 0 = by score only)", min = "0")
	int strata = SliceSuggestions.STRATA;

	@Parameter(label = "Slices per batch", min = "1")
	int batch = 8;

	@Parameter(label = "CSV file to write (required for a dataset folder; optional for an image)", style = "save", required = false, persist = false)
	File output;

	@Parameter(type = ItemIO.OUTPUT)
	ResultsTable table;

	@Override
	public void run() {
		if (model == null || model.getPath().isEmpty()) throw new InvalidInputException("key 'model': give a model file (.sss) made by SSS Train");
		// bad keys are reported before the model is loaded
		check();
		try {
			try (SssService.Lease<SssModel> net = sss.lease(model.toPath(), SssModel.class, SssModel::load)) {
				suggest(net.get().network(), net.get().inputSize());
			}
		}
		catch (final IOException e) {
			throw new IllegalStateException(TITLE + ": " + e.getMessage(), e);
		}
		finally {
			if (status != null) status.clearStatus();
		}
	}

	/** Ranks the slices with {@code net} (trained at {@code inputSize}) and makes the table, the CSV and the marks. */
	void suggest(final Network net, final int inputSize) throws IOException {
		check();
		final boolean folder = folder();
		final Path csv = csv();
		final TrainingData slices = folder ? folderSlices() : null;
		final List<List<TrainingSlice>> volumes = folder ? slices.unlabelledVolumes() : List.of(TrainingData.unlabelledVolume(MedicalImagePlus
			.fromImagePlus(image, "imagej")));
		final List<TrainingSlice> labelled = folder ? slices.labelled() : List.of();
		final int groups = SliceSuggestions.clusters(clusters);
		final int all = labelled.size() + volumes.stream().mapToInt(List::size).sum();
		if (groups > all) throw new InvalidInputException("key 'clusters': " + groups + " is more than the " + all + " slices");
		final String source = folder ? data.toString() : image.getTitle();
		if (status != null) status.showStatus(TITLE + ": " + source);
		final long start = System.nanoTime();
		final List<Suggestion> picked;
		try (NDManager root = sss.newManager()) {
			// typical is ticked by default; without groups there is nothing to be typical of, so it does not apply
			picked = SliceSuggestions.suggest(net, labelled, volumes, count, spacing, strata, groups, typical && groups >= 0, inputSize, batch, root);
		}
		if (csv != null) AtomicFiles.writeString(csv, SliceSuggestions.csv(picked));
		table = table(picked, !folder);
		if (!GraphicsEnvironment.isHeadless()) table.show(TITLE);
		if (!folder) mark(picked);
		if (log != null) log.info(String.format(Locale.ROOT, "%s: %d of %d unlabelled slices of %s suggested%s (%.1f s)", TITLE, picked.size(),
			volumes.stream().mapToInt(List::size).sum(), source, csv == null ? "" : " -> " + csv, (System.nanoTime() - start) / 1e9));
	}

	/** Refuses bad keys, naming them. */
	private void check() {
		if (count < 1) throw new InvalidInputException("key 'count': " + count + " must be at least 1");
		if (spacing < 0) throw new InvalidInputException("key 'spacing': " + spacing + " must be at least 0");
		if (strata < 0) throw new InvalidInputException("key 'strata': " + strata + " must be at least 0");
		if (batch < 1) throw new InvalidInputException("key 'batch': " + batch + " must be at least 1");
		try {
			SliceSuggestions.clusters(clusters);
		}
		catch (final IllegalArgumentException e) {
			throw new InvalidInputException("key 'clusters': " + e.getMessage());
		}
		final Path csv = csv();
		if (folder() && csv == null) throw new InvalidInputException("key 'output': give the CSV file to write the suggestions for " + data + " to");
		if (csv != null && Files.isDirectory(csv)) throw new InvalidInputException("key 'output': " + csv + " is a folder; give a CSV file");
		if (!folder() && image == null) throw new InvalidInputException("key 'image': open a stack to suggest slices of, or give a dataset folder (key 'data')");
	}

	private boolean folder() {
		return data != null && !data.getPath().isEmpty();
	}

	/** The CSV file to write, or {@code null}. */
	private Path csv() {
		return output == null || output.getPath().isEmpty() ? null : output.toPath();
	}

	/** The slices of the dataset folder, read as the CLI's {@code suggest} reads them. */
	private TrainingData folderSlices() throws IOException {
		final Dataset dataset = Datasets.open(data.toPath(), split == null ? "" : split.trim(), ImageFiles.imageReader());
		if (dataset.unlabelled().isEmpty()) throw new InvalidInputException("key 'data': " + data + ": the dataset has no unlabelled items to suggest from");
		return TrainingData.load(dataset, true, LogLines.to(log, TITLE + ": "));
	}

	/** The CSV's columns; for an image also {@code image_slice}, the slice's number in the stack (from 1), as ImageJ counts. */
	private static ResultsTable table(final List<Suggestion> picked, final boolean image) {
		final ResultsTable table = new ResultsTable();
		for (int i = 0; i < picked.size(); i++) {
			final Suggestion s = picked.get(i);
			table.incrementCounter();
			table.addValue("rank", i + 1);
			table.addValue("name", s.name());
			table.addValue("volume", s.volume());
			table.addValue("slice", s.slice());
			if (image) table.addValue("image_slice", s.slice() + 1);
			table.addValue("score", s.score());
			table.addValue("entropy", s.entropy());
			table.addValue("rejected", s.rejected());
			table.addValue("disagreement", s.disagreement());
			table.addValue("subject", s.subject());
		}
		return table;
	}

	/** One full-slice rectangle per suggestion on its slice: in the image's overlay, instead of those of an earlier run, and in the ROI Manager. */
	private void mark(final List<Suggestion> picked) {
		final Overlay overlay = image.getOverlay() != null ? image.getOverlay() : new Overlay();
		for (final Roi old : overlay.toArray())
			if (old.getName() != null && old.getName().startsWith(TITLE)) overlay.remove(old);
		// a truly headless ImageJ has no ROI Manager: even the hidden one of batch mode is a Frame
		final RoiManager manager = GraphicsEnvironment.isHeadless() ? null : RoiManager.getRoiManager();
		for (int i = 0; i < picked.size(); i++) {
			final Suggestion s = picked.get(i);
			final Roi roi = new Roi(0, 0, image.getWidth(), image.getHeight());
			roi.setName(String.format(Locale.ROOT, "%s #%d: slice %d (score %.4f)", TITLE, i + 1, s.slice() + 1, s.score()));
			// a hyperstack's volume runs along z, or along t when it has one slice (as MedicalImagePlus reads it)
			if (!image.isHyperStack()) roi.setPosition(s.slice() + 1);
			else if (image.getNSlices() > 1) roi.setPosition(1, s.slice() + 1, 1);
			else roi.setPosition(1, 1, s.slice() + 1);
			overlay.add(roi);
			if (manager != null) manager.addRoi((Roi) roi.clone());
		}
		image.setOverlay(overlay);
	}
}
