package io.github.sssfiji.util;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

	/** Touching 200 MiB of fresh heap raises the resident set by about that much; the peak is never below it. */
	@Test
	void residentSetFollowsTouchedMemory() {
		assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
		final double before = ProcessMemory.residentMegabytes();
		final byte[][] blocks = new byte[200][];
		for (int i = 0; i < blocks.length; i++) {
			blocks[i] = new byte[1 << 20];
			for (int k = 0; k < blocks[i].length; k += 4096)
				blocks[i][k] = 1;
		}
		final double after = ProcessMemory.residentMegabytes();
		assertTrue(after - before > 150, before + " -> " + after + " MiB");
		assertTrue(ProcessMemory.peakMegabytes() >= after);
		assertTrue(blocks[199][4096] == 1);
	}
}
