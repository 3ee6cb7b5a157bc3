import java.awt.Color;
import java.awt.EventQueue;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Overlay;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.plugin.ScreenGrabber;
import ij.plugin.frame.RoiManager;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.ij1.MedicalImagePlus;

/**
 * The GUI look of SSS in plain ImageJ 1.x, driven by tests/screenshot.sh under Xvfb (run as a Java
 * source file with the plugin jar and its dependencies on the class path): opens a sample volume and
 * its label volume, runs the SSS menu commands on them through ImageJ's command table (the jar's
 * plugins.config), lays the windows out and saves a PNG of the screen.
 *
 * <pre>java -Dplugins.dir=IMAGEJ_DIR -cp CLASSPATH tests/Screenshot.java SAMPLE_DIR OUT.png [SSS_MODEL]</pre>
 */
public class Screenshot {

	/** The class of {@code SSS Segment Image}, added on branch fiji-segment. */
	private static final String SEGMENT_IMAGE_COMMAND = "io.github.sssfiji.command.SegmentImageCommand";
	private static final Color[] CLASS_COLOURS = { Color.WHITE, new Color(255, 80, 80), new Color(80, 255, 80), new Color(80, 160, 255) };
	private static final int SLICE = 7; // 1-based; PCSW prompts every second slice from the first (prompt_freq 2)
	private static final double ZOOM = 3;

	public static void main(final String[] args) throws Exception {
		final Path sample = Paths.get(args[0]);
		final Path png = Paths.get(args[1]);
		final String model = args.length > 2 && !args[2].isEmpty() ? args[2] : null;
		final Path imageFile = sample.resolve("test/images/synthetic_014.nii.gz");
		final Path labelFile = sample.resolve("test/labels/synthetic_014.nii.gz");

		final ImageJ ij = new ImageJ();
		ij.setLocation(0, 0);

		final ImagePlus image = MedicalImagePlus.toImagePlus(ImageFiles.read(imageFile));
		image.setTitle("synthetic_014");
		final ImagePlus labels = MedicalImagePlus.toImagePlus(ImageFiles.readLabels(labelFile));
		labels.setTitle("synthetic_014-labels");
		labels.show();
		labels.setSlice(SLICE);
		labels.getWindow().setLocation(10000, 0); // out of the picture: the prompts are shown on the image

		// the PCSW prompts of the label volume (the command shows the filtered labels and fills the ROI Manager)
		IJ.run(labels, "SSS Generate Prompts (PCSW)", "input=synthetic_014-labels single_instance=true");
		final ImagePlus filtered = WindowManager.getImage("synthetic_014-labels-pcsw");
		if (filtered == null) fail("SSS Generate Prompts (PCSW) showed no filtered image");

		// >>> SSS Segment Image (branch fiji-segment): runs when that command is in the jar and a model is given.
		if (commandExists(SEGMENT_IMAGE_COMMAND) && model != null) IJ.run(image, "SSS Segment Image", "model=[" + model + "]");
		else System.out.println("screenshot: SSS Segment Image skipped (" + (commandExists(SEGMENT_IMAGE_COMMAND) ? "no model given" :
			"command not in this build") + ")");

		// the prompts over the MR image: boxes and clicks coloured by class
		final Overlay prompts = filtered.getOverlay().duplicate();
		for (final Roi roi : prompts) {
			final int label = Integer.parseInt(roi.getName().substring(0, roi.getName().indexOf('-')));
			roi.setStrokeColor(CLASS_COLOURS[Math.min(label, CLASS_COLOURS.length - 1)]);
			roi.setStrokeWidth(1);
			if (roi instanceof PointRoi point) point.setSize(1);
		}
		image.setOverlay(prompts);
		image.show();
		image.setSlice(SLICE);
		EventQueue.invokeAndWait(() -> {
			zoom(image);
			zoom(filtered);
			filtered.setSlice(SLICE);
			IJ.run(filtered, "3-3-2 RGB", "");
			filtered.setDisplayRange(0, 3);
			final int top = ij.getHeight() + 4;
			image.getWindow().setLocation(0, top);
			filtered.getWindow().setLocation(image.getWindow().getWidth() + 4, top);
			final RoiManager manager = RoiManager.getInstance();
			if (manager != null) manager.setLocation(filtered.getWindow().getX() + filtered.getWindow().getWidth() + 4, top);
			for (final Window window : Window.getWindows())
				window.toFront();
			WindowManager.setCurrentWindow(image.getWindow());
		});
		IJ.wait(2000); // let every window paint

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

	private static void zoom(final ImagePlus imp) {
		imp.getCanvas().setMagnification(ZOOM);
		imp.getWindow().pack();
		imp.getCanvas().setSize((int) (imp.getWidth() * ZOOM), (int) (imp.getHeight() * ZOOM));
		imp.getWindow().pack();
	}

	private static boolean commandExists(final String className) {
		try {
			Class.forName(className, false, Screenshot.class.getClassLoader());
			return true;
		}
		catch (final ClassNotFoundException e) {
			return false;
		}
	}

	private static void fail(final String message) {
		System.err.println("screenshot: " + message);
		System.exit(1);
	}
}
