package io.github.sssfiji.sss.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiHeader;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;

class PredictFilesTest {

	private static final List<String> ACDC = List.of("background", "RV", "Myo", "LV");

	@TempDir
	Path temp;

	private Path model() throws IOException {
		final Path file = temp.resolve("m.sss");
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(UNetConfig.acdc(), root, 3)) {
			SssModel.write(file, net, ACDC, 32, null);
		}
		return file;
	}

	@Test
	void modelFilesRoundTripWeightsAndBuffers() throws IOException {
		final Path file = model();
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(UNetConfig.acdc(), root, 3);
			SssModel model = SssModel.load(file, Device.cpu()))
		{
			assertEquals(ACDC, model.classNames());
			assertEquals(32, model.inputSize());
			for (final var e : net.state().parameters().entrySet())
				assertArrayEquals(e.getValue().toFloatArray(), model.network().state().get(e.getKey()).toFloatArray(), 0f, e.getKey());
			for (final var e : net.state().buffers().entrySet())
				assertArrayEquals(e.getValue().toFloatArray(), model.network().state().get(e.getKey()).toFloatArray(), 0f, e.getKey());
		}
	}

	@Test
	void labelMapsKeepTheInputGeometry() throws IOException {
		final Path nifti = Path.of("sample-data", "test", "images", "synthetic_014.nii.gz");
		final Path hdf5 = TestData.acdc().resolve("data").resolve("patient028_frame01.h5");
		try (SssModel model = SssModel.load(model(), Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			final List<Path> written = PredictFiles.run(model, List.of(nifti, hdf5), temp.resolve("out"), OutputFormat.NIFTI, 8, false, false, false, root, null).written();
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
	void anExistingLabelMapIsSkippedAndLeftUntouchedUnlessOverwriteIsAsked() throws IOException {
		final Path image = Path.of("sample-data", "test", "images", "synthetic_014.nii.gz");
		final Path out = Files.createDirectories(temp.resolve("out")), target = out.resolve("synthetic_014.nii.gz");
		Files.writeString(target, "done before");
		final List<String> events = new ArrayList<>();
		try (SssModel model = SssModel.load(model(), Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			final PredictFiles.Outcome kept = PredictFiles.run(model, List.of(image), out, OutputFormat.NIFTI, 8, false, false, false, root, recorder(events));
			assertEquals(List.of(image), kept.skipped());
			assertEquals(List.of(), kept.written());
			assertEquals("0 done, 1 skipped (label map exists), 0 failed", kept.counts());
			assertEquals("done before", Files.readString(target), "the existing label map is left as it was");
			assertEquals(List.of("skipped synthetic_014.nii.gz"), events);

			final PredictFiles.Outcome replaced = PredictFiles.run(model, List.of(image), out, OutputFormat.NIFTI, 8, true, false, false, root, null);
			assertEquals(List.of(target), replaced.written());
			assertEquals(List.of(), replaced.skipped());
			assertArrayEquals(ImageFiles.read(image).dims(), ImageFiles.readLabels(target).dims(), "overwrite replaced it with a label map");
		}
	}

	@Test
	void aCorruptInputInTheMiddleIsReportedAndTheInputsAfterItAreWritten() throws IOException {
		final Path first = Path.of("sample-data", "test", "images", "synthetic_014.nii.gz");
		final Path broken = temp.resolve("broken.nii.gz"), last = Path.of("sample-data", "test", "images", "synthetic_015.nii.gz");
		Files.write(broken, new byte[] { 0x1f, (byte) 0x8b, 8, 0, 1, 2, 3 });
		final Path out = temp.resolve("out");
		final List<String> events = new ArrayList<>();
		try (SssModel model = SssModel.load(model(), Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			final PredictFiles.Outcome outcome = PredictFiles.run(model, List.of(first, broken, last), out, OutputFormat.NIFTI, 8, false, false, false, root, recorder(events));
			assertEquals(List.of(out.resolve("synthetic_014.nii.gz"), out.resolve("synthetic_015.nii.gz")), outcome.written());
			assertEquals(1, outcome.failed().size());
			assertEquals(broken, outcome.failed().get(0).input());
			assertFalse(outcome.failed().get(0).reason().isBlank());
			assertEquals("2 done, 0 skipped (label map exists), 1 failed", outcome.counts());
			assertEquals(List.of("written synthetic_014.nii.gz", "failed broken.nii.gz", "written synthetic_015.nii.gz"), events);
		}
		try (Stream<Path> files = Files.list(out)) {
			assertEquals(List.of("synthetic_014.nii.gz", "synthetic_015.nii.gz"), files.map(p -> p.getFileName().toString()).sorted().toList(),
				"no label map for the corrupt input and no temporary file left");
		}
	}

	@Test
	void aStopLeavesTheRemainingInputsUnprocessed() throws IOException {
		final List<Path> inputs = List.of(Path.of("sample-data", "test", "images", "synthetic_014.nii.gz"),
			Path.of("sample-data", "test", "images", "synthetic_015.nii.gz"));
		final List<String> events = new ArrayList<>();
		try (SssModel model = SssModel.load(model(), Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			final PredictFiles.Outcome outcome = PredictFiles.run(model, inputs, temp.resolve("out"), OutputFormat.NIFTI, 8, false, false, false, root, new PredictFiles.Listener() {

				@Override
				public boolean stopRequested() {
					return !events.isEmpty();
				}

				@Override
				public void written(final Path input, final Path target, final double seconds) {
					events.add("written " + input.getFileName());
				}
			});
			assertEquals(1, outcome.written().size());
			assertEquals(1, outcome.notProcessed());
			assertFalse(Files.exists(temp.resolve("out").resolve("synthetic_015.nii.gz")));
		}
	}

	private static PredictFiles.Listener recorder(final List<String> events) {
		return new PredictFiles.Listener() {

			@Override
			public void written(final Path input, final Path target, final double seconds) {
				events.add("written " + input.getFileName());
			}

			@Override
			public void skipped(final Path input, final Path target) {
				events.add("skipped " + input.getFileName());
			}

			@Override
			public void failed(final Path input, final String reason) {
				events.add("failed " + input.getFileName());
			}
		};
	}

	@Test
	void confidenceIsTheLargestProbabilityAndEntropyIsMinusTheSumOfPLogPAndTheLabelMapIsUnchanged() throws IOException {
		final Path nifti = Path.of("sample-data", "test", "images", "synthetic_014.nii.gz");
		final Path out = temp.resolve("out"), plainOut = temp.resolve("plain");
		try (SssModel model = SssModel.load(model(), Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			final PredictFiles.Outcome outcome = PredictFiles.run(model, List.of(nifti), out, OutputFormat.NIFTI, 8, false, true, false, root, null);
			assertEquals(List.of(out.resolve("synthetic_014.nii.gz")), outcome.written());
			PredictFiles.run(model, List.of(nifti), plainOut, OutputFormat.NIFTI, 8, false, false, false, root, null);
			final MedicalImage input = ImageFiles.read(nifti);
			final float[] p = PredictFiles.probabilities(model, input, 8, false, root);
			final int classes = 4, n = p.length / classes;
			final MedicalImage confidence = ImageFiles.read(out.resolve("synthetic_014.confidence.nii.gz"));
			final MedicalImage entropy = ImageFiles.read(out.resolve("synthetic_014.entropy.nii.gz"));
			for (final MedicalImage map : List.of(confidence, entropy)) {
				assertTrue(map.image().getType() instanceof FloatType, "float32 maps");
				assertArrayEquals(input.dims(), map.dims());
				assertArrayEquals(input.spacing(), map.spacing(), 1e-6);
				assertArrayEquals(input.niftiHeader().srowX, map.niftiHeader().srowX, 1e-6);
				assertArrayEquals(input.niftiHeader().srowY, map.niftiHeader().srowY, 1e-6);
				assertArrayEquals(input.niftiHeader().srowZ, map.niftiHeader().srowZ, 1e-6);
			}
			final float[] c = confidence.toFloatArray(), h = entropy.toFloatArray();
			assertEquals(n, c.length);
			for (int i = 0; i < n; i++) {
				double max = 0, sum = 0;
				for (int k = 0; k < classes; k++) {
					final double q = p[k * n + i];
					max = Math.max(max, q);
					if (q > 0) sum -= q * Math.log(q);
				}
				assertEquals(max, c[i], 1e-6, "confidence at " + i);
				assertTrue(c[i] >= 1.0 / classes - 1e-6 && c[i] <= 1 + 1e-6, "confidence " + c[i] + " at " + i);
				assertEquals(sum, h[i], 1e-5, "entropy at " + i);
				assertTrue(h[i] >= 0 && h[i] <= Math.log(classes) + 1e-5, "entropy " + h[i] + " at " + i);
			}
			assertArrayEquals(ImageFiles.readLabels(plainOut.resolve("synthetic_014.nii.gz")).toLabelArray(),
				ImageFiles.readLabels(out.resolve("synthetic_014.nii.gz")).toLabelArray(), "the label map does not depend on --confidence");
		}
		try (Stream<Path> files = Files.list(out)) {
			assertEquals(List.of("synthetic_014.confidence.nii.gz", "synthetic_014.entropy.nii.gz", "synthetic_014.nii.gz"),
				files.map(f -> f.getFileName().toString()).sorted().toList(), "three files and no temporary file left");
		}
	}

	@Test
	void withConfidenceAnExistingLabelMapIsStillSkippedUnlessOverwriteIsAsked() throws IOException {
		final Path image = Path.of("sample-data", "test", "images", "synthetic_014.nii.gz");
		final Path out = Files.createDirectories(temp.resolve("out")), target = out.resolve("synthetic_014.nii.gz");
		Files.writeString(target, "done before");
		try (SssModel model = SssModel.load(model(), Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			assertEquals(List.of(image), PredictFiles.run(model, List.of(image), out, OutputFormat.NIFTI, 8, false, true, false, root, null).skipped());
			assertEquals("done before", Files.readString(target));
			assertFalse(Files.exists(PredictFiles.confidenceTarget(target)));
			assertEquals(List.of(target), PredictFiles.run(model, List.of(image), out, OutputFormat.NIFTI, 8, true, true, false, root, null).written());
			assertTrue(Files.isRegularFile(PredictFiles.confidenceTarget(target)) && Files.isRegularFile(PredictFiles.entropyTarget(target)));
		}
	}

	/** In TIFF every output ends in .tif: the label map and the confidence and entropy maps beside it. */
	@Test
	void tiffOutputsAreNamedTifBesideEachOther() {
		final Path target = PredictFiles.targets(List.of(Path.of("in", "cells.ome.tif")), temp, OutputFormat.TIFF, true, "output").get(Path.of("in", "cells.ome.tif"));
		assertEquals(temp.toAbsolutePath().normalize().resolve("cells.ome.tif"), target);
		assertEquals("cells.ome.confidence.tif", PredictFiles.confidenceTarget(target).getFileName().toString());
		assertEquals("cells.ome.entropy.tif", PredictFiles.entropyTarget(target).getFileName().toString());
		assertEquals("a.entropy.nii.gz", PredictFiles.entropyTarget(PredictFiles.target(Path.of("a.h5"), temp, OutputFormat.NIFTI, "output")).getFileName().toString());
		assertEquals(OutputFormat.TIFF, OutputFormat.parse(" TIFF ", "format"));
	}

	@Test
	void anInputWhoseLabelMapNameIsAnotherInputsConfidenceMapIsRefusedBeforeAnythingIsWritten() {
		final List<Path> inputs = List.of(Path.of("a.nii.gz"), Path.of("a.confidence.nii.gz"));
		assertEquals(2, PredictFiles.targets(inputs, temp, OutputFormat.NIFTI, false, "output").size(), "no clash without confidence maps");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictFiles.targets(inputs, temp, OutputFormat.NIFTI, true, "output"));
		assertTrue(e.getMessage().contains("a.confidence.nii.gz"), e.getMessage());
	}

	@Test
	void ttaIsTheMeanOfThePlainProbabilitiesAndTheFlippedBackProbabilitiesOfTheMirrorAndIsSymmetric() throws IOException {
		final MedicalImage image = ImageFiles.read(Path.of("sample-data", "test", "images", "synthetic_014.nii.gz"));
		final int width = image.dims()[0];
		final long[] shape = Arrays.stream(image.dims()).asLongStream().toArray();
		final MedicalImage mirror = image.withPixels(ArrayImgs.floats(mirror(image.toFloatArray(), width), shape));
		try (SssModel model = SssModel.load(model(), Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			final float[] plain = PredictFiles.probabilities(model, image, 8, false, root);
			final float[] back = mirror(PredictFiles.probabilities(model, mirror, 8, false, root), width);
			final float[] expected = new float[plain.length];
			for (int i = 0; i < plain.length; i++)
				expected[i] = (plain[i] + back[i]) / 2;
			final float[] tta = PredictFiles.probabilities(model, image, 8, true, root);
			assertArrayEquals(expected, tta, 1e-6f);
			assertFalse(Arrays.equals(plain, tta), "the untrained network is not mirror symmetric, so TTA changes something");

			assertArrayEquals(mirror(tta, width), PredictFiles.probabilities(model, mirror, 8, true, root), 1e-6f,
				"TTA of the mirror is the mirror of TTA");
			final int[] labels = PredictFiles.predict(model, image, 8, true, root).toLabelArray();
			final int[] mirroredLabels = PredictFiles.predict(model, mirror, 8, true, root).toLabelArray();
			for (int i = 0; i < labels.length; i++)
				assertEquals(labels[i], mirroredLabels[i / width * width + width - 1 - i % width], "label at " + i);
		}
	}

	/** {@code values} (x fastest, rows of {@code width}) with x reversed, written out here rather than taken from PredictFiles. */
	private static float[] mirror(final float[] values, final int width) {
		final float[] out = new float[values.length];
		for (int i = 0; i < values.length; i++) {
			final int x = i % width, row = i / width;
			out[row * width + (width - 1 - x)] = values[i];
		}
		return out;
	}

	@Test
	void inputsFromListsAndClearErrors() throws IOException {
		final Path list = temp.resolve("list.txt");
		Files.writeString(list, "# cases\n" + Path.of("sample-data/test/images/synthetic_015.nii.gz").toAbsolutePath() + "\n\nmissing.nii.gz\n");
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> PredictFiles.inputs(null, list));
		assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("missing.nii.gz"), e.getMessage());
		assertEquals(4, PredictFiles.inputs(Path.of("sample-data/test/images"), null).images().size());
		final Path notModel = temp.resolve("x.sss");
		Files.writeString(notModel, "hello");
		assertThrows(InvalidInputException.class, () -> SssModel.load(notModel, Device.cpu()));
	}
}
