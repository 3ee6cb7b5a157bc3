package io.github.sssfiji.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

import org.scijava.io.AbstractIOPlugin;
import org.scijava.io.IOPlugin;
import org.scijava.io.location.FileLocation;
import org.scijava.io.location.Location;
import org.scijava.plugin.Plugin;

/**
 * Lets SciJava's {@code IOService} (and so Fiji) open and save {@code .nii} and {@code .nii.gz} files
 * with {@link NiftiReader} and {@link NiftiWriter}.
 * <p>
 * The data type is ImgLib2's {@link RandomAccessibleInterval}, the most general image type that Fiji
 * can display and process without SSS's classes: {@code open} returns the {@code ArrayImg} the
 * reader builds (physical values, file axis order x, y, z, t), and {@code save} takes any interval of
 * real values. Spacing and orientation do not travel with a bare interval: saving through this
 * plugin writes spacing 1 and nibabel's default geometry; code that needs the geometry uses
 * {@link NiftiReader} and {@link NiftiWriter} with a {@link MedicalImage} directly.
 * </p>
 */
@SuppressWarnings("rawtypes")
@Plugin(type = IOPlugin.class)
public class NiftiIOPlugin extends AbstractIOPlugin<RandomAccessibleInterval> {

	@Override
	public Class<RandomAccessibleInterval> getDataType() {
		return RandomAccessibleInterval.class;
	}

	@Override
	public boolean supportsOpen(final Location source) {
		return isNiftiFile(source);
	}

	@Override
	public boolean supportsSave(final Location destination) {
		return isNiftiFile(destination);
	}

	@Override
	public boolean supportsSave(final Object data, final Location destination) {
		return supportsSave(destination) && data instanceof RandomAccessibleInterval &&
			((RandomAccessibleInterval<?>) data).getType() instanceof RealType;
	}

	@Override
	public RandomAccessibleInterval open(final Location source) throws IOException {
		return new NiftiReader().read(path(source)).image();
	}

	@Override
	@SuppressWarnings("unchecked")
	public void save(final RandomAccessibleInterval data, final Location destination) throws IOException {
		final Path path = path(destination);
		final double[] spacing = new double[data.numDimensions()];
		Arrays.fill(spacing, 1);
		final MedicalImage image = new MedicalImage(ImageFiles.baseName(path), "nifti-1",
			(RandomAccessibleInterval<? extends RealType<?>>) data, spacing, null);
		NiftiWriter.create().write(image, path);
	}

	private static boolean isNiftiFile(final Location location) {
		if (!(location instanceof FileLocation)) return false;
		final String name = ((FileLocation) location).getFile().getName().toLowerCase(Locale.ROOT);
		return name.endsWith(".nii") || name.endsWith(".nii.gz");
	}

	private static Path path(final Location location) throws IOException {
		if (!(location instanceof FileLocation)) throw new IOException("NIfTI files are read from and written to local files only, not " +
			location);
		return ((FileLocation) location).getFile().toPath();
	}
}
