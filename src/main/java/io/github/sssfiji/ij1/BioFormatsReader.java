package io.github.sssfiji.ij1;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import ij.ImagePlus;

import org.scijava.Priority;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * Reads any format Bio-Formats knows, when Bio-Formats is installed (in Fiji it is); SSS does not
 * depend on it. The reader looks for {@value #BIO_FORMATS_CLASS} at run time and calls its
 * {@code openImagePlus(String)} by reflection, then keeps the first series it returns.
 * <p>
 * Without Bio-Formats, {@link #canRead} answers false and {@link #read} throws an
 * {@link InvalidInputException} that says Bio-Formats is not installed. Since it accepts any
 * regular file when present, it belongs last among the readers.
 * </p>
 */
@Plugin(type = MedicalImageReader.class, priority = Priority.LAST)
public final class BioFormatsReader implements MedicalImageReader {

	/** The Bio-Formats ImageJ entry point this reader calls. */
	public static final String BIO_FORMATS_CLASS = "loci.plugins.BF";

	/** What {@link #availability()} says when Bio-Formats is missing. */
	public static final String NOT_INSTALLED = "Bio-Formats not installed: class " + BIO_FORMATS_CLASS +
		" is not on the class path (in Fiji, enable it with Help > Update...; otherwise convert the image to TIFF or NIfTI)";

	private final Method openImagePlus;

	/** Looks for Bio-Formats with the class loader that loaded SSS. */
	public BioFormatsReader() {
		this(BioFormatsReader.class.getClassLoader());
	}

	/** Looks for Bio-Formats with {@code loader}. */
	public BioFormatsReader(final ClassLoader loader) {
		this.openImagePlus = findOpenImagePlus(loader);
	}

	/** Whether Bio-Formats was found. */
	public boolean isAvailable() {
		return openImagePlus != null;
	}

	/** One line for the user: Bio-Formats found, or {@link #NOT_INSTALLED}. */
	public String availability() {
		return isAvailable() ? "Bio-Formats available (" + BIO_FORMATS_CLASS + ")" : NOT_INSTALLED;
	}

	@Override
	public boolean canRead(final Path path) {
		return isAvailable() && Files.isRegularFile(path);
	}

	@Override
	public MedicalImage read(final Path path) throws IOException {
		if (!isAvailable()) throw new InvalidInputException(path + ": " + NOT_INSTALLED);
		if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
		final Object series;
		try {
			series = openImagePlus.invoke(null, path.toString());
		}
		catch (final InvocationTargetException e) {
			final Throwable cause = e.getCause();
			if (cause instanceof IOException) throw (IOException) cause;
			// loci.formats.FormatException and the like: the file is not something Bio-Formats can read
			throw new InvalidInputException(path + ": Bio-Formats could not read it: " + cause, cause);
		}
		catch (final IllegalAccessException e) {
			throw new IllegalStateException(BIO_FORMATS_CLASS + ".openImagePlus is not accessible", e);
		}
		if (!(series instanceof ImagePlus[]) || ((ImagePlus[]) series).length == 0 || ((ImagePlus[]) series)[0] == null)
			throw new InvalidInputException(path + ": Bio-Formats found no image in it");
		return MedicalImagePlus.fromImagePlus(((ImagePlus[]) series)[0], MedicalImagePlus.baseName(path.getFileName().toString()), "bioformats");
	}

	private static Method findOpenImagePlus(final ClassLoader loader) {
		try {
			final Class<?> bf = Class.forName(BIO_FORMATS_CLASS, true, loader);
			final Method method = bf.getMethod("openImagePlus", String.class);
			return ImagePlus[].class.isAssignableFrom(method.getReturnType()) ? method : null;
		}
		catch (final ClassNotFoundException | NoSuchMethodException | LinkageError e) {
			// absent, or present without the classes it needs: either way not usable
			return null;
		}
	}
}
