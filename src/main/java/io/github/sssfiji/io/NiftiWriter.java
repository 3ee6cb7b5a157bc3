package io.github.sssfiji.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import io.github.sssfiji.InvalidInputException;

/**
 * Writes a {@link MedicalImage} as a single-file, little-endian NIfTI image: {@code .nii}, or gzip
 * compressed when the name ends in {@code .nii.gz}. The write is atomic ({@link AtomicFiles}).
 * <p>
 * The geometry of the image's {@link NiftiHeader} (qform, sform, units, intent, description, ...) is
 * written as it is; pixdim[1..] comes from {@link MedicalImage#spacing()}. An image without a NIfTI
 * header gets what nibabel writes for {@code Nifti1Image(data, diag(spacing))}: sform code 2
 * (aligned) with {@code srow = diag(spacing)}, qform code 0, no translation, unknown units; see
 * {@link #headerForSpacing(double[])}.
 * </p>
 * <p>
 * Values are written unscaled ({@code scl_slope} 1, {@code scl_inter} 0). The datatype is the one
 * that holds the image's type exactly ({@link NiftiDatatype#forType}) unless chosen with
 * {@link #withDatatype}; a value the chosen type cannot hold exactly (a fraction or an out-of-range
 * value for an integer type) is an error, never rounded or clamped.
 * </p>
 * Instances are immutable; {@code withX} methods return changed copies.
 */
public final class NiftiWriter {

	private final int version;
	private final NiftiDatatype datatype;

	private NiftiWriter(final int version, final NiftiDatatype datatype) {
		this.version = version;
		this.datatype = datatype;
	}

	/**
	 * A writer that keeps the NIfTI version of the image's header (NIfTI-1 for images without one)
	 * and picks the datatype from the pixel type.
	 */
	public static NiftiWriter create() {
		return new NiftiWriter(0, null);
	}

	/** The same writer, writing NIfTI-{@code niftiVersion} (1 or 2) whatever the source was. */
	public NiftiWriter withVersion(final int niftiVersion) {
		if (niftiVersion != 1 && niftiVersion != 2) throw new IllegalArgumentException("NIfTI version must be 1 or 2, not " + niftiVersion);
		return new NiftiWriter(niftiVersion, datatype);
	}

	/** The same writer, storing voxels as {@code type} (e.g. uint8 for labels), or as the pixel type when null. */
	public NiftiWriter withDatatype(final NiftiDatatype type) {
		return new NiftiWriter(version, type);
	}

	/**
	 * Writes {@code image} to {@code path}.
	 *
	 * @throws InvalidInputException when the name does not end in .nii or .nii.gz, or a value does not
	 *           fit the chosen datatype, or the image does not fit NIfTI-1; the target is then
	 *           unchanged
	 * @throws IOException when the file cannot be written
	 */
	public void write(final MedicalImage image, final Path path) throws IOException {
		final boolean gzip = isGzipName(path);
		if (!gzip && !path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".nii"))
			throw new InvalidInputException(path + ": a NIfTI file name must end in .nii or .nii.gz");
		final NiftiHeader source = image.niftiHeader();
		final NiftiHeader geometry = source != null ? source.clone() : headerForSpacing(image.spacing());
		geometry.version = version != 0 ? version : source != null ? source.version : 1;
		final NiftiDatatype type = datatype != null ? datatype : NiftiDatatype.forType(image.image().getType());
		final long[] dims = Arrays.stream(image.dims()).asLongStream().toArray();
		final byte[] header = NiftiHeaderEncoder.encode(geometry, dims, image.spacing(), type, geometry.version, path);
		AtomicFiles.write(path, out -> {
			if (gzip) {
				final GZIPOutputStream zip = new FastGzipStream(out);
				zip.write(header);
				NiftiVoxels.encode(image.image(), type, zip, path);
				zip.finish();
			}
			else {
				out.write(header);
				NiftiVoxels.encode(image.image(), type, out, path);
			}
		});
	}

	/**
	 * The geometry nibabel writes for an image whose affine is {@code diag(spacing)}: sform code 2
	 * (aligned) with the spacing on the diagonal of the sform rows, qform code 0 with the identity
	 * rotation (qfac 1), no translation, unknown units. Axes beyond the third do not enter the affine.
	 */
	public static NiftiHeader headerForSpacing(final double[] spacing) {
		final NiftiHeader h = new NiftiHeader();
		h.qformCode = 0;
		h.sformCode = 2;
		h.qfac = 1;
		h.srowX = new double[] { spacing.length > 0 ? spacing[0] : 1, 0, 0, 0 };
		h.srowY = new double[] { 0, spacing.length > 1 ? spacing[1] : 1, 0, 0 };
		h.srowZ = new double[] { 0, 0, spacing.length > 2 ? spacing[2] : 1, 0 };
		return h;
	}

	/**
	 * Compression level 1, nibabel's default: medical volumes (noise in floats) hardly shrink more
	 * at higher levels, which cost many times the time.
	 */
	private static final class FastGzipStream extends GZIPOutputStream {

		FastGzipStream(final OutputStream out) throws IOException {
			super(out, 1 << 16);
			def.setLevel(Deflater.BEST_SPEED);
		}
	}

	/** Whether {@code path} names a NIfTI file this writer compresses ({@code .nii.gz}). */
	static boolean isGzipName(final Path path) {
		return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".nii.gz");
	}
}
