package io.github.sssfiji.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads one kind of image file into a {@link MedicalImage}. {@code ImageFiles} picks the first
 * reader that accepts a path.
 */
public interface MedicalImageReader {

	/** Whether this reader handles {@code path}, judged by its name (and, if cheap, its first bytes). */
	boolean canRead(Path path);

	/**
	 * Reads the file.
	 *
	 * @throws io.github.sssfiji.InvalidInputException when the file is corrupt or unsupported; the
	 *           message names the file and the problem
	 * @throws IOException when the file cannot be read at all
	 */
	MedicalImage read(Path path) throws IOException;
}
