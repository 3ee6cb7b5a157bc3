package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.measure.ResultsTable;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiWriter;
import net.imglib2.img.array.ArrayImgs;

class EvaluateCommandTest {

	@TempDir
	Path dir;

	/** 4 x 2 labels: reference class 1 on 4 pixels, prediction on 2 of them: Dice 2*2/(4+2) = 2/3. */
	@Test
	void tablesTheMetricsAndWritesCsv() throws Exception {
		final Path gt = dir.resolve("gt.nii.gz"), pred = dir.resolve("pred.nii.gz"), csv = dir.resolve("metrics.csv");
		NiftiWriter.create().write(new MedicalImage("gt", "nifti-1", ArrayImgs.unsignedBytes(new byte[] { 1, 1, 0, 0, 1, 1, 0, 0 }, 4, 2),
			new double[] { 1, 1 }, null), gt);
		NiftiWriter.create().write(new MedicalImage("pred", "nifti-1", ArrayImgs.unsignedBytes(new byte[] { 1, 0, 0, 0, 1, 0, 0, 0 }, 4, 2),
			new double[] { 1, 1 }, null), pred);
		try (Context context = new Context(CommandService.class)) {
			final CommandModule module = context.service(CommandService.class).run(EvaluateCommand.class, false, "prediction", pred.toFile(),
				"ground_truth", gt.toFile(), "output", csv.toFile()).get();
			final ResultsTable table = (ResultsTable) module.getOutput("table");
			assertEquals(1, table.size());
			assertEquals("gt", table.getStringValue("case", 0));
			assertEquals(2.0 / 3, table.getValue("dice", 0), 1e-12);
			assertEquals(0.5, table.getValue("jaccard", 0), 1e-12);
			assertEquals(2.0 / 3, (double) module.getOutput("mean_dice"), 1e-12);
			assertTrue(Files.readString(csv).startsWith("case,class,dice"));
		}
	}
}
