package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.cli.MainTest.Run;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.PromptMaps;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.Prompt;
import io.github.sssfiji.sss.pcsw.PromptsJson;

/** {@code propagate} on a sample volume with an untrained promptable U-Net: the files, the geometry and the refusals. */
class PropagateCliCommandTest {

	private static final Path IMAGE = Path.of("sample-data", "test", "images", "synthetic_014.nii.gz");

	@TempDir
	Path dir;

	private Path model(final boolean prompts) throws IOException {
		final Path file = dir.resolve(prompts ? "promptable.sss" : "plain.sss");
		final UNetConfig config = UNetConfig.acdc().withPromptChannels(prompts ? PromptMaps.channels(4) : 0);
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(config, root, 3)) {
			SssModel.write(file, net, List.of("background", "RV", "Myo", "LV"), 32, null);
		}
		return file;
	}

	private Path prompts(final int slice, final int classLabel) throws IOException {
		final Path file = dir.resolve("prompts-" + slice + "-" + classLabel + ".json");
		PromptsJson.write(List.of(new Prompt(classLabel, slice, 4, 5, 12, 14, 8, 9, 0, 1)), file);
		return file;
	}

	@Test
	void aPromptOnOneSliceGivesALabelMapOfTheWholeVolume() throws IOException {
		final MedicalImage image = ImageFiles.read(IMAGE);
		final Path out = dir.resolve("out");
		final Run run = new Run("propagate", "--model", model(true).toString(), "--input", IMAGE.toString(), "--prompts",
			prompts(image.dims()[2] / 2, 3).toString(), "--out", out.toString(), "--confidence", "true");
		assertEquals(0, run.code, run.out + run.err);
		assertTrue(run.out.contains("boxes carried from slice to slice"), run.out);
		final MedicalImage labels = ImageFiles.readLabels(out.resolve("synthetic_014.nii.gz"));
		assertArrayEquals(image.dims(), labels.dims());
		assertArrayEquals(image.spacing(), labels.spacing(), 1e-6);
		assertTrue(Files.isRegularFile(out.resolve("synthetic_014.confidence.nii.gz")));
	}

	@Test
	void aModelWithoutPromptsAndPromptsOutsideTheImageAreRefused() throws IOException {
		final Path out = dir.resolve("out");
		final Run plain = new Run("propagate", "--model", model(false).toString(), "--input", IMAGE.toString(), "--prompts", prompts(0, 1).toString(),
			"--out", out.toString());
		assertEquals(2, plain.code, plain.out + plain.err);
		assertTrue(plain.err.contains("reads no prompts"), plain.err);
		final Path promptable = model(true);
		final Run slice = new Run("propagate", "--model", promptable.toString(), "--input", IMAGE.toString(), "--prompts", prompts(999, 1).toString(),
			"--out", out.toString());
		assertEquals(2, slice.code, slice.out + slice.err);
		assertTrue(slice.err.contains("slice 999"), slice.err);
		final Run classLabel = new Run("propagate", "--model", promptable.toString(), "--input", IMAGE.toString(), "--prompts", prompts(0, 4).toString(),
			"--out", out.toString());
		assertEquals(2, classLabel.code, classLabel.out + classLabel.err);
		assertTrue(classLabel.err.contains("class 4"), classLabel.err);
		assertFalse(Files.exists(out.resolve("synthetic_014.nii.gz")));
	}
}
