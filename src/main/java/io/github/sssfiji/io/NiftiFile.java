package io.github.sssfiji.io;

import java.nio.file.Path;

/**
 * A NIfTI file as read: the image SSS works with and the header as stored, for callers that must
 * report on-disk facts such as the datatype or the scaling.
 *
 * @param path the file read
 * @param header the header as stored in the file
 * @param image the pixels (scaled to physical values), spacing and geometry
 */
public record NiftiFile(Path path, NiftiFileHeader header, MedicalImage image) {

	/** The datatype as stored in the file, e.g. {@code int16}, even when the image holds scaled floats. */
	public String datatypeName() {
		return header.datatypeName();
	}
}
