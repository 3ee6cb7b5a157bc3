package io.github.sssfiji.sss.predict;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.ImageFiles;

/**
 * Part {@code index} of {@code count} of a list of input files, for splitting one folder
 * segmentation over the tasks of a cluster job array ({@code predict --shard i/n}, the
 * {@code shard} key of SSS Segment Folder; e.g. {@code $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT}).
 * <p>
 * An input belongs to shard {@code h mod n + 1}, where {@code h} is the first 8 bytes (big-endian,
 * unsigned) of the SHA-256 of the UTF-8 bytes of its base name in Unicode NFC (the file name without
 * the image extension, as {@link ImageFiles#baseName} gives it: the name of its label map). So the
 * shard of a file depends on its name alone, not on the other files, their order, or the folder or
 * list that named it:
 * </p>
 * <ul>
 * <li>the shards of one list are disjoint and together the whole list, in whatever order each task
 * listed the files;</li>
 * <li>tasks of an array that start hours apart still agree when files were added to the folder in
 * between (each new file goes to exactly one shard), where sorted blocks or round-robin over the sorted
 * list would shift the files after the new one to other shards, so that one file could be done twice
 * and another by no task;</li>
 * <li>a rerun with more files, with the same {@code n}, gives each task its old files (skipped, since
 * their label maps exist) and about {@code 1/n} of the new ones;</li>
 * <li>two inputs with the same base name (and so the same label map) land in the same shard.</li>
 * </ul>
 * <p>
 * The price is balance: a shard gets about {@code N/n} of {@code N} files, not exactly; with few files
 * per shard some shards get more and some none (a shard with no files is not an error). The
 * assignment can be computed outside Java, e.g. in Python
 * {@code int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % n + 1}.
 * </p>
 *
 * @param index the shard, from 1 to {@code count}
 * @param count the number of shards, at least 1
 */
public record Shard(int index, int count) {

	/** The one shard that holds every file. */
	public static final Shard ALL = new Shard(1, 1);

	private static final Pattern FORM = Pattern.compile("\\s*([+-]?\\d+)\\s*/\\s*([+-]?\\d+)\\s*");

	public Shard {
		if (count < 1) throw new InvalidInputException("shard " + index + "/" + count + ": the number of shards n must be at least 1");
		if (index < 1 || index > count) throw new InvalidInputException("shard " + index + "/" + count + ": i must be from 1 to n = " + count);
	}

	/**
	 * {@code i/n}, e.g. {@code 2/8}; {@code null} or blank is {@link #ALL}.
	 *
	 * @param name names the value in errors, e.g. {@code "option --shard"} or {@code "key 'shard'"}
	 * @throws InvalidInputException naming {@code name} and the value, if it is not {@code i/n} with
	 *           whole numbers {@code 1 <= i <= n}
	 */
	public static Shard parse(final String value, final String name) {
		if (value == null || value.isBlank()) return ALL;
		final Matcher m = FORM.matcher(value);
		if (!m.matches()) throw new InvalidInputException(name + ": '" + value + "' is not a shard i/n (whole numbers, i from 1 to n, e.g. 2/8)");
		final long index, count;
		try {
			index = Long.parseLong(m.group(1));
			count = Long.parseLong(m.group(2));
		}
		catch (final NumberFormatException e) {
			throw new InvalidInputException(name + ": '" + value + "': the numbers are too large", e);
		}
		if (count < 1 || count > Integer.MAX_VALUE)
			throw new InvalidInputException(name + ": '" + value + "': the number of shards n must be from 1 to " + Integer.MAX_VALUE);
		if (index < 1 || index > count) throw new InvalidInputException(name + ": '" + value + "': i must be from 1 to n = " + count);
		return new Shard((int) index, (int) count);
	}

	/** Whether this shard holds every file ({@code 1/1}). */
	public boolean all() {
		return count == 1;
	}

	/** Whether {@code input} belongs to this shard (by its base name; see the class comment). */
	public boolean contains(final Path input) {
		return count == 1 || of(input, count) == index;
	}

	/** The inputs of this shard, in the order of {@code inputs}. */
	public List<Path> select(final List<Path> inputs) {
		return count == 1 ? List.copyOf(inputs) : inputs.stream().filter(this::contains).toList();
	}

	/** The shard, from 1 to {@code count}, that {@code input} belongs to. */
	public static int of(final Path input, final int count) {
		if (count < 1) throw new IllegalArgumentException("count " + count);
		final String name = Normalizer.normalize(ImageFiles.baseName(input), Normalizer.Form.NFC);
		final byte[] digest = sha256().digest(name.getBytes(StandardCharsets.UTF_8));
		long h = 0;
		for (int i = 0; i < 8; i++)
			h = h << 8 | digest[i] & 0xff;
		return (int) Long.remainderUnsigned(h, count) + 1;
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (final NoSuchAlgorithmException e) {
			// every Java platform must provide SHA-256
			throw new IllegalStateException(e);
		}
	}

	/** {@code i/n}, the form {@link #parse} reads. */
	@Override
	public String toString() {
		return index + "/" + count;
	}
}
