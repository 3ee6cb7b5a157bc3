package io.github.sssfiji.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory as the Linux kernel counts it ({@code /proc/self/status}): the resident
 * set, which includes the native memory of the tensor engine that the Java heap statistics miss,
 * and its peak. Elsewhere the values are unknown ({@code -1}).
 */
public final class ProcessMemory {

	private static final Path STATUS = Path.of("/proc/self/status");

	private ProcessMemory() {}

	/** Resident set size (VmRSS) in MiB, or -1 when unknown. */
	public static double residentMegabytes() {
		return megabytes("VmRSS:");
	}

	/** Peak resident set size (VmHWM) in MiB, or -1 when unknown. */
	public static double peakMegabytes() {
		return megabytes("VmHWM:");
	}

	/**
	 * The Java heap the JVM has committed, in MiB: the part of the resident set that is the heap's
	 * (at most), so that the resident set minus it bounds the native side from below.
	 */
	public static double heapCommittedMegabytes() {
		return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
	}

	private static double megabytes(final String key) {
		if (!Files.isReadable(STATUS)) return -1;
		try {
			for (final String line : Files.readAllLines(STATUS))
				if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
		}
		catch (final IOException | NumberFormatException e) {
			return -1;
		}
		return -1;
	}
}
