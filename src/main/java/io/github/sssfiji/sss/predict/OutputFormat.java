package io.github.sssfiji.sss.predict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.ij1.MedicalImagePlus;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiWriter;

/**
 * The file format of predicted label maps and their confidence and entropy maps: NIfTI
 * ({@code .nii.gz}, with the input's NIfTI geometry when the input is NIfTI; spacing in mm) or an
 * ImageJ TIFF stack ({@code .tif}, calibrated in the input's unit, e.g. µm for a microscopy TIFF).
 */
public enum OutputFormat {

	NIFTI("nifti", ".nii.gz"), TIFF("tiff", ".tif");

	private final String key;
	private final String extension;

	OutputFormat(final String key, final String extension) {
		this.key = key;
		this.extension = extension;
	}

	/** The name users give: {@code nifti} or {@code tiff}. */
	public String key() {
		return key;
	}

	/** The file name ending, {@code .nii.gz} or {@code .tif}. */
	public String extension() {
		return extension;
	}

	/**
	 * The format named {@code value} ({@code nifti} or {@code tiff}, any case).
	 *
	 * @param what where the value came from, for the message (e.g. {@code key 'format'})
	 */
	public static OutputFormat parse(final String value, final String what) {
		for (final OutputFormat format : values())
			if (format.key.equalsIgnoreCase(value == null ? "" : value.trim())) return format;
		throw new InvalidInputException(what + ": '" + value + "' is not one of " + Arrays.stream(values()).map(OutputFormat::key).toList());
	}

	/** The format of a file named {@code target}: by its ending, NIfTI unless it ends in {@code .tif}. */
	public static OutputFormat of(final Path target) {
		return target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(TIFF.extension) ? TIFF : NIFTI;
	}

	/** Writes {@code image} to {@code target} in this format, atomically. */
	public void write(final MedicalImage image, final Path target) throws IOException {
		if (this == TIFF) MedicalImagePlus.writeTiff(image, target);
		else NiftiWriter.create().write(image, target);
	}

	@Override
	public String toString() {
		return key.toLowerCase(Locale.ROOT);
	}
}
