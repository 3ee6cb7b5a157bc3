package io.github.sssfiji.io;

import java.io.IOException;
import java.nio.file.Path;

import org.scijava.plugin.SciJavaPlugin;

/**
 * Reads one kind of image file into a {@link MedicalImage}. Readers are SciJava plugins
 * ({@code @Plugin(type = MedicalImageReader.class, priority = ...)}); {@link ImageFiles} tries them in
 * order of priority and takes the first that accepts a path, so a jar can add a format without
 * changing SSS.
 */
public interface MedicalImageReader extends SciJavaPlugin {

	/** Whether this reader handles {@code path}, judged by its name (and, if cheap, its first bytes). */
	boolean canRead(Path path);

	/**
	 * Why this reader does not take {@code path} when there is more to say than its file type (a
	 * library that is not installed, a format the library does not know), for the user; {@code null}
	 * when there is nothing to add. {@link ImageFiles} adds it to the reason a file is skipped.
	 */
	default String refusal(final Path path) {
		return null;
	}

	/**
	 * Reads the file.
	 *
	 * @throws io.github.sssfiji.InvalidInputException when the file is corrupt or unsupported; the
	 *           message names the file and the problem
	 * @throws IOException when the file cannot be read at all
	 */
	MedicalImage read(Path path) throws IOException;

	/**
	 * Reads the file as a label map. Most formats hold labels the way they hold images; a format with
	 * both in one file (SSL4MIS HDF5) returns the labels here.
	 */
	default MedicalImage readLabels(final Path path) throws IOException {
		return read(path);
	}
}
