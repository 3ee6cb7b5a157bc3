package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;

class ImageFilesTest {

	@Test
	void readersAreThePluginsInOrderOfPriority() {
		// Bio-Formats accepts any file when present, so it must come last; NIfTI and HDF5 are SSS's own
		assertEquals(List.of("NiftiReader", "Hdf5ImageReader", "ImageJ1Reader", "BioFormatsReader"),
			ImageFiles.readers().stream().map(r -> r.getClass().getSimpleName()).toList());
	}

	@Test
	void theLabelReaderReadsTheLabelDatasetOfAnHdf5File() throws IOException, URISyntaxException {
		final Path path = Paths.get(Hdf5ImagesTest.class.getResource("hdf5/volume.h5").toURI());
		assertArrayEquals(Hdf5Images.readImage(path).toFloatArray(), ImageFiles.read(path).toFloatArray());
		assertArrayEquals(Hdf5Images.readLabel(path).toLabelArray(), ImageFiles.readLabels(path).toLabelArray());
	}

	@Test
	void aFilesBaseNameLosesFolderAndAKnownImageExtensionOnly() {
		assertEquals("patient011_frame01", ImageFiles.baseName(Path.of("x/patient011_frame01.nii.gz")));
		assertEquals("a.b", ImageFiles.baseName(Path.of("a.b.NII")));
		assertEquals("volume", ImageFiles.baseName(Path.of("volume.h5")));
		assertEquals("pair", ImageFiles.baseName(Path.of("pair.hdr")));
		assertEquals("scan.gz", ImageFiles.baseName(Path.of("scan.gz.tiff")));
		// an id or a file of another format keeps its name: nothing SSS lists is named by it
		assertEquals("cells.czi", ImageFiles.baseName(Path.of("cells.czi")));
		assertEquals("case_7", ImageFiles.baseName(Path.of("case_7")));
		assertEquals(".nii", ImageFiles.baseName(Path.of(".nii")));
	}

	@Test
	void aTitlesBaseNameLosesFolderAndAnyExtension() {
		assertEquals("a", ImageFiles.titleBaseName("/tmp/x/a.tif"));
		assertEquals("a", ImageFiles.titleBaseName("C:\\data\\a.tif"));
		assertEquals("p_1", ImageFiles.titleBaseName("p_1.NII.GZ"));
		assertEquals("blobs", ImageFiles.titleBaseName("blobs.gif"));
		assertEquals("cells", ImageFiles.titleBaseName("cells.czi"));
		assertEquals("series", ImageFiles.titleBaseName("series"));
		assertEquals(".hidden", ImageFiles.titleBaseName(".hidden"));
		assertEquals("", ImageFiles.titleBaseName(null));
	}
}
