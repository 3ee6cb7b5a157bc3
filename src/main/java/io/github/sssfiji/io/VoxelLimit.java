package io.github.sssfiji.io;

import java.nio.file.Path;
import java.util.Arrays;

import io.github.sssfiji.InvalidInputException;

/**
 * The largest image SSS reads, in voxels, checked against what a file's header declares before
 * anything is allocated: a damaged or hostile header cannot make a reader take all the memory.
 * The default, {@value #DEFAULT} voxels (4 GiB as float), holds any image SSS can index with an
 * {@code int}. It is one setting of the JVM, the system property {@value #PROPERTY}, set on the Java
 * command line ({@code -Dsss.maxVoxels=N}), by the CLI's {@code --max-voxels N} for one command, or by
 * SSS Options in Fiji ({@link #set}): lower on a shared server, higher up to that indexing limit.
 */
public final class VoxelLimit {

	/** The system property that sets the limit. */
	public static final String PROPERTY = "sss.maxVoxels";

	/** 2^30 voxels. */
	public static final long DEFAULT = 1L << 30;

	/** Java arrays are indexed by {@code int}: no image may have more voxels than this, whatever the setting. */
	public static final long INDEX_LIMIT = Integer.MAX_VALUE - 8;

	private VoxelLimit() {}

	/** The limit in force: the property's value when it is a positive whole number, else {@link #DEFAULT}; at most {@link #INDEX_LIMIT}. */
	public static long maxVoxels() {
		final String value = System.getProperty(PROPERTY);
		return Math.min(value == null ? DEFAULT : parse(value, "Java option -D" + PROPERTY), INDEX_LIMIT);
	}

	/**
	 * {@code value} as a limit: a whole number of at least 1; {@code what} names the setting in the
	 * error (e.g. {@code option --max-voxels}).
	 */
	public static long parse(final String value, final String what) {
		final long limit;
		try {
			limit = Long.parseLong(value.strip());
		}
		catch (final NumberFormatException e) {
			throw new InvalidInputException(what + ": '" + value + "' is not a whole number of voxels");
		}
		if (limit < 1) throw new InvalidInputException(what + ": '" + value + "' must be at least 1 voxel");
		return limit;
	}

	/**
	 * Sets the limit of this JVM (values above {@link #INDEX_LIMIT} count as that limit): the readers
	 * check it from their next file on.
	 */
	public static void set(final long maxVoxels) {
		if (maxVoxels < 1) throw new InvalidInputException("voxel limit " + maxVoxels + ": must be at least 1 voxel");
		System.setProperty(PROPERTY, Long.toString(maxVoxels));
	}

	/** Restores what {@link #PROPERTY} was before a temporary {@link #set} ({@code null}: unset). */
	public static void restore(final String property) {
		if (property == null) System.clearProperty(PROPERTY);
		else System.setProperty(PROPERTY, property);
	}

	/**
	 * Refuses an image of {@code shape} (any number of axes; a product that overflows counts as
	 * too many) that exceeds the limit, naming {@code file}, the limit and how to raise it.
	 */
	public static void require(final Path file, final long[] shape) {
		double voxels = 1;
		for (final long d : shape)
			voxels *= d;
		final long limit = maxVoxels();
		if (voxels <= limit) return;
		throw new InvalidInputException(file + " is too large for SSS: " + Arrays.toString(shape) + " = " + String.format(java.util.Locale.ROOT, "%.0f", voxels) +
			" voxels, more than the limit of " + limit + " voxels" + (limit < INDEX_LIMIT ? "; raise it with --max-voxels N (command line), " +
				"Max voxels in SSS Options (Fiji) or the Java option -D" + PROPERTY + "=N, at most " + INDEX_LIMIT : ", the most a Java array can index"));
	}
}
