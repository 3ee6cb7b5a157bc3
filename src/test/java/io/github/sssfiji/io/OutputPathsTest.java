package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;

/** {@link OutputPaths}: outputs only inside the chosen folder, whatever the name or the links in it. */
class OutputPathsTest {

	@TempDir
	Path dir;

	private String refused(final Path folder, final String name) {
		return assertThrows(InvalidInputException.class, () -> OutputPaths.child(folder, name, "key 'output'")).getMessage();
	}

	@Test
	void aNameInsideTheFolderIsItsAbsolutePath() throws Exception {
		final Path out = Files.createDirectories(dir.resolve("out"));
		assertEquals(out.resolve("a.nii.gz"), OutputPaths.child(out, "a.nii.gz", "key 'output'"));
		assertEquals(out.resolve("sub/a.nii.gz"), OutputPaths.child(out, "sub/./a.nii.gz", "key 'output'"));
		assertEquals(dir.resolve("new/a.nii.gz"), OutputPaths.child(dir.resolve("new"), "a.nii.gz", "key 'output'"), "a folder not made yet");
		// a link that stays inside the folder, and a chosen folder that is itself a link, are fine
		Files.createDirectories(out.resolve("real"));
		Files.createSymbolicLink(out.resolve("inside"), out.resolve("real"));
		assertEquals(out.resolve("inside/a.nii.gz"), OutputPaths.child(out, "inside/a.nii.gz", "key 'output'"));
		final Path chosen = Files.createSymbolicLink(dir.resolve("chosen"), out);
		assertEquals(chosen.resolve("a.nii.gz"), OutputPaths.child(chosen, "a.nii.gz", "key 'output'"));
	}

	@Test
	void aNameThatLeadsOutOfTheFolderIsRefusedNamingTheKey() throws Exception {
		final Path out = Files.createDirectories(dir.resolve("out"));
		assertEquals("key 'output': the output name '../x.nii.gz' leads out of the output folder " + out, refused(out, "../x.nii.gz"));
		assertEquals("key 'output': the output name 'a/../../x' leads out of the output folder " + out, refused(out, "a/../../x"));
		assertEquals("key 'output': the output name '.' leads out of the output folder " + out, refused(out, "."));
		assertEquals("key 'output': the output name '/etc/passwd' is an absolute path; outputs go into the output folder " + out,
			refused(out, "/etc/passwd"));
		assertEquals("key 'output': an output name is empty", refused(out, " "));
		assertEquals("key 'output': the output name 'a\0b' is not a valid file name (Nul character not allowed)", refused(out, "a\0b"));
	}

	@Test
	void aSymbolicLinkInTheFolderThatPointsOutOfItIsRefused() throws Exception {
		final Path out = Files.createDirectories(dir.resolve("out")), elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
		Files.createSymbolicLink(out.resolve("labels"), elsewhere);
		assertEquals("key 'output': " + out.resolve("labels") + " is a symbolic link to " + elsewhere.toRealPath() + ", outside the output folder " + out +
			"; remove the link or choose another output folder", refused(out, "labels/a.nii.gz"));
		// a link in place of the output file, and a link that leads nowhere yet
		Files.createSymbolicLink(out.resolve("a.nii.gz"), elsewhere.resolve("a.nii.gz"));
		assertEquals("key 'output': " + out.resolve("a.nii.gz") + " is a symbolic link to " + elsewhere.toRealPath().resolve("a.nii.gz") +
			", outside the output folder " + out + "; remove the link or choose another output folder", refused(out, "a.nii.gz"));
		Files.createSymbolicLink(out.resolve("up"), Path.of("../elsewhere"));
		assertEquals("key 'output': " + out.resolve("up") + " is a symbolic link to " + elsewhere.toRealPath() + ", outside the output folder " + out +
			"; remove the link or choose another output folder", refused(out, "up/x"));
	}
}
