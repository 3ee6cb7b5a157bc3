package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.MemoryBank;
import io.github.sssfiji.sss.dfe.DfeReference;
import io.github.sssfiji.sss.dfe.DfeForm;
import io.github.sssfiji.sss.dfe.DfeScope;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PcswPreset;
import io.github.sssfiji.sss.pcsw.PcswRule;

class TrainingConfigTest {

	@Test
	void defaultsAreTheDesignsAndRoundTrip() {
		final TrainingConfig c = TrainingConfig.defaults();
		assertEquals(TrainingMode.SSS, c.method().mode());
		assertTrue(c.method().dfe() && c.method().pcsw());
		assertEquals(0.95, c.consistency().confidenceThreshold());
		assertEquals(0.996, c.consistency().emaMax());
		assertEquals(Optimizer.Kind.ADAMW, c.optimisation().optimizer());
		assertEquals(1e-3, c.optimisation().lr());
		assertEquals(0.01, c.optimisation().weightDecay());
		assertEquals(DfeReference.STRONG, c.method().dfeReference());
		assertEquals(c.toJson(), TrainingConfig.of(c.toJson(), "again").toJson());
		final TrainingConfig sgd = c.with("optimizer", "sgd");
		assertEquals(0.01, sgd.optimisation().lr());
		assertEquals(1e-4, sgd.optimisation().weightDecay());
	}

	@Test
	void modeSwitchesDfeAndPcsw() {
		final TrainingConfig consistency = TrainingConfig.defaults().with("mode", "consistency");
		assertFalse(consistency.method().dfe() || consistency.method().pcsw());
		assertTrue(consistency.semiSupervised());
		final TrainingConfig noPcsw = TrainingConfig.defaults().with("pcsw", false);
		assertTrue(noPcsw.method().dfe());
		assertFalse(noPcsw.method().pcsw());
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
		assertEquals(TrainingConfig.Validated.BOTH, TrainingConfig.defaults().run().validate());
		assertEquals(TrainingConfig.Validated.STUDENT, TrainingConfig.defaults().with("mode", "supervised").run().validate());
		assertEquals(2, TrainingConfig.defaults().prompting().promptFrequency());
		assertEquals(1, TrainingConfig.defaults().sam2().sequenceLength());
		assertEquals(4, TrainingConfig.defaults().with("backbone", "sam2-micro").with("sequenceLength", 4).sam2().sequenceLength());
	}

	@Test
	void optionStringsAreAccepted() {
		final JsonObject json = new JsonObject();
		json.addProperty("iterations", "25");
		json.addProperty("dfe", "false");
		final TrainingConfig c = TrainingConfig.of(json, "options");
		assertEquals(25, c.run().iterations());
		assertFalse(c.method().dfe());
	}

	@Test
	void choicesAreTypedAndWrittenAsTheirNames() {
		final TrainingConfig c = TrainingConfig.defaults().with("optimizer", "sgd").with("dfeScope", "all").with("dfeReference", "weak")
			.with("pcswPreset", "cardiac").with("validate", "teacher");
		assertEquals(Optimizer.Kind.SGD, c.optimisation().optimizer());
		assertEquals(DfeScope.ALL, c.method().dfeScope());
		assertEquals(DfeReference.WEAK, c.method().dfeReference());
		assertEquals(PcswPreset.CARDIAC, c.method().pcswPreset());
		assertEquals(TrainingConfig.Validated.TEACHER, c.run().validate());
		assertEquals(TrainingMode.SSS, c.method().mode());
		final JsonObject json = c.toJson();
		assertEquals("sgd", json.get("optimizer").getAsString());
		assertEquals("all", json.get("dfeScope").getAsString());
		assertEquals("cardiac", json.get("pcswPreset").getAsString());
		assertEquals(c.toJson(), TrainingConfig.of(json, "again").toJson());
		assertMessage("{\"optimizer\": \"adam\"}", "optimizer", "adam", "sgd, adamw");
		assertMessage("{\"dfeScope\": \"ALL\"}", "dfeScope", "strong, all");
	}

	@Test
	void pcswRuleChoosesTheRuleOfTheRefreshes() {
		final TrainingConfig chains = TrainingConfig.defaults();
		assertEquals(PcswRule.CHAINS, chains.method().pcswRule());
		assertEquals("chains", chains.toJson().get("pcswRule").getAsString());
		assertEquals(PcswParameters.defaults().toBuilder().promptFrequency(2).build().toString(), Trainer.pcswParameters(chains).toString());

		final TrainingConfig continuity = TrainingConfig.defaults().with("pseudoLabels", "prompted").with("pcswRule", "continuity")
			.with("pcswPreset", "cardiac").with("promptFrequency", 3);
		assertEquals(PcswRule.CONTINUITY, continuity.method().pcswRule());
		assertEquals("continuity", continuity.toJson().get("pcswRule").getAsString());
		final PcswParameters p = Trainer.pcswParameters(continuity);
		assertEquals(PcswRule.CONTINUITY, p.rule());
		assertTrue(p.singleInstance());
		assertEquals(3, p.promptFrequency());

		assertMessage("{\"pcswRule\": \"released\"}", "'pcswRule' = \"released\"", "chains, continuity");
		assertMessage("{\"pcsw\": false, \"pcswRule\": \"continuity\"}", "'pcswRule' = \"continuity\"", "'pcsw' = true");
		// nothing rejected and no prompts read: the refresh would change nothing
		assertMessage("{\"pcswRule\": \"continuity\"}", "'pcswRule' = \"continuity\"", "'pseudoLabels'", "prompted");
		assertEquals(PcswRule.CONTINUITY, TrainingConfig.defaults().with("pseudoLabels", "propagated").with("pcswRule", "continuity").method()
			.pcswRule());
	}

	/** DFE's form is ours unless asked for; the released form is a choice of a run with DFE, named in the resolved settings. */
	@Test
	void dfeFormIsOursByDefaultAndReleasedNeedsDfe() {
		assertEquals(DfeForm.OURS, TrainingConfig.defaults().method().dfeForm());
		assertEquals("ours", TrainingConfig.defaults().toJson().get("dfeForm").getAsString());
		final TrainingConfig released = TrainingConfig.defaults().with("dfeForm", "released");
		assertEquals(DfeForm.RELEASED, released.method().dfeForm());
		assertEquals("released", released.toJson().get("dfeForm").getAsString());
		assertEquals(released.toJson(), TrainingConfig.of(released.toJson(), "again").toJson());
		assertMessage("{\"dfeForm\": \"paper\"}", "dfeForm", "paper", "ours, released");
		assertMessage("{\"dfe\": false, \"dfeForm\": \"released\"}", "'dfeForm' = \"released\"", "'dfe' = true");
		assertMessage("{\"mode\": \"consistency\", \"dfeForm\": \"released\"}", "'dfeForm' = \"released\"", "'dfe' = true");
		assertFalse(TrainingConfig.defaults().with("dfe", false).with("dfeForm", "ours").method().dfe());
	}

	/** DFE acts on every level unless told, except in the released form, whose default is its deepest three. */
	@Test
	void dfeLevelsDefaultToAllForOursAndToTheDeepestThreeForTheReleasedForm() {
		assertEquals(0, TrainingConfig.defaults().method().dfeLevels());
		assertEquals(TrainingConfig.RELEASED_DFE_LEVELS, TrainingConfig.defaults().with("dfeForm", "released").method().dfeLevels());
		assertEquals(0, TrainingConfig.defaults().with("dfeForm", "released").with("dfeLevels", 0).method().dfeLevels());
		assertEquals(2, TrainingConfig.defaults().with("dfeLevels", 2).method().dfeLevels());
		assertEquals(2, TrainingConfig.defaults().with("dfeLevels", 2).toJson().get("dfeLevels").getAsInt());
		assertMessage("{\"dfeLevels\": -1}", "dfeLevels", "[0, 64]");
		assertMessage("{\"dfe\": false, \"dfeLevels\": 2}", "'dfeLevels' = 2", "'dfe' = true");
	}

	/** {@code memoryBank}: recent unless told; selective only for a SAM-2 backbone that trains on sequences. */
	@Test
	void memoryBankIsRecentByDefaultAndSelectiveNeedsSam2Sequences() {
		assertEquals(MemoryBank.RECENT, TrainingConfig.defaults().sam2().memoryBank());
		assertEquals("recent", TrainingConfig.defaults().toJson().get("memoryBank").getAsString());
		final TrainingConfig selective = TrainingConfig.defaults().with("backbone", "sam2-micro").with("sequenceLength", 4).with("memoryBank", "selective");
		assertEquals(MemoryBank.SELECTIVE, selective.sam2().memoryBank());
		assertEquals(selective.toJson(), TrainingConfig.of(selective.toJson(), "again").toJson());
		assertMessage("{\"backbone\": \"sam2-micro\", \"sequenceLength\": 4, \"memoryBank\": \"sorted\"}", "'memoryBank' = \"sorted\"",
			"recent, selective");
		assertMessage("{\"backbone\": \"sam2-micro\", \"memoryBank\": \"selective\"}", "'memoryBank' = \"selective\"", "'sequenceLength' above 1");
		assertMessage("{\"sequenceLength\": 1, \"memoryBank\": \"selective\"}", "'memoryBank' = \"selective\"", "'unet'");
		assertEquals(MemoryBank.RECENT, TrainingConfig.defaults().with("memoryBank", "recent").sam2().memoryBank());
	}

	private static void assertMessage(final String json, final String... parts) {
		final InvalidInputException e = assertThrows(InvalidInputException.class,
			() -> TrainingConfig.of(JsonParser.parseString(json).getAsJsonObject(), "run.json"));
		assertTrue(e.getMessage().startsWith("run.json: "), e.getMessage());
		for (final String part : parts)
			assertTrue(e.getMessage().contains(part), e.getMessage() + " should contain " + part);
	}
}
