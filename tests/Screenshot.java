import java.awt.EventQueue;
import java.awt.Color;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.plugin.ScreenGrabber;
import ij.plugin.frame.RoiManager;
import ij.process.LUT;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.ij1.MedicalImagePlus;

/**
 * The GUI look of SSS in plain ImageJ 1.x, driven by tests/screenshot.sh under Xvfb (run as a Java
 * source file with the plugin jar and its dependencies on the class path): opens a sample volume,
 * segments it with {@code SSS Segment Image} and a trained model, runs {@code SSS Generate Prompts
 * (PCSW)} on the predicted label volume, both through ImageJ's command table (the jar's
 * plugins.config), shows the prompts over the image next to the predicted labels and saves a PNG of
 * the screen.
 *
 * <pre>java -Dplugins.dir=IMAGEJ_DIR -cp CLASSPATH tests/Screenshot.java SAMPLE_DIR OUT.png SSS_MODEL</pre>
 */
public class Screenshot {

	/** Class colours (background, RV, myocardium, LV) of the prompts and of the label image's LUT. */
	private static final Color[] CLASS_COLOURS = { Color.BLACK, new Color(255, 80, 80), new Color(80, 255, 80), new Color(80, 160, 255) };
	private static final double ZOOM = 3;

	public static void main(final String[] args) throws Exception {
		final Path sample = Paths.get(args[0]);
		final Path png = Paths.get(args[1]);
		if (args.length < 3 || args[2].isEmpty()) fail("give the model file made by SSS Train or `sss-app.jar train` (tests/screenshot.sh trains one)");
		final String model = args[2];
		final Path imageFile = sample.resolve("test/images/synthetic_014.nii.gz");

		final ImageJ ij = new ImageJ();
		ij.setLocation(0, 0);

		final ImagePlus image = MedicalImagePlus.toImagePlus(ImageFiles.read(imageFile));
		image.setTitle("synthetic_014");
		image.show();

		// the real workflow: segment the volume, then PCSW prompts from the predicted labels
		IJ.run(image, "SSS Segment Image", "image=synthetic_014 model=[" + model + "]");
		final ImagePlus labels = WindowManager.getImage("synthetic_014-labels");
		if (labels == null) fail("SSS Segment Image showed no label image");
		IJ.run(labels, "SSS Generate Prompts (PCSW)", "input=synthetic_014-labels single_instance=true");
		final ImagePlus filtered = WindowManager.getImage("synthetic_014-labels-pcsw");
		if (filtered == null) fail("SSS Generate Prompts (PCSW) showed no filtered image");
		final Overlay prompts = filtered.getOverlay();
		if (prompts == null || prompts.size() == 0) fail("SSS Generate Prompts (PCSW) made no prompts from the predicted labels");
		final int slice = mostPromptedSlice(prompts, image.getNSlices());
		System.out.println("screenshot: " + prompts.size() / 2 + " prompts; showing slice " + slice + " of " + image.getNSlices());

		// the prompts over the MR image: boxes and clicks coloured by class
		final Overlay shown = prompts.duplicate();
		for (final Roi roi : shown) {
			roi.setStrokeColor(CLASS_COLOURS[Math.min(classOf(roi), CLASS_COLOURS.length - 1)]);
			roi.setStrokeWidth(1);
			if (roi instanceof PointRoi point) point.setSize(1);
		}
		image.setOverlay(shown);
		labels.setLut(classLut());
		labels.setDisplayRange(0, 255);
		EventQueue.invokeAndWait(() -> {
			image.setSlice(slice);
			labels.setSlice(slice);
			zoom(image);
			zoom(labels);
			final int top = ij.getHeight() + 4;
			image.getWindow().setLocation(0, top);
			labels.getWindow().setLocation(image.getWindow().getWidth() + 4, top);
			filtered.getWindow().setLocation(10000, 0); // out of the picture: its prompts are shown on the image
			final RoiManager manager = RoiManager.getInstance();
			if (manager != null) manager.setLocation(labels.getWindow().getX() + labels.getWindow().getWidth() + 4, top);
			for (final Window window : Window.getWindows())
				window.toFront();
			WindowManager.setCurrentWindow(image.getWindow());
		});
		IJ.wait(1000);
		// again: the ROI Manager may still move itself when its first ROIs arrive
		EventQueue.invokeAndWait(() -> {
			final RoiManager manager = RoiManager.getInstance();
			if (manager != null) manager.setLocation(labels.getWindow().getX() + labels.getWindow().getWidth() + 4, labels.getWindow().getY());
		});
		IJ.wait(1500); // let every window paint

		final ImagePlus screen = new ScreenGrabber().captureScreen();
		if (screen == null) fail("ScreenGrabber captured nothing (no display?)");
		final Path folder = png.toAbsolutePath().getParent();
		Files.createDirectories(folder);
		// atomic: a temporary file in the same folder, then a rename
		final Path partial = Files.createTempFile(folder, ".screenshot", ".png");
		IJ.saveAs(screen, "PNG", partial.toString());
		if (Files.size(partial) == 0) fail("could not write " + partial);
		Files.move(partial, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		System.out.println("screenshot: wrote " + png + " (" + screen.getWidth() + " x " + screen.getHeight() + ")");
		System.exit(0);
	}

	/** The label of a prompt ROI, named {@code class-slice}. */
	private static int classOf(final Roi roi) {
		return Integer.parseInt(roi.getName().substring(0, roi.getName().indexOf('-')));
	}

	/** The 1-based slice whose prompts cover the most classes; ties go to the slice nearest the middle. */
	private static int mostPromptedSlice(final Overlay prompts, final int slices) {
		final Map<Integer, TreeSet<Integer>> classes = new TreeMap<>();
		for (final Roi roi : prompts)
			classes.computeIfAbsent(roi.getPosition(), s -> new TreeSet<>()).add(classOf(roi));
		final double middle = (slices + 1) / 2.0;
		int best = classes.keySet().iterator().next();
		for (final Map.Entry<Integer, TreeSet<Integer>> e : classes.entrySet()) {
			final int count = e.getValue().size(), bestCount = classes.get(best).size();
			if (count > bestCount || count == bestCount && Math.abs(e.getKey() - middle) < Math.abs(best - middle)) best = e.getKey();
		}
		return best;
	}

	/** Background black, then the class colours; the rest of the 256 entries grey. */
	private static LUT classLut() {
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int i = 0; i < 256; i++) {
			final Color c = i < CLASS_COLOURS.length ? CLASS_COLOURS[i] : Color.GRAY;
			r[i] = (byte) c.getRed();
			g[i] = (byte) c.getGreen();
			b[i] = (byte) c.getBlue();
		}
		return new LUT(r, g, b);
	}

	private static void zoom(final ImagePlus imp) {
		imp.getCanvas().setMagnification(ZOOM);
		imp.getWindow().pack();
		imp.getCanvas().setSize((int) (imp.getWidth() * ZOOM), (int) (imp.getHeight() * ZOOM));
		imp.getWindow().pack();
	}

	private static void fail(final String message) {
		System.err.println("screenshot: " + message);
		System.exit(1);
	}
}
