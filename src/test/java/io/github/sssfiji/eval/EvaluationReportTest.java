package io.github.sssfiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class EvaluationReportTest {

	@Test
	void jsonHasRowsSummaryAndNullsForUndefined() {
		final JsonObject root = JsonParser.parseString(EvaluationReport.toJson(Evaluator.evaluate(EvaluatorTest.twoCases(), null))).getAsJsonObject();
		final JsonArray cases = root.getAsJsonArray("cases");
		assertEquals(6, cases.size());
		final JsonObject b2 = cases.get(4).getAsJsonObject();
		assertEquals("B", b2.get("case").getAsString());
		assertEquals(2, b2.get("class").getAsInt());
		assertEquals(1.8, b2.get("hd95").getAsDouble(), 1e-12);
		final JsonObject b3 = cases.get(5).getAsJsonObject();
		assertEquals(0, b3.get("dice").getAsDouble());
		assertTrue(b3.has("hd95") && b3.get("hd95").isJsonNull());
		assertTrue(b3.get("asd").isJsonNull() && b3.get("assd").isJsonNull());

		final JsonObject summary = root.getAsJsonObject("summary");
		final JsonObject class3 = summary.getAsJsonObject("per_class").getAsJsonObject("3");
		assertEquals(0.5, class3.get("dice").getAsDouble());
		assertTrue(class3.get("hd95").isJsonNull());
		assertEquals(2, class3.get("n").getAsInt());
		assertEquals(0, class3.get("n_surface").getAsInt());
		final JsonObject mean = summary.getAsJsonObject("mean");
		assertEquals(0.95, mean.get("hd95").getAsDouble(), 1e-12);
		assertEquals(3, mean.get("n_classes").getAsInt());
		assertEquals(2, mean.get("n_classes_surface").getAsInt());
	}

	@Test
	void csvHasOneRowPerCaseAndClassWithEmptyUndefinedFields() {
		final String csv = EvaluationReport.toCsv(Evaluator.evaluate(EvaluatorTest.twoCases(), new int[] { 2, 3 }));
		assertEquals(String.join("\n",
			"case,class,dice,jaccard,hd95,asd,assd",
			"A,2,1.0,1.0,0.0,0.0,0.0",
			"A,3,1.0,1.0,,,",
			// numpy.percentile([0., 0., 2.], 95) prints 1.7999999999999998: position 2 * 0.95 = 1.9 in binary
			// floating point; the CSV keeps every digit
			"B,2,0.6666666666666666,0.5,1.7999999999999998,0.0,0.5",
			"B,3,0.0,0.0,,,") + "\n", csv);
	}

	@Test
	void csvQuotesAwkwardCaseNames() {
		final int[] dims = { 2 };
		final double[] spacing = { 1 };
		final CasePair pair = new CasePair("a,\"b\"", new LabelVolume("p", new int[] { 1, 0 }, dims, spacing), new LabelVolume("r", new int[] { 1, 0 }, dims, spacing));
		final String csv = EvaluationReport.toCsv(Evaluator.evaluate(List.of(pair), null));
		assertEquals("\"a,\"\"b\"\"\",1,1.0,1.0,0.0,0.0,0.0", csv.split("\n")[1]);
	}

	@Test
	void writesFilesAtomicallyAndReplacesOldOnes(@TempDir final Path folder) throws IOException {
		final EvaluationResult result = Evaluator.evaluate(EvaluatorTest.twoCases(), null);
		final Path json = folder.resolve("out/metrics.json"), csv = folder.resolve("out/metrics.csv");
		Files.createDirectories(json.getParent());
		Files.writeString(csv, "stale");
		EvaluationReport.writeJson(result, json);
		EvaluationReport.writeCsv(result, csv);
		assertEquals(EvaluationReport.toJson(result), Files.readString(json));
		assertEquals(EvaluationReport.toCsv(result), Files.readString(csv));
		try (Stream<Path> files = Files.list(json.getParent())) {
			assertEquals(2, files.count(), "no temporary file is left behind");
		}
	}
}
