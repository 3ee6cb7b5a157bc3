package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * Bio-Formats itself is absent here; the test sources hold a stand-in {@code loci.plugins.BF}, so
 * the default class loader finds the stand-in and a loader that hides {@code loci.*} shows the
 * absent case.
 */
class BioFormatsReaderTest {

	@TempDir
	Path temp;

	/** Delegates to the test class path but, like a Fiji without Bio-Formats, knows no {@code loci.*} class. */
	private static final ClassLoader WITHOUT_BIO_FORMATS = new ClassLoader(BioFormatsReaderTest.class.getClassLoader()) {

		@Override
		protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
			if (name.startsWith("loci.")) throw new ClassNotFoundException(name);
			return super.loadClass(name, resolve);
		}
	};

	@Test
	void realBioFormatsIsNotOnTheClassPath() {
		// the test sources stand in for loci.plugins.BF and loci.formats.ImageReader only
		assertThrows(ClassNotFoundException.class, () -> Class.forName("loci.formats.FormatException"));
	}

	@Test
	void saysClearlyWhenBioFormatsIsMissing() throws IOException {
		final BioFormatsReader reader = new BioFormatsReader(WITHOUT_BIO_FORMATS);
		final Path file = Files.write(temp.resolve("cells.czi"), new byte[] { 1, 2, 3 });
		assertFalse(reader.isAvailable());
		assertFalse(reader.canRead(file));
		assertTrue(reader.availability().startsWith("Bio-Formats not installed"), reader.availability());
		assertEquals(BioFormatsReader.NOT_INSTALLED, reader.refusal(file));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> reader.read(file));
		assertTrue(e.getMessage().contains("cells.czi") && e.getMessage().contains("Bio-Formats not installed"), e.getMessage());
	}

	@Test
	void opensThroughBioFormatsByReflection() throws IOException {
		final BioFormatsReader reader = new BioFormatsReader();
		assertTrue(reader.isAvailable(), "finds the stand-in loci.plugins.BF");
		final Path file = Files.write(temp.resolve("cells.czi"), new byte[100]);
		assertTrue(reader.canRead(file));
		assertFalse(reader.canRead(temp), "folders are not for Bio-Formats");
		assertNull(reader.refusal(file));
		final Path notes = Files.writeString(temp.resolve("notes.txt"), "not an image");
		assertFalse(reader.canRead(notes), "a name Bio-Formats does not know");
		assertEquals("Bio-Formats does not know this file type", reader.refusal(notes));
		final MedicalImage image = reader.read(file);
		assertEquals("cells", image.name());
		assertEquals("bioformats", image.format());
		assertArrayEquals(new int[] { 3, 2 }, image.dims());
		assertArrayEquals(new double[] { 5e-4, 2.5e-4 }, image.spacing(), 1e-12, "um to mm");
		assertArrayEquals(new float[] { 100, 101, 102, 110, 111, 112 }, image.toFloatArray());
	}

	@Test
	void passesOnBioFormatsFailures() throws IOException {
		final BioFormatsReader reader = new BioFormatsReader();
		final Path broken = Files.write(temp.resolve("a.broken"), new byte[1]);
		assertThrows(IOException.class, () -> reader.read(broken));
		final Path unknown = Files.write(temp.resolve("a.unknown"), new byte[1]);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> reader.read(unknown));
		assertTrue(e.getMessage().contains("a.unknown") && e.getMessage().contains("could not read"), e.getMessage());
		final Path empty = Files.write(temp.resolve("a.empty"), new byte[1]);
		assertThrows(InvalidInputException.class, () -> reader.read(empty));
	}
}
