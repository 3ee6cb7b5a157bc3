package io.github.sssfiji.sss.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiHeader;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetBackbone;
import io.github.sssfiji.sss.modelfile.SssModel;

class PredictFilesTest {

	private static final List<String> ACDC = List.of("background", "RV", "Myo", "LV");

	@TempDir
	Path temp;

	private Path model() throws IOException {
		final Path file = temp.resolve("m.sss");
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetBackbone net = UNetBackbone.create(UNetConfig.acdc(), root, 3)) {
			SssModel.write(file, net, ACDC, 32, null);
		}
		return file;
	}

	@Test
	void modelFilesRoundTripWeightsAndBuffers() throws IOException {
		final Path file = model();
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetBackbone net = UNetBackbone.create(UNetConfig.acdc(), root, 3);
			SssModel model = SssModel.load(file))
		{
			assertEquals(ACDC, model.classNames());
			assertEquals(32, model.inputSize());
			for (final var e : net.state().parameters().entrySet())
				assertArrayEquals(e.getValue().toFloatArray(), model.backbone().state().get(e.getKey()).toFloatArray(), 0f, e.getKey());
			for (final var e : net.state().buffers().entrySet())
				assertArrayEquals(e.getValue().toFloatArray(), model.backbone().state().get(e.getKey()).toFloatArray(), 0f, e.getKey());
		}
	}

	@Test
	void labelMapsKeepTheInputGeometry() throws IOException {
		final Path nifti = Path.of("sample-data", "test", "images", "synthetic_014.nii.gz");
		final Path hdf5 = TestData.acdc().resolve("data").resolve("patient028_frame01.h5");
		try (SssModel model = SssModel.load(model())) {
			final List<Path> written = PredictFiles.run(model, List.of(nifti, hdf5), temp.resolve("out"), 8, null);
			assertEquals(List.of(temp.resolve("out").resolve("synthetic_014.nii.gz"), temp.resolve("out").resolve("patient028_frame01.nii.gz")), written);
			for (int k = 0; k < 2; k++) {
				final MedicalImage input = ImageFiles.read(k == 0 ? nifti : hdf5);
				final MedicalImage output = ImageFiles.readLabels(written.get(k));
				assertArrayEquals(input.dims(), output.dims());
				assertArrayEquals(input.spacing(), output.spacing(), 1e-6);
				for (final int label : output.toLabelArray())
					assertTrue(label >= 0 && label < 4);
			}
			final NiftiHeader in = ImageFiles.read(nifti).niftiHeader(), out = ImageFiles.readLabels(written.get(0)).niftiHeader();
			assertArrayEquals(in.srowX, out.srowX, 1e-6);
			assertArrayEquals(in.srowZ, out.srowZ, 1e-6);
			assertEquals(in.qformCode, out.qformCode);
		}
	}

	@Test
	void inputsFromListsAndClearErrors() throws IOException {
		final Path list = temp.resolve("list.txt");
		Files.writeString(list, "# cases\n" + Path.of("sample-data/test/images/synthetic_015.nii.gz").toAbsolutePath() + "\n\nmissing.nii.gz\n");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictFiles.inputs(null, list));
		assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("missing.nii.gz"), e.getMessage());
		assertEquals(4, PredictFiles.inputs(Path.of("sample-data/test/images"), null).size());
		final Path notModel = temp.resolve("x.sss");
		Files.writeString(notModel, "hello");
		assertThrows(InvalidInputException.class, () -> SssModel.load(notModel));
	}
}
