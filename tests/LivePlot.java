import java.awt.EventQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.ImageWindow;
import ij.plugin.ScreenGrabber;

/**
 * SSS Train's live plot on a real display, driven by tests/live-plot.sh under Xvfb (run as a Java source
 * file with the plugin jar and its dependencies on the class path): starts ImageJ 1.x with its window,
 * runs {@code SSS Train} from ImageJ's command table on the sample data (not in batch mode, as a user
 * starts it from the menu), and while it trains checks that the window {@code SSS Train: <run folder>}
 * appears on the screen and is redrawn as log and validation rows arrive; after training, that it shows
 * what {@code training.png} in the run folder holds, pixel for pixel. Saves a PNG of the screen.
 *
 * <pre>java -Dplugins.dir=IMAGEJ_DIR -cp CLASSPATH tests/LivePlot.java SAMPLE_DIR RUN_DIR OUT.png</pre>
 */
public class LivePlot {

	/** Iterations of the run and its log interval: a row, and a redraw, every 2 iterations. */
	private static final int ITERATIONS = 30, LOG_INTERVAL = 2, VALIDATION_INTERVAL = 10;

	public static void main(final String[] args) throws Exception {
		final Path sample = Paths.get(args[0]).toAbsolutePath(), run = Paths.get(args[1]).toAbsolutePath(), png = Paths.get(args[2]).toAbsolutePath();
		Files.createDirectories(run);
		final Path config = Files.writeString(run.resolve("live-plot.json"), "{\"logInterval\": " + LOG_INTERVAL + "}");
		final Path model = run.resolve("model.sss"), folder = run.resolve("model.training");
		final String title = "SSS Train: " + folder.getFileName();

		final ImageJ ij = new ImageJ();
		ij.setLocation(0, 0);
		final AtomicReference<Throwable> failure = new AtomicReference<>();
		// as from the menu: not a macro, so not in batch mode, on a thread of its own
		final Thread training = new Thread(() -> {
			try {
				IJ.run("SSS Train", "data=[" + sample + "] mode=sss iterations=" + ITERATIONS + " crop=32 batch=2 validation_interval=" +
					VALIDATION_INTERVAL + " budget_minutes=10 config=[" + config + "] output=[" + model + "]");
			}
			catch (final Throwable t) {
				failure.set(t);
			}
		}, "SSS Train (live plot check)");
		final long start = System.nanoTime();
		training.start();

		// the window's pixels while training runs: each new content is a redraw
		int redraws = 0;
		double shownAfter = -1;
		int[] seen = null;
		// the status bar's iteration, which SSS Train shows at every iteration
		int lastStatusIteration = 0;
		final java.util.regex.Pattern iteration = java.util.regex.Pattern.compile("SSS Train: iteration (\\d+)/");
		while (training.isAlive()) {
			final java.util.regex.Matcher status = iteration.matcher(String.valueOf(ImageJ.getStatusBarText()));
			if (status.find()) lastStatusIteration = Math.max(lastStatusIteration, Integer.parseInt(status.group(1)));
			final ImagePlus plot = WindowManager.getImage(title);
			final ImageWindow window = plot == null ? null : plot.getWindow();
			if (window != null && window.isShowing()) {
				if (shownAfter < 0) shownAfter = (System.nanoTime() - start) / 1e9;
				final int[] pixels = ((int[]) plot.getProcessor().getPixels()).clone();
				if (seen == null || !Arrays.equals(seen, pixels)) {
					redraws++;
					seen = pixels;
				}
			}
			Thread.sleep(100);
		}
		if (failure.get() != null) fail("SSS Train failed: " + failure.get());
		if (!Files.isRegularFile(model)) fail("SSS Train wrote no " + model);
		if (shownAfter < 0) fail("no window '" + title + "' was shown while training ran");
		// log rows every 2 iterations and validations: the window must have changed several times
		if (redraws < 3) fail("the window was drawn " + redraws + " times while training ran; a live plot is redrawn at each log row");
		// the bar follows the run to its end (it froze after a few iterations when its event handler was collected)
		if (lastStatusIteration < ITERATIONS - 5) fail("the status bar showed iteration " + lastStatusIteration + " of " + ITERATIONS + " at most");

		final ImagePlus plot = WindowManager.getImage(title);
		if (plot == null || plot.getWindow() == null || !plot.getWindow().isShowing()) fail("the window '" + title + "' is gone after training");
		final ImagePlus file = IJ.openImage(folder.resolve("training.png").toString());
		if (file == null) fail("no " + folder.resolve("training.png"));
		final int[] shown = (int[]) plot.getProcessor().getPixels(), written = (int[]) file.getProcessor().convertToRGB().getPixels();
		if (plot.getWidth() != file.getWidth() || plot.getHeight() != file.getHeight())
			fail("the window shows " + plot.getWidth() + " x " + plot.getHeight() + " pixels, training.png has " + file.getWidth() + " x " + file.getHeight());
		int differ = 0;
		// colours only: ImageJ keeps an opaque alpha in RGB pixels, a PNG read back may not
		for (int i = 0; i < shown.length; i++)
			if ((shown[i] & 0xffffff) != (written[i] & 0xffffff)) differ++;
		if (differ > 0) fail("the window shows other pixels than " + folder.resolve("training.png") + ": " + differ + " of " + shown.length + " differ");

		EventQueue.invokeAndWait(() -> {
			plot.getWindow().setLocation(0, ij.getHeight() + 4);
			plot.getWindow().toFront();
		});
		IJ.wait(1500); // let the window paint
		final ImagePlus screen = new ScreenGrabber().captureScreen();
		if (screen == null) fail("ScreenGrabber captured nothing (no display?)");
		final Path partial = Files.createTempFile(png.getParent(), ".live-plot", ".png");
		IJ.saveAs(screen, "PNG", partial.toString());
		Files.move(partial, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		System.out.printf("live plot: window '%s' shown %.1f s after SSS Train started, drawn %d times while %d iterations trained "
			+ "(status bar up to iteration %d); after training it shows training.png pixel for pixel; screen in %s%n", title, shownAfter, redraws,
			ITERATIONS, lastStatusIteration, png);
		System.out.println("LIVE PLOT OK");
		System.exit(0);
	}

	private static void fail(final String message) {
		System.err.println("live plot: " + message);
		System.exit(1);
	}
}
