package io.github.sssfiji.sss.train;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import io.github.sssfiji.io.AtomicFiles;

/**
 * What a training run leaves to be looked at, for the CLI's {@code train} and SSS Train alike: the
 * run folder's {@value #CSV} and {@value #PNG}, and in SSS Train with a display the same plot live.
 * <p>
 * {@value #CSV} has one row per event, appended as training goes: {@code log} rows every
 * {@code logInterval} iterations (the losses, the unlabelled loss's weight and the confident share
 * averaged over the iterations since the previous log row of this run, the learning rate of the
 * row's iteration) and {@code validation} rows (Dice per class and mean of the network kept, and the
 * mean of the {@code teacher} and of the {@code student} where both are scored). Empty cells are
 * values the event does not have. A resumed run keeps the rows up to its checkpoint's iteration and
 * drops those a killed run wrote after it, so no iteration is recorded twice; a new run starts the file
 * anew.
 * </p>
 * <p>
 * {@value #PNG} is two ImageJ 1.x {@link Plot}s stacked in one image, the losses over the iterations
 * above the validation Dice per class and mean below, drawn headless and rewritten atomically at each
 * validation and log row. With {@code show} the same image is shown in a window and redrawn there.
 * </p>
 */
public final class TrainingMetrics implements TrainingListener {

	/** The metrics table in the run folder. */
	public static final String CSV = "metrics.csv";

	/** The plot in the run folder. */
	public static final String PNG = "training.png";

	static final String LOG = "log", VALIDATION = "validation";

	private static final int WIDTH = 640, HEIGHT = 300;
	private static final Color[] CLASS_COLOURS = { new Color(0xd62728), new Color(0x2ca02c), new Color(0x1f77b4), new Color(0xff7f0e),
		new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf) };

	private final Path folder;
	private final List<String> classNames;
	private final int logInterval;
	private final boolean show;
	private final List<String> header;
	private final List<double[]> rows = new ArrayList<>();
	private final List<String> events = new ArrayList<>();
	private ImagePlus window;

	/** Sums since the last log row: loss, labelled, unlabelled, weight, confident; and their counts. */
	private final double[] sums = new double[5];
	private final int[] counts = new int[5];

	/**
	 * @param folder the run folder
	 * @param classNames the classes by label value, background first
	 * @param logInterval iterations between log rows (the run's {@code logInterval})
	 * @param show whether to show the plot in a window (SSS Train with a display)
	 */
	public TrainingMetrics(final Path folder, final List<String> classNames, final int logInterval, final boolean show) {
		this.folder = folder;
		this.classNames = List.copyOf(classNames);
		this.logInterval = logInterval;
		this.show = show;
		final List<String> columns = new ArrayList<>(List.of("iteration", "event", "loss", "labelled_loss", "unlabelled_loss", "unlabelled_weight", "lr",
			"confident"));
		for (final String name : this.classNames.subList(1, this.classNames.size()))
			columns.add("dice_" + name);
		columns.addAll(List.of("dice_mean", "teacher_mean", "student_mean"));
		header = List.copyOf(columns);
	}

	/** The CSV's columns, in order. */
	public List<String> header() {
		return header;
	}

	@Override
	public void started(final long completedIterations) {
		rows.clear();
		events.clear();
		Arrays.fill(sums, 0);
		Arrays.fill(counts, 0);
		final Path csv = folder.resolve(CSV);
		try {
			if (completedIterations > 0 && Files.isRegularFile(csv)) {
				final List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
				if (!lines.isEmpty() && lines.get(0).equals(String.join(",", header)))
					for (final String line : lines.subList(1, lines.size()))
						keep(line, completedIterations);
			}
			final StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
			for (int i = 0; i < rows.size(); i++)
				text.append(line(events.get(i), rows.get(i))).append('\n');
			AtomicFiles.writeString(csv, text.toString());
			if (!rows.isEmpty()) draw();
		}
		catch (final IOException e) {
			throw new IllegalStateException(csv + ": " + e.getMessage(), e);
		}
	}

	/** Keeps a row of an earlier part of the run when it is whole and not after {@code completed}. */
	private void keep(final String line, final long completed) {
		final String[] cells = line.split(",", -1);
		if (cells.length != header.size() || !(cells[1].equals(LOG) || cells[1].equals(VALIDATION))) return;
		final double[] row = new double[header.size()];
		try {
			for (int i = 0; i < cells.length; i++)
				row[i] = i == 1 || cells[i].isEmpty() ? Double.NaN : Double.parseDouble(cells[i]);
		}
		catch (final NumberFormatException e) {
			return;
		}
		if (row[0] > completed) return;
		rows.add(row);
		events.add(cells[1]);
	}

	@Override
	public void iteration(final StepResult result) {
		final double[] values = { result.loss(), result.labelledLoss(), result.unlabelledLoss(), result.unlabelledWeight(), result.confidentFraction() };
		for (int i = 0; i < values.length; i++)
			if (Double.isFinite(values[i])) {
				sums[i] += values[i];
				counts[i]++;
			}
		final long completed = result.iteration() + 1;
		if (completed % logInterval != 0) return;
		final double[] row = empty(completed);
		for (int i = 0; i < values.length; i++)
			row[i == 4 ? 7 : 2 + i] = counts[i] == 0 ? Double.NaN : sums[i] / counts[i];
		row[6] = result.lr();
		Arrays.fill(sums, 0);
		Arrays.fill(counts, 0);
		append(LOG, row);
	}

	@Override
	public void validated(final long completedIterations, final double[] classDice, final Map<String, Double> networkMeans) {
		final double[] row = empty(completedIterations);
		for (int c = 1; c < classNames.size(); c++)
			row[7 + c] = classDice[c];
		row[7 + classNames.size()] = classDice[classDice.length - 1];
		if (networkMeans.size() > 1) {
			row[8 + classNames.size()] = networkMeans.getOrDefault("teacher", Double.NaN);
			row[9 + classNames.size()] = networkMeans.getOrDefault("student", Double.NaN);
		}
		append(VALIDATION, row);
	}

	private double[] empty(final long iteration) {
		final double[] row = new double[header.size()];
		Arrays.fill(row, Double.NaN);
		row[0] = iteration;
		return row;
	}

	private void append(final String event, final double[] row) {
		rows.add(row);
		events.add(event);
		final Path csv = folder.resolve(CSV);
		try {
			Files.writeString(csv, line(event, row) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			draw();
		}
		catch (final IOException e) {
			throw new IllegalStateException(csv + ": " + e.getMessage(), e);
		}
	}

	private static String line(final String event, final double[] row) {
		final StringBuilder line = new StringBuilder().append((long) row[0]).append(',').append(event);
		for (int i = 2; i < row.length; i++) {
			line.append(',');
			if (Double.isFinite(row[i])) line.append(i == 6 ? String.format(Locale.ROOT, "%.6g", row[i]) : String.format(Locale.ROOT, "%.6f", row[i]));
		}
		return line.toString();
	}

	/** Draws both plots, writes {@value #PNG} atomically and updates the window when shown. */
	private void draw() throws IOException {
		final ImageProcessor image = image();
		AtomicFiles.write(folder.resolve(PNG), out -> ImageIO.write(image.getBufferedImage(), "png", out));
		if (!show) return;
		if (window == null) {
			window = new ImagePlus("SSS Train: " + folder.getFileName(), image);
			window.show();
		}
		else {
			window.setProcessor(image);
			window.updateAndDraw();
		}
	}

	/** The two plots, losses above Dice, in one RGB image. */
	ImageProcessor image() {
		final ImageProcessor losses = lossPlot().getProcessor().convertToRGB(), dice = dicePlot().getProcessor().convertToRGB();
		final ColorProcessor both = new ColorProcessor(Math.max(losses.getWidth(), dice.getWidth()), losses.getHeight() + dice.getHeight());
		both.setColor(Color.WHITE);
		both.fill();
		both.insert(losses, 0, 0);
		both.insert(dice, 0, losses.getHeight());
		return both;
	}

	private Plot lossPlot() {
		final Plot plot = new Plot("losses", "iteration", "loss (mean since the previous row)");
		plot.setSize(WIDTH, HEIGHT);
		final StringBuilder legend = new StringBuilder();
		series(plot, LOG, 2, Color.BLACK, "total", legend);
		series(plot, LOG, 3, new Color(0x1f77b4), "labelled", legend);
		series(plot, LOG, 4, new Color(0xd62728), "unlabelled", legend);
		if (legend.length() > 0) {
			plot.addLegend(legend.toString());
			// Plot scales to its first data set: the range of all three, from 0
			double top = 0;
			for (int index = 2; index <= 4; index++)
				for (final double y : column(LOG, index, index))
					top = Math.max(top, y);
			final double[] x = column(LOG, 0, 2);
			plot.setLimits(0, Math.max(1, x[x.length - 1]), 0, top > 0 ? 1.05 * top : 1);
		}
		else plot.addLabel(0.4, 0.5, "no log rows yet");
		return plot;
	}

	private Plot dicePlot() {
		final Plot plot = new Plot("validation Dice", "iteration", "validation Dice");
		plot.setSize(WIDTH, HEIGHT);
		final StringBuilder legend = new StringBuilder();
		for (int c = 1; c < classNames.size(); c++)
			series(plot, VALIDATION, 7 + c, CLASS_COLOURS[(c - 1) % CLASS_COLOURS.length], classNames.get(c), legend);
		plot.setLineWidth(2);
		series(plot, VALIDATION, 7 + classNames.size(), Color.BLACK, "mean", legend);
		plot.setLineWidth(1);
		if (legend.length() > 0) {
			plot.addLegend(legend.toString());
			final double[] x = column(VALIDATION, 0, 7 + classNames.size());
			plot.setLimits(0, Math.max(1, x[x.length - 1]), 0, 1);
		}
		else plot.addLabel(0.3, 0.5, "no validation yet (no validation volumes, or none run)");
		return plot;
	}

	/** Adds the finite values of column {@code index} of the {@code event} rows as a line with points. */
	private void series(final Plot plot, final String event, final int index, final Color colour, final String label, final StringBuilder legend) {
		final double[] x = column(event, 0, index), y = column(event, index, index);
		if (y.length == 0) return;
		plot.setColor(colour);
		plot.add(y.length == 1 ? "circle" : "line", x, y);
		if (legend.length() > 0) legend.append('\t');
		legend.append(label);
	}

	/** Column {@code index} of the {@code event} rows whose column {@code finite} is finite. */
	private double[] column(final String event, final int index, final int finite) {
		final List<Double> values = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++)
			if (events.get(i).equals(event) && Double.isFinite(rows.get(i)[finite])) values.add(rows.get(i)[index]);
		return values.stream().mapToDouble(Double::doubleValue).toArray();
	}
}
