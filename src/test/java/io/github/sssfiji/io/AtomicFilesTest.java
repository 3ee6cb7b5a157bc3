package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.SmallDisk;

/** {@link AtomicFiles}: complete content or no change, and no temporary files left behind. */
class AtomicFilesTest {

	@TempDir
	Path temp;

	@Test
	void writesNewFileAndReplacesExistingOne() throws IOException {
		final Path target = temp.resolve("out.bin");
		AtomicFiles.write(target, out -> out.write(new byte[] { 1, 2, 3 }));
		assertArrayEquals(new byte[] { 1, 2, 3 }, Files.readAllBytes(target));
		AtomicFiles.write(target, out -> {
			out.write(new byte[] { 9 });
			out.close(); // content may close its stream, e.g. to finish a gzip trailer
		});
		assertArrayEquals(new byte[] { 9 }, Files.readAllBytes(target));
		assertEquals(List.of("out.bin"), listFolder());
		// the permissions of any new file, not the owner-only ones of Files.createTempFile
		final Path plain = Files.write(temp.resolve("plain.bin"), new byte[1]);
		assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
	}

	@Test
	void failureLeavesExistingFileAndNoTemporaryFile() throws IOException {
		final Path target = Files.write(temp.resolve("keep.txt"), "old content".getBytes());
		final IOException failure = new IOException("disk full");
		final IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
			out.write("half of the new con".getBytes());
			out.flush();
			throw failure;
		}));
		assertSame(failure, e);
		final IllegalStateException unchecked = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
			out.write(new byte[100_000]);
			throw new IllegalStateException("bad value");
		}));
		assertEquals("bad value", unchecked.getMessage());
		assertEquals("old content", Files.readString(target));
		assertEquals(List.of("keep.txt"), listFolder());
	}

	@Test
	void failureWithoutExistingFileCreatesNothing() throws IOException {
		final Path target = temp.resolve("never.bin");
		assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
			throw new IOException("no");
		}));
		assertEquals(List.of(), listFolder());
	}

	@Test
	void missingFolderIsReported() {
		final Path target = temp.resolve("no/such/folder/x.bin");
		final IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> out.write(1)));
		assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
	}

	@Test
	void removesOnlyTheTemporaryFilesOfItsTargetsThatAProcessWhichEndedLeft() throws Exception {
		final Process ended = new ProcessBuilder("true").start();
		ended.waitFor();
		final long dead = ended.pid(), alive = ProcessHandle.current().pid();
		final Path target = temp.resolve("a.nii.gz");
		final List<String> left = List.of(".a.nii.gz." + dead + "-k3x9.tmp", ".a.nii.gz." + alive + "-p2q.tmp", ".b.nii.gz." + dead + "-k3x9.tmp",
			".a.nii.gz.k3x9.tmp", "a.nii.gz");
		for (final String name : left)
			Files.write(temp.resolve(name), new byte[] { 1 });
		assertEquals(List.of(temp.resolve(".a.nii.gz." + dead + "-k3x9.tmp")), AtomicFiles.removeAbandoned(List.of(target)));
		// a live writer's file, another target's file and files not named as AtomicFiles names them stay
		assertEquals(List.of(".a.nii.gz." + alive + "-p2q.tmp", ".a.nii.gz.k3x9.tmp", ".b.nii.gz." + dead + "-k3x9.tmp", "a.nii.gz"), listFolder());
		assertEquals(List.of(), AtomicFiles.removeAbandoned(List.of(temp.resolve("missing/x.bin"))), "a folder not made yet holds nothing");
	}

	/** On a full disk (a 2 MiB tmpfs) the write fails naming the file, and the file written before stays whole. */
	@Test
	void aFullDiskNamesTheFileAndLeavesThePreviousFileIntact() throws Exception {
		final byte[] before = new byte[300_000], after = new byte[600_000];
		java.util.Arrays.fill(before, (byte) 7);
		try (SmallDisk disk = SmallDisk.mount(temp.resolve("disk"), 2)) {
			final Path target = disk.folder().resolve("model.sss");
			AtomicFiles.write(target, out -> out.write(before));
			disk.fillUpTo(100_000);
			final FileWriteException e = assertThrows(FileWriteException.class, () -> AtomicFiles.write(target, out -> out.write(after)));
			assertEquals("cannot write " + target + ": No space left on device", e.getMessage());
			assertArrayEquals(before, Files.readAllBytes(target));
			try (Stream<Path> files = Files.list(disk.folder())) {
				assertEquals(List.of("filler.bin", "model.sss"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
			}
		}
	}

	@Test
	void aJobThatKnowsItsWritersEndedRemovesTheirTemporaryFilesForItsTargetsOnly() throws IOException {
		final Path target = temp.resolve("out.nii.gz");
		final String[] seen = new String[1];
		// the name write gives its temporary file, as a JVM killed while writing would leave it
		AtomicFiles.write(target, out -> seen[0] = listFolder().stream().filter(n -> n.endsWith(".tmp")).findFirst().orElseThrow());
		Files.writeString(temp.resolve(seen[0]), "partial");
		Files.writeString(temp.resolve(".other.nii.gz.abc.tmp"), "another target's");
		Files.writeString(temp.resolve(".out.nii.gz.tmp"), "not a name write gives");
		assertEquals(List.of(temp.resolve(seen[0])), AtomicFiles.removeTemporaries(List.of(target)));
		assertEquals(List.of(".other.nii.gz.abc.tmp", ".out.nii.gz.tmp", "out.nii.gz"), listFolder());
		assertEquals(List.of(), AtomicFiles.removeTemporaries(List.of(temp.resolve("missing/out.nii.gz"))));
	}

	private List<String> listFolder() throws IOException {
		try (Stream<Path> files = Files.list(temp)) {
			return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}
}
