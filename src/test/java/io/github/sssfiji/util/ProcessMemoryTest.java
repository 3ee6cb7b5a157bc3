package io.github.sssfiji.util;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

	/**
	 * Touching 200 MiB of fresh native memory (direct buffers of 50 MiB, above glibc's largest dynamic mmap
	 * threshold, so they are new mappings: not heap pages a warm JVM may hold already, nor reused malloc
	 * chunks) raises the resident set by about that much; the peak is never below it.
	 */
	@Test
	void residentSetFollowsTouchedNativeMemory() {
		assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
		final double before = ProcessMemory.residentMegabytes();
		final ByteBuffer[] blocks = new ByteBuffer[4];
		for (int i = 0; i < blocks.length; i++) {
			blocks[i] = ByteBuffer.allocateDirect(50 << 20);
			for (int k = 0; k < blocks[i].capacity(); k += 4096)
				blocks[i].put(k, (byte) 1);
		}
		final double after = ProcessMemory.residentMegabytes();
		assertTrue(after - before > 150, before + " -> " + after + " MiB");
		assertTrue(ProcessMemory.peakMegabytes() >= after);
		assertTrue(blocks[3].get(4096) == 1);
	}
}
