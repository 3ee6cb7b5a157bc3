package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.cli.MainTest.Run;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiHeader;
import io.github.sssfiji.io.NiftiWriter;
import io.github.sssfiji.sss.pcsw.PcswParameter;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.Prompt;
import io.github.sssfiji.sss.pcsw.PromptsJson;
import net.imglib2.img.array.ArrayImgs;

/** {@code pcsw} from a NIfTI label volume to filtered labels, rejected components and prompts. */
class PcswCliCommandTest {

	private static final int NX = 20, NY = 16, NZ = 6;

	@TempDir
	Path dir;

	/**
	 * Class 1: a box x 4..9, y 3..7 on all six slices (continuous: kept), and a 4 x 4 blob at
	 * x 14..17, y 10..13 on slice 2 only (isolated: rejected).
	 */
	@Test
	void filtersIsolatedBlobsAndPromptsEverySecondSlice() throws IOException {
		final byte[] labels = new byte[NX * NY * NZ];
		for (int z = 0; z < NZ; z++) {
			fill(labels, z, 4, 9, 3, 7, 1);
			if (z == 2) fill(labels, z, 14, 17, 10, 13, 1);
		}
		final NiftiHeader header = NiftiWriter.headerForSpacing(new double[] { 1.25, 1.25, 5 });
		header.srowX[3] = -30;
		header.description = "pcsw test";
		final Path input = dir.resolve("case.nii.gz");
		NiftiWriter.create().write(new MedicalImage("case", "nifti-1", ArrayImgs.unsignedBytes(labels, NX, NY, NZ), new double[] { 1.25, 1.25, 5 },
			header), input);
		final Path out = dir.resolve("out");
		final Run run = new Run("pcsw", "--input", input.toString(), "--out", out.toString());
		assertEquals(0, run.code, run.err);

		final MedicalImage filtered = ImageFiles.read(out.resolve("filtered.nii.gz"));
		assertArrayEquals(new int[] { NX, NY, NZ }, filtered.dims());
		assertArrayEquals(new double[] { 1.25, 1.25, 5 }, filtered.spacing(), 1e-6);
		assertEquals(-30, filtered.niftiHeader().srowX[3], 1e-6);
		assertEquals("pcsw test", filtered.niftiHeader().description);
		final int[] kept = filtered.toLabelArray(), rejected = ImageFiles.read(out.resolve("rejected.nii.gz")).toLabelArray();
		for (int z = 0; z < NZ; z++)
			for (int y = 0; y < NY; y++)
				for (int x = 0; x < NX; x++) {
					final int i = (z * NY + y) * NX + x;
					final boolean box = x >= 4 && x <= 9 && y >= 3 && y <= 7;
					final boolean blob = z == 2 && x >= 14 && x <= 17 && y >= 10 && y <= 13;
					assertEquals(box ? 1 : 0, kept[i], "kept at " + x + "," + y + "," + z);
					assertEquals(blob ? 1 : 0, rejected[i], "rejected at " + x + "," + y + "," + z);
				}

		final List<Prompt> prompts = PromptsJson.read(out.resolve("prompts.json"));
		assertEquals(List.of(0, 2, 4), prompts.stream().map(Prompt::slice).toList());
		for (final Prompt p : prompts) {
			assertEquals(1, p.classLabel());
			assertArrayEquals(new int[] { 4, 3, 9, 7 }, p.box());
			// the interior point farthest from the boundary of a 6 x 5 box: centre row y = 5, x 6 or 7
			assertEquals(5, p.click()[1]);
			assertTrue(p.click()[0] == 6 || p.click()[0] == 7, "click " + p.click()[0]);
		}
		assertTrue(run.out.contains("\"prompts\": 3"), run.out);
	}

	@Test
	void badThresholdsNameTheParameter() throws IOException {
		final Path input = dir.resolve("empty.nii.gz");
		NiftiWriter.create().write(new MedicalImage("empty", "nifti-1", ArrayImgs.unsignedBytes(NX, NY, NZ), new double[] { 1, 1, 1 }, null), input);
		final Run window = new Run("pcsw", "--input", input.toString(), "--out", dir.resolve("o").toString(), "--window", "x");
		assertEquals(2, window.code);
		assertTrue(window.err.contains("--window"), window.err);
		final Run support = new Run("pcsw", "--input", input.toString(), "--out", dir.resolve("o").toString(), "--min-support", "5");
		assertEquals(2, support.code);
		assertTrue(support.err.contains("minSupport = 5"), support.err);
		assertTrue(Files.notExists(dir.resolve("o")), "nothing is written when the parameters are invalid");
	}

	@Test
	void everyThresholdIsAnOptionNamedByItsKey() {
		final CliArguments args = CliArguments.parse("--rule", "continuity", "--window", "5", "--min-support", "3", "--min-area", "7", "--iou", "0.25",
			"--d-max", "12.5", "--area-ratio", "2.5", "--prompt-freq", "4", "--confidence", "0.9", "--single-instance", "2,3");
		final PcswParameters p = PcswCliCommand.parameters(args);
		assertEquals(List.of("continuity", 5, 3, 7, 0.25, 12.5, 2.5, 4, 0.9, false),
			java.util.Arrays.stream(PcswParameter.values()).map(q -> q.value(p)).toList());
		assertEquals(java.util.Set.of(2, 3), p.singleInstanceClasses());
		assertEquals(PcswParameters.defaults().toString(), PcswCliCommand.parameters(CliArguments.parse()).toString());
		assertTrue(PcswCliCommand.parameters(CliArguments.parse("--single-instance", "true")).singleInstance());
		for (final PcswParameter q : PcswParameter.values())
			assertTrue(new PcswCliCommand().usage().contains("--" + q.option() + " "), q.option());
		assertTrue(new PcswCliCommand().usage().contains("[--rule chains|continuity]"), new PcswCliCommand().usage());
	}

	/**
	 * {@code --rule continuity} on a sample test volume (ground truth of 3 classes, each one connected structure):
	 * one prompt per class, on a slice holding the class, whose box is the class's bounding box on that slice (one
	 * component per class and slice) and whose click is the box centre, rounded down; nothing rejected, the labels
	 * written as read.
	 */
	@Test
	void continuityRuleWritesOnePromptPerClass() throws IOException {
		final Path input = Path.of("sample-data/test/labels/synthetic_014.nii.gz");
		final Path out = dir.resolve("continuity");
		final Run run = new Run("pcsw", "--input", input.toString(), "--out", out.toString(), "--rule", "continuity");
		assertEquals(0, run.code, run.err);
		final MedicalImage image = ImageFiles.read(input);
		final int[] labels = image.toLabelArray(), dims = image.dims();
		final List<Prompt> prompts = PromptsJson.read(out.resolve("prompts.json"));
		assertEquals(List.of(1, 2, 3), prompts.stream().map(Prompt::classLabel).toList());
		for (final Prompt p : prompts) {
			int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
			for (int y = 0; y < dims[1]; y++)
				for (int x = 0; x < dims[0]; x++)
					if (labels[(p.slice() * dims[1] + y) * dims[0] + x] == p.classLabel()) {
						x0 = Math.min(x0, x);
						y0 = Math.min(y0, y);
						x1 = Math.max(x1, x);
						y1 = Math.max(y1, y);
					}
			assertArrayEquals(new int[] { x0, y0, x1, y1 }, p.box(), "class " + p.classLabel());
			assertArrayEquals(new int[] { (x0 + x1) / 2, (y0 + y1) / 2 }, p.click(), "class " + p.classLabel());
		}
		assertArrayEquals(labels, ImageFiles.read(out.resolve("filtered.nii.gz")).toLabelArray());
		assertTrue(java.util.Arrays.stream(ImageFiles.read(out.resolve("rejected.nii.gz")).toLabelArray()).allMatch(v -> v == 0));
		assertTrue(run.out.contains("\"chains\": 3, \"prompts\": 3"), run.out);
	}

	@Test
	void anUnknownRuleNamesTheOption() throws IOException {
		final Path input = dir.resolve("empty.nii.gz");
		NiftiWriter.create().write(new MedicalImage("empty", "nifti-1", ArrayImgs.unsignedBytes(NX, NY, NZ), new double[] { 1, 1, 1 }, null), input);
		final Run run = new Run("pcsw", "--input", input.toString(), "--out", dir.resolve("o").toString(), "--rule", "released");
		assertEquals(2, run.code);
		assertTrue(run.err.contains("--rule") && run.err.contains("'released'") && run.err.contains("chains, continuity"), run.err);
		assertTrue(Files.notExists(dir.resolve("o")), "nothing is written when the rule is unknown");
	}

	private static void fill(final byte[] labels, final int z, final int x0, final int x1, final int y0, final int y1, final int value) {
		for (int y = y0; y <= y1; y++)
			for (int x = x0; x <= x1; x++)
				labels[(z * NY + y) * NX + x] = (byte) value;
	}
}
