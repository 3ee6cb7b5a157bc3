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
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * Reads any format Bio-Formats knows, when Bio-Formats is installed (in Fiji it is); SSS does not
 * depend on it. The reader looks for {@value #BIO_FORMATS_CLASS} at run time and calls its
 * {@code openImagePlus(String)} by reflection, then keeps the first series it returns.
 * <p>
 * It takes the files whose name Bio-Formats knows ({@value #TYPE_CLASS}{@code .isThisType(name, false)},
 * by the name only, so that listing a folder opens no file; any regular file when that class is
 * missing). Without Bio-Formats, {@link #canRead} answers false, {@link #refusal} and {@link #read}
 * say that Bio-Formats is not installed. Since it accepts so many files, it belongs last among the
 * readers.
 * </p>
 */
@Plugin(type = MedicalImageReader.class, priority = Priority.LAST)
public final class BioFormatsReader implements MedicalImageReader {

	/** The Bio-Formats ImageJ entry point this reader calls. */
	public static final String BIO_FORMATS_CLASS = "loci.plugins.BF";

	/** The Bio-Formats class that knows its formats' file names. */
	public static final String TYPE_CLASS = "loci.formats.ImageReader";

	/** What {@link #availability()} says when Bio-Formats is missing. */
	public static final String NOT_INSTALLED = "Bio-Formats not installed: class " + BIO_FORMATS_CLASS +
		" is not on the class path (in Fiji, enable it with Help > Update...; otherwise convert the image to TIFF or NIfTI)";

	private final Method openImagePlus;
	/** {@link #TYPE_CLASS}'s {@code isThisType(String, boolean)} on an instance of it, or null. */
	private final Method isThisType;
	private final Object typeReader;

	/** Looks for Bio-Formats with the class loader that loaded SSS. */
	public BioFormatsReader() {
		this(BioFormatsReader.class.getClassLoader());
	}

	/** Looks for Bio-Formats with {@code loader}. */
	public BioFormatsReader(final ClassLoader loader) {
		this.openImagePlus = findOpenImagePlus(loader);
		Method method = null;
		Object reader = null;
		if (openImagePlus != null) {
			try {
				final Class<?> type = Class.forName(TYPE_CLASS, true, loader);
				method = type.getMethod("isThisType", String.class, boolean.class);
				reader = type.getConstructor().newInstance();
			}
			catch (final ReflectiveOperationException | LinkageError e) {
				// without it every regular file is offered to Bio-Formats, which then says what it cannot read
				method = null;
				reader = null;
			}
		}
		this.isThisType = reader == null ? null : method;
		this.typeReader = reader;
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
		return isAvailable() && Files.isRegularFile(path) && knowsName(path);
	}

	@Override
	public String refusal(final Path path) {
		if (!isAvailable()) return NOT_INSTALLED;
		return Files.isRegularFile(path) && !knowsName(path) ? "Bio-Formats does not know this file type" : null;
	}

	/** Whether Bio-Formats knows the file's name (true when it cannot be asked). */
	private boolean knowsName(final Path path) {
		if (isThisType == null) return true;
		try {
			// one ImageReader, whose readers may keep state between calls
			synchronized (typeReader) {
				return Boolean.TRUE.equals(isThisType.invoke(typeReader, path.toString(), false));
			}
		}
		catch (final ReflectiveOperationException | RuntimeException e) {
			return true;
		}
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
		return MedicalImagePlus.fromImagePlus(((ImagePlus[]) series)[0], ImageFiles.titleBaseName(path.getFileName().toString()), "bioformats");
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
