package io.github.sssfiji.io.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sssfiji.InvalidInputException;

/**
 * Parses NumPy {@code .npy} files (format versions 1, 2 and 3) without pickle: numeric dtypes only
 * ({@code <f4 <f2 <f8 <i8 <i4 <i2 |i1 |u1 |b1} and their big-endian forms), C or Fortran order.
 * Object arrays are refused.
 */
public final class Npy {

	private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
	private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
	private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
	private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

	private Npy() {}

	/** Reads one {@code .npy} file. */
	public static TensorData read(final Path file) throws IOException {
		return parse(Files.readAllBytes(file), file.toString());
	}

	/** Parses {@code .npy} bytes; {@code source} names the file (or zip entry) in error messages. */
	public static TensorData parse(final byte[] bytes, final String source) {
		final Header h = header(bytes, source);
		final String descr = h.descr();
		final long[] shape = h.shape();
		final long numel = h.numel();
		final int dataStart = h.dataStart();
		final TensorType type = h.type();
		final boolean bigEndian = h.bigEndian();
		final boolean fortran = h.fortran();
		if (bytes.length - (long) dataStart != numel * type.bytes())
			throw bad(source, "holds " + (bytes.length - dataStart) + " data bytes, but dtype " + descr + " and shape " +
				java.util.Arrays.toString(shape) + " need " + numel * type.bytes());
		final Object values = ElementDecoder.decode(bytes, dataStart, (int) numel, type, bigEndian);
		final Object ordered = fortran ? fortranToC(values, shape) : values;
		return type.isFloating() ? TensorData.ofFloats(type, shape, (float[]) ordered) : TensorData.ofLongs(type, shape, (long[]) ordered);
	}

	/** The header of a {@code .npy}: what the data is, and where it starts. */
	private record Header(String descr, boolean fortran, long[] shape, TensorType type, boolean bigEndian, int dataStart, long numel) {}

	/**
	 * The length in bytes that the header at the start of {@code prefix} declares for the whole
	 * {@code .npy} (header and data), so that a reader can stop there; {@code prefix} must hold the
	 * whole header.
	 */
	public static long declaredLength(final byte[] prefix, final String source) {
		final Header h = header(prefix, source);
		return h.dataStart() + h.numel() * h.type().bytes();
	}

	private static Header header(final byte[] bytes, final String source) {
		if (bytes.length < 10) throw bad(source, "is too short for a .npy header");
		for (int i = 0; i < MAGIC.length; i++)
			if (bytes[i] != MAGIC[i]) throw bad(source, "does not start with the .npy magic string");
		final int major = bytes[6] & 0xff;
		final int headerLength;
		final int headerStart;
		if (major == 1) {
			headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
			headerStart = 10;
		}
		else if (major == 2 || major == 3) {
			if (bytes.length < 12) throw bad(source, "is too short for a .npy v" + major + " header");
			headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8 | (bytes[10] & 0xff) << 16 | (bytes[11] & 0xff) << 24;
			headerStart = 12;
		}
		else throw bad(source, "has unsupported .npy format version " + major);
		if (headerLength < 0 || headerStart + (long) headerLength > bytes.length) throw bad(source, "has a truncated header");
		final String header = new String(bytes, headerStart, headerLength,
			major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		final String descr = group(DESCR, header, source, "descr");
		final boolean fortran = group(FORTRAN, header, source, "fortran_order").equals("True");
		final long[] shape = parseShape(group(SHAPE, header, source, "shape"), source);
		if (descr.length() < 3) throw bad(source, "has unsupported dtype '" + descr + "'");
		final char order = descr.charAt(0);
		final TensorType type = type(descr.substring(1), source, descr);
		final boolean bigEndian = order == '>' || (order == '=' && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN);
		if (order != '<' && order != '>' && order != '|' && order != '=') throw bad(source, "has unsupported dtype '" + descr + "'");
		final long numel = TensorData.numel(shape);
		final int dataStart = headerStart + headerLength;
		if (numel > Integer.MAX_VALUE - 8) throw bad(source, "is too large (" + numel + " elements)");
		return new Header(descr, fortran, shape, type, bigEndian, dataStart, numel);
	}

	private static TensorType type(final String code, final String source, final String descr) {
		switch (code) {
			case "f4": return TensorType.FLOAT32;
			case "f2": return TensorType.FLOAT16;
			case "f8": return TensorType.FLOAT64;
			case "i8": return TensorType.INT64;
			case "i4": return TensorType.INT32;
			case "i2": return TensorType.INT16;
			case "i1": return TensorType.INT8;
			case "u1": return TensorType.UINT8;
			case "b1": return TensorType.BOOL;
			default: throw bad(source, "has unsupported dtype '" + descr + "' (object and string arrays are never read)");
		}
	}

	private static long[] parseShape(final String text, final String source) {
		final List<Long> dims = new ArrayList<>();
		for (final String part : text.split(",")) {
			final String t = part.trim();
			if (t.isEmpty()) continue;
			try {
				dims.add(Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t));
			}
			catch (final NumberFormatException e) {
				throw bad(source, "has an unreadable shape '(" + text + ")'");
			}
		}
		final long[] shape = new long[dims.size()];
		for (int i = 0; i < shape.length; i++) {
			shape[i] = dims.get(i);
			if (shape[i] < 0) throw bad(source, "has a negative dimension");
		}
		return shape;
	}

	private static Object fortranToC(final Object values, final long[] shape) {
		final int n = (int) TensorData.numel(shape);
		final int rank = shape.length;
		final long[] fStride = new long[rank];
		long s = 1;
		for (int d = 0; d < rank; d++) {
			fStride[d] = s;
			s *= shape[d];
		}
		final int[] index = new int[rank];
		final float[] fin = values instanceof float[] ? (float[]) values : null;
		final long[] lin = values instanceof long[] ? (long[]) values : null;
		final float[] fout = fin != null ? new float[n] : null;
		final long[] lout = lin != null ? new long[n] : null;
		for (int i = 0; i < n; i++) {
			long src = 0;
			for (int d = 0; d < rank; d++) src += index[d] * fStride[d];
			if (fin != null) fout[i] = fin[(int) src];
			else lout[i] = lin[(int) src];
			for (int d = rank - 1; d >= 0; d--) {
				if (++index[d] < shape[d]) break;
				index[d] = 0;
			}
		}
		return fin != null ? fout : lout;
	}

	private static String group(final Pattern p, final String header, final String source, final String field) {
		final Matcher m = p.matcher(header);
		if (!m.find()) throw bad(source, "has no '" + field + "' in its header");
		return m.group(1);
	}

	private static InvalidInputException bad(final String source, final String problem) {
		return new InvalidInputException("NumPy file " + source + " " + problem);
	}
}
