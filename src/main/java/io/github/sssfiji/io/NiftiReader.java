package io.github.sssfiji.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;

import org.scijava.Priority;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.InvalidInputException;

/**
 * Reads single-file NIfTI-1 and NIfTI-2 images ({@code .nii}, {@code .nii.gz}) of either byte order.
 * Compression is recognised by the gzip magic bytes, whatever the name says. Header extensions are
 * skipped. Supported datatypes: uint8, int8, int16, uint16, int32, float32, float64; 2-D to 4-D.
 * <p>
 * Unscaled data keeps its stored type in an {@code ArrayImg} ({@code UnsignedByteType} ...
 * {@code DoubleType}); data with {@code scl_slope}/{@code scl_inter} becomes physical values as
 * {@code FloatType}, or {@code DoubleType} for int32 and float64. A slope of 0 or NaN means no scaling,
 * as in nibabel.
 * </p>
 */
@Plugin(type = MedicalImageReader.class, priority = Priority.VERY_HIGH)
public final class NiftiReader implements MedicalImageReader {

	private static final int BUFFER_SIZE = 1 << 16;

	/** Decompressed bytes accepted after the voxels of a {@code .nii.gz} (read through to check the gzip trailer). */
	static final long MAX_TRAILING_BYTES = 1 << 20;

	/**
	 * Deflate expands at most about 1032:1, so a gzip file of {@code n} bytes cannot hold more than
	 * {@code 1032 n} decompressed bytes (rounded up here for the gzip header and trailer).
	 */
	private static final long MAX_DEFLATE_RATIO = 1100;

	@Override
	public boolean canRead(final Path path) {
		final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".nii") || name.endsWith(".nii.gz")) return true;
		// the header of a .hdr/.img pair: accepted so that read() can say why it is refused
		return name.endsWith(".hdr") && startsWithNifti1HeaderSize(path);
	}

	@Override
	public MedicalImage read(final Path path) throws IOException {
		return readWithInfo(path).image();
	}

	/** Reads the image together with its header as stored. */
	public NiftiFile readWithInfo(final Path path) throws IOException {
		try (InputStream in = open(path)) {
			final NiftiFileHeader header = NiftiHeaderParser.read(in, path);
			final byte[] data = readData(in, header, path);
			// reaching the end checks the gzip trailer (CRC and length) of a compressed file
			if (in instanceof GZIPInputStream) {
				final long trailing = skip(in, MAX_TRAILING_BYTES + 1);
				if (trailing > MAX_TRAILING_BYTES)
					throw new InvalidInputException(path + " decompresses to more data than its header declares: more than " + MAX_TRAILING_BYTES +
						" bytes after the " + header.dataBytes() + " bytes of " + header.datatypeName() + " voxels " + Arrays.toString(header.shape()) +
						" (a damaged header or a gzip bomb)");
			}
			final Img<? extends RealType<?>> pixels = NiftiVoxels.decode(data, header);
			final NiftiHeader geometry = header.geometry();
			final MedicalImage image = new MedicalImage(ImageFiles.baseName(path), header.formatTag(), pixels, header.spacing(), geometry);
			return new NiftiFile(path, header, image);
		}
		catch (final ZipException | EOFException e) {
			// GZIPInputStream's only ways to report a damaged or cut-off stream
			throw new InvalidInputException(path + " is a corrupt or truncated gzip file (" + e.getMessage() + ")", e);
		}
	}

	/** Reads and checks only the header (decompressing just its first bytes). */
	public NiftiFileHeader readHeader(final Path path) throws IOException {
		try (InputStream in = open(path)) {
			return NiftiHeaderParser.read(in, path);
		}
		catch (final ZipException | EOFException e) {
			throw new InvalidInputException(path + " is a corrupt or truncated gzip file (" + e.getMessage() + ")", e);
		}
	}

	private static InputStream open(final Path path) throws IOException {
		final InputStream raw = new BufferedInputStream(Files.newInputStream(path), BUFFER_SIZE);
		raw.mark(2);
		final int b0 = raw.read();
		final int b1 = raw.read();
		raw.reset();
		if (b0 == 0x1f && b1 == 0x8b) {
			try {
				return new GZIPInputStream(raw, BUFFER_SIZE);
			}
			catch (final IOException | RuntimeException e) {
				raw.close();
				throw e;
			}
		}
		return raw;
	}

	private static byte[] readData(final InputStream in, final NiftiFileHeader header, final Path path) throws IOException {
		final long gap = header.voxOffset() - header.headerSize();
		// a header may declare far more data than the file holds: check before allocating it
		final long need = header.voxOffset() + header.dataBytes();
		final long size = Files.size(path);
		final boolean gzip = in instanceof GZIPInputStream;
		if (gzip ? need > MAX_DEFLATE_RATIO * size : need > size)
			throw new InvalidInputException(path + " is truncated: vox_offset " + header.voxOffset() + " + " + header.dataBytes() + " bytes of " +
				header.datatypeName() + " voxels " + Arrays.toString(header.shape()) + " need " + need + " bytes, but the " +
				(gzip ? "gzip file of " + size + " bytes cannot hold more than " + MAX_DEFLATE_RATIO * size : "file has only " + size));
		final long skipped = skip(in, gap);
		final byte[] data = new byte[Math.toIntExact(header.dataBytes())];
		final int got = skipped < gap ? 0 : in.readNBytes(data, 0, data.length);
		if (got < data.length) {
			final long available = header.headerSize() + skipped + got;
			throw new InvalidInputException(path + " is truncated: vox_offset " + header.voxOffset() + " + " + data.length + " bytes of " +
				header.datatypeName() + " voxels " + Arrays.toString(header.shape()) + " need " + (header.voxOffset() + data.length) +
				" bytes, but the " + (in instanceof GZIPInputStream ? "decompressed " : "") + "file has only " + available);
		}
		return data;
	}

	/** Skips up to {@code count} bytes; returns how many there were. */
	private static long skip(final InputStream in, final long count) throws IOException {
		final byte[] scratch = new byte[(int) Math.min(count, BUFFER_SIZE)];
		long skipped = 0;
		while (skipped < count) {
			final int n = in.read(scratch, 0, (int) Math.min(scratch.length, count - skipped));
			if (n < 0) break;
			skipped += n;
		}
		return skipped;
	}

	private static boolean startsWithNifti1HeaderSize(final Path path) {
		try (InputStream in = Files.newInputStream(path)) {
			final byte[] start = in.readNBytes(4);
			if (start.length < 4) return false;
			final ByteBuffer b = ByteBuffer.wrap(start);
			return b.order(ByteOrder.LITTLE_ENDIAN).getInt(0) == NiftiHeaderParser.NIFTI1_HEADER_SIZE ||
				b.order(ByteOrder.BIG_ENDIAN).getInt(0) == NiftiHeaderParser.NIFTI1_HEADER_SIZE;
		}
		catch (final IOException e) {
			return false;
		}
	}
}
