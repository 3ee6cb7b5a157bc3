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
}
