package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.dfe.DfeReference;
import io.github.sssfiji.sss.dfe.DfeScope;
import io.github.sssfiji.sss.pcsw.PcswPreset;

class TrainingConfigTest {

	@Test
	void defaultsAreTheDesignsAndRoundTrip() {
		final TrainingConfig c = TrainingConfig.defaults();
		assertEquals(TrainingMode.SSS, c.mode);
		assertTrue(c.dfe && c.pcsw);
		assertEquals(0.95, c.confidenceThreshold);
		assertEquals(0.996, c.emaMax);
		assertEquals(Optimizer.Kind.ADAMW, c.optimizer);
		assertEquals(1e-3, c.lr);
		assertEquals(0.01, c.weightDecay);
		assertEquals(DfeReference.STRONG, c.dfeReference);
		assertEquals(c.toJson(), TrainingConfig.of(c.toJson(), "again").toJson());
		final TrainingConfig sgd = c.with("optimizer", "sgd");
		assertEquals(0.01, sgd.lr);
		assertEquals(1e-4, sgd.weightDecay);
	}

	@Test
	void modeSwitchesDfeAndPcsw() {
		final TrainingConfig consistency = TrainingConfig.defaults().with("mode", "consistency");
		assertFalse(consistency.dfe || consistency.pcsw);
		assertTrue(consistency.semiSupervised());
		final TrainingConfig noPcsw = TrainingConfig.defaults().with("pcsw", false);
		assertTrue(noPcsw.dfe);
		assertFalse(noPcsw.pcsw);
		assertFalse(TrainingConfig.defaults().with("mode", "supervised").semiSupervised());
	}

	@Test
	void badValuesNameTheKeyAndTheValue() {
		assertMessage("{\"crop\": 100}", "'crop' = 100", "multiple of 16");
		assertMessage("{\"crop\": 8}", "'crop' = 8", "[16, 4096]");
		assertMessage("{\"batch\": 2.5}", "'batch' = 2.5", "integer");
		assertMessage("{\"lr\": \"fast\"}", "'lr' = \"fast\"", "number");
		assertMessage("{\"mode\": \"semi\"}", "'mode' = \"semi\"", "supervised, consistency, sss");
		assertMessage("{\"confidenceThreshold\": 1.5}", "'confidenceThreshold' = 1.5", "[0.0, 1.0]");
		assertMessage("{\"dfe\": \"yes\"}", "'dfe' = \"yes\"", "true or false");
		assertMessage("{\"bacth\": 4}", "unknown key 'bacth'", "batch");
		assertMessage("{\"mode\": \"consistency\", \"dfe\": true}", "'dfe' = true", "mode 'sss'");
		assertMessage("{\"minScale\": 1.2, \"maxScale\": 1.1}", "'maxScale' = 1.1", "'minScale' = 1.2");
		assertMessage("{\"backbone\": \"sam2-micro\", \"sequenceLength\": 0}", "'sequenceLength' = 0", "[1, 64]");
		assertMessage("{\"backbone\": \"sam2-micro\", \"sequenceLength\": 1.5}", "'sequenceLength' = 1.5", "integer");
		assertMessage("{\"sequenceLength\": 2}", "'sequenceLength' = 2", "only SAM-2", "'unet'");
		assertMessage("{\"backbone\": \"sam2-micro\", \"batch\": 8, \"sequenceLength\": 3}", "'sequenceLength' = 3", "divide 'batch' = 8");
		assertMessage("{\"dfeReference\": \"teacher\"}", "'dfeReference' = \"teacher\"", "weak, strong");
		assertMessage("{\"dfeScope\": \"labelled\"}", "'dfeScope' = \"labelled\"", "strong, all");
		assertMessage("{\"dfe\": false, \"dfeScope\": \"all\"}", "'dfeScope' = \"all\"", "'dfe' = true");
		assertMessage("{\"mode\": \"consistency\", \"dfeScope\": \"all\"}", "'dfeScope' = \"all\"", "'dfe' = true");
		assertMessage("{\"backbone\": \"sam2-micro\", \"promptFrequency\": 0}", "'promptFrequency' = 0", "[1, 64]");
		assertMessage("{\"validate\": \"ema\"}", "'validate' = \"ema\"", "both, teacher, student");
		assertMessage("{\"mode\": \"supervised\", \"validate\": \"both\"}", "'validate' = \"both\"", "semi-supervised mode");
		assertEquals(TrainingConfig.Validated.BOTH, TrainingConfig.defaults().validate);
		assertEquals(TrainingConfig.Validated.STUDENT, TrainingConfig.defaults().with("mode", "supervised").validate);
		assertEquals(2, TrainingConfig.defaults().promptFrequency);
		assertEquals(1, TrainingConfig.defaults().sequenceLength);
		assertEquals(4, TrainingConfig.defaults().with("backbone", "sam2-micro").with("sequenceLength", 4).sequenceLength);
	}

	@Test
	void optionStringsAreAccepted() {
		final JsonObject json = new JsonObject();
		json.addProperty("iterations", "25");
		json.addProperty("dfe", "false");
		final TrainingConfig c = TrainingConfig.of(json, "options");
		assertEquals(25, c.iterations);
		assertFalse(c.dfe);
	}

	@Test
	void choicesAreTypedAndWrittenAsTheirNames() {
		final TrainingConfig c = TrainingConfig.defaults().with("optimizer", "sgd").with("dfeScope", "all").with("dfeReference", "weak")
			.with("pcswPreset", "cardiac").with("validate", "teacher");
		assertEquals(Optimizer.Kind.SGD, c.optimizer);
		assertEquals(DfeScope.ALL, c.dfeScope);
		assertEquals(DfeReference.WEAK, c.dfeReference);
		assertEquals(PcswPreset.CARDIAC, c.pcswPreset);
		assertEquals(TrainingConfig.Validated.TEACHER, c.validate);
		assertEquals(TrainingMode.SSS, c.mode);
		final JsonObject json = c.toJson();
		assertEquals("sgd", json.get("optimizer").getAsString());
		assertEquals("all", json.get("dfeScope").getAsString());
		assertEquals("cardiac", json.get("pcswPreset").getAsString());
		assertEquals(c.toJson(), TrainingConfig.of(json, "again").toJson());
		assertMessage("{\"optimizer\": \"adam\"}", "optimizer", "adam", "sgd, adamw");
		assertMessage("{\"dfeScope\": \"ALL\"}", "dfeScope", "strong, all");
	}

	private static void assertMessage(final String json, final String... parts) {
		final InvalidInputException e = assertThrows(InvalidInputException.class,
			() -> TrainingConfig.of(JsonParser.parseString(json).getAsJsonObject(), "run.json"));
		assertTrue(e.getMessage().startsWith("run.json: "), e.getMessage());
		for (final String part : parts)
			assertTrue(e.getMessage().contains(part), e.getMessage() + " should contain " + part);
	}
}
