package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.sssfiji.cli.MainTest.Run;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiWriter;
import net.imglib2.img.array.ArrayImgs;

/** {@code evaluate} on hand-computed anisotropic cases, folder matching and usage errors. */
class EvaluateCliCommandTest {

	@TempDir
	Path dir;

	/**
	 * 5 x 4 image, spacing x 2 mm, y 1 mm. Reference class 1 at (1,1),(2,1), class 2 at (0,3);
	 * prediction class 1 at (2,1),(3,1), no class 2.
	 * Class 1: Dice 2*1/(2+2) = 0.5, Jaccard 1/3. Every pixel is surface. pred->ref distances {0, 2}
	 * (one step in x is 2 mm), ref->pred {2, 0}; HD95 = percentile95 of {0,0,2,2} = 2 (index 2.85
	 * between two 2s), ASD = 1, ASSD = (1 + 1) / 2 = 1.
	 * Class 2: empty prediction: Dice 0, Jaccard 0, distances undefined (null).
	 */
	@Test
	void matchesHandComputedMetricsAndWritesCsv() throws IOException {
		final Path gt = write("gt/case_a.nii.gz", new byte[] { 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0 });
		final Path pred = write("pred/case_a.nii", new byte[] { 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
		final Path csv = dir.resolve("out/metrics.csv");
		Files.createDirectories(csv.getParent());
		final Run run = new Run("evaluate", "--pred", pred.getParent().toString(), "--gt", gt.getParent().toString(), "--classes", "1,2",
			"--out", csv.toString());
		assertEquals(0, run.code, run.err);
		final JsonArray cases = JsonParser.parseString(run.out).getAsJsonObject().getAsJsonArray("cases");
		assertEquals(2, cases.size());
		final JsonObject c1 = cases.get(0).getAsJsonObject(), c2 = cases.get(1).getAsJsonObject();
		assertEquals("case_a", c1.get("case").getAsString());
		assertEquals(1, c1.get("class").getAsInt());
		assertEquals(0.5, c1.get("dice").getAsDouble(), 1e-12);
		assertEquals(1.0 / 3, c1.get("jaccard").getAsDouble(), 1e-12);
		assertEquals(2.0, c1.get("hd95").getAsDouble(), 1e-12);
		assertEquals(1.0, c1.get("asd").getAsDouble(), 1e-12);
		assertEquals(1.0, c1.get("assd").getAsDouble(), 1e-12);
		assertEquals(2, c2.get("class").getAsInt());
		assertEquals(0.0, c2.get("dice").getAsDouble());
		assertTrue(c2.get("hd95").isJsonNull() && c2.get("asd").isJsonNull() && c2.get("assd").isJsonNull(), c2.toString());
		final String table = Files.readString(csv);
		assertTrue(table.startsWith("case,class,dice,jaccard,hd95,asd,assd"), table);
		assertEquals(3, table.strip().lines().count(), table);
	}

	@Test
	void aMissingPredictionIsNamed() throws IOException {
		write("gt/case_a.nii.gz", new byte[20]);
		write("gt/case_b.nii.gz", new byte[20]);
		write("pred/case_a.nii.gz", new byte[20]);
		final Run run = new Run("evaluate", "--pred", dir.resolve("pred").toString(), "--gt", dir.resolve("gt").toString());
		assertEquals(2, run.code);
		assertTrue(run.err.contains("no prediction for 1 reference case(s): case_b"), run.err);
	}

	@Test
	void usageErrorsExitWithTwo() throws IOException {
		final Path gt = write("gt/case_a.nii.gz", new byte[20]);
		assertEquals(2, new Run("evaluate", "--gt", gt.toString()).code);
		assertEquals(2, new Run("evaluate", "--pred", "/nope.nii", "--gt", gt.toString()).code);
		final Run bad = new Run("evaluate", "--pred", gt.toString(), "--gt", gt.toString(), "--classes", "one");
		assertEquals(2, bad.code);
		assertEquals("error: evaluate: option --classes: 'one' is not a comma-separated list of integers", bad.err.strip());
		assertEquals(2, new Run("evaluate", "--pred", gt.toString(), "--gt", gt.toString(), "--prd", "x").code);
	}

	private Path write(final String name, final byte[] labels) throws IOException {
		final Path file = dir.resolve(name);
		Files.createDirectories(file.getParent());
		final MedicalImage image = new MedicalImage("x", "nifti-1", ArrayImgs.unsignedBytes(labels, 5, 4), new double[] { 2, 1 }, null);
		NiftiWriter.create().write(image, file);
		return file;
	}
}
