package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.github.sssfiji.cli.PredictCliCommandTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.TestData;
import io.github.sssfiji.io.torch.OfficialCheckpoints;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;

/** {@code import-sam2}: the parity fixture's checkpoint with its config.json; a SAM 2.1 state dict is refused as such. */
class ImportSam2CliCommandTest {

	@TempDir
	Path dir;

	@Test
	void theFixtureCheckpointImportsWithItsConfig() throws IOException {
		final Path fixture = TestData.sam2Parity();
		final Path out = dir.resolve("micro" + Sam2ModelFiles.EXTENSION);
		final String auto = run(2, "import-sam2", fixture.resolve("weights.pt").toString(), "--out", out.toString());
		assertTrue(auto.contains("fits none of the SAM 2 v1 presets") && !auto.contains("2.1"), auto);
		assertTrue(Files.notExists(out));
		final String log = run(0, "import-sam2", fixture.resolve("weights.pt").toString(), "--config", fixture.resolve("config.json").toString(), "--out",
			out.toString());
		assertTrue(log.contains("all 468 tensors of weights.pt match the keys and shapes") && log.contains("wrote " + out), log);
		assertEquals(Sam2ModelFiles.readProvenance(out).sourceSha256(), io.github.sssfiji.util.Sha256.file(fixture.resolve("weights.pt")));
	}

	@Test
	void aSam21CheckpointIsRefusedAsSuch() throws IOException {
		// SAM 2.1 adds three tensors to the v1 state dict
		final Map<String, long[]> shapes = new LinkedHashMap<>(Sam2Model.expectedShapes(Sam2Config.micro()));
		shapes.put("no_obj_embed_spatial", new long[] { 1, 12 });
		shapes.put("obj_ptr_tpos_proj.weight", new long[] { 12, 48 });
		shapes.put("obj_ptr_tpos_proj.bias", new long[] { 12 });
		final Path checkpoint = dir.resolve("sam2.1_hiera_micro.pt");
		OfficialCheckpoints.writeRandom(checkpoint, shapes, 21);
		final Path out = dir.resolve("m" + Sam2ModelFiles.EXTENSION);
		final String auto = run(2, "import-sam2", checkpoint.toString(), "--out", out.toString());
		assertTrue(auto.contains("SAM 2.1") && auto.contains("obj_ptr_tpos_proj.weight") && auto.contains("sam2_hiera_*.pt"), auto);
		final String micro = run(2, "import-sam2", checkpoint.toString(), "--config", "micro", "--out", out.toString());
		assertTrue(micro.contains("SAM 2.1") && micro.contains("no_obj_embed_spatial"), micro);
		assertTrue(Files.notExists(out));
	}
}
