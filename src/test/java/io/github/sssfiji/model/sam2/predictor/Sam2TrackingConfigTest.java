package io.github.sssfiji.model.sam2.predictor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;

/** Tracking flags from the fixture's config.json and the v1 defaults; SAM 2.1-only flags are refused by name. */
class Sam2TrackingConfigTest {

	@Test
	void fixtureFlagsEqualTheOfficialV1Defaults() throws IOException {
		final Path file = TestData.sam2Parity().resolve("config.json");
		final Sam2Config model = Sam2Config.parse(file);
		for (final Sam2TrackingConfig c : new Sam2TrackingConfig[] { Sam2TrackingConfig.parse(file, model), Sam2TrackingConfig.officialV1(model) }) {
			assertEquals(7, c.numMaskmem);
			assertTrue(c.directlyAddNoMemEmbed && c.useObjPtrsInEncoder && c.onlyObjPtrsInThePastForEval && c.predObjScores && c.fixedNoObjPtr);
			assertTrue(c.binarizeMaskFromPtsForMemEnc && c.useMaskInputAsOutputWithoutSam && c.dynamicMultimaskViaStability);
			assertFalse(c.addTposEncToObjPtrs || c.softNoObjPtr || c.useSignedTposEncToObjPtrs);
			assertEquals(16, c.maxObjPtrsInEncoder);
			assertEquals(-1, c.maxCondFramesInAttn);
			assertEquals(1, c.memoryTemporalStrideForEval);
			assertEquals(20f, c.sigmoidScaleForMemEnc);
			assertEquals(-10f, c.sigmoidBiasForMemEnc);
			assertEquals(0.05f, c.stabilityDelta);
			assertEquals(0.98f, c.stabilityThreshold);
			assertEquals(3, c.maxObjPtrs(3), "min(num_frames, max_obj_ptrs_in_encoder)");
			assertEquals(16, c.maxObjPtrs(100));
			// multimask on the first frame for one click, never for a box (2 points); always when tracking without points
			assertTrue(c.useMultimask(true, 1));
			assertFalse(c.useMultimask(true, 2));
			assertTrue(c.useMultimask(false, 0));
		}
	}

	@Test
	void refusesFlagsThatNeedParametersTheModelLacks(@TempDir final Path tmp) throws IOException {
		final Path file = TestData.sam2Parity().resolve("config.json");
		final Sam2Config model = Sam2Config.parse(file);
		final String json = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		for (final String flag : new String[] { "no_obj_embed_spatial", "proj_tpos_enc_in_obj_ptrs" }) {
			final Path changed = tmp.resolve(flag + ".json");
			Files.write(changed, json.replace("\"" + flag + "\": false", "\"" + flag + "\": true").getBytes(StandardCharsets.UTF_8));
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sam2TrackingConfig.parse(changed, model));
			assertTrue(e.getMessage().contains(flag) && e.getMessage().contains(changed.toString()), e.getMessage());
		}
	}
}
