package io.github.sssfiji.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;
import net.imglib2.img.array.ArrayImgs;

class EvaluatorTest {

	private static final double EXACT = 1e-12;

	/**
	 * Two 1-D cases, spacing 2. A: prediction = reference. B: class 1 grows by one voxel, class 2 loses
	 * one, and a class 3 voxel appears that the reference lacks.
	 */
	static List<CasePair> twoCases() {
		final int[] dims = { 6 };
		final double[] spacing = { 2 };
		final int[] reference = { 1, 1, 2, 2, 0, 0 };
		return List.of(
			new CasePair("A", new LabelVolume("A_pred", new int[] { 1, 1, 2, 2, 0, 0 }, dims, spacing), new LabelVolume("A_gt", reference, dims, spacing)),
			new CasePair("B", new LabelVolume("B_pred", new int[] { 1, 1, 1, 2, 3, 0 }, dims, spacing), new LabelVolume("B_gt", reference, dims, spacing)));
	}

	@Test
	void scoresEveryClassOfEveryCaseAndSummarises() {
		final EvaluationResult result = Evaluator.evaluate(twoCases(), null);
		// default classes: 1, 2, 3 (3 occurs only in B's prediction), rows in case then class order
		final List<MetricsRow> rows = result.rows();
		assertEquals(6, rows.size());
		assertEquals("A", rows.get(0).caseName());
		assertEquals(1, rows.get(0).classLabel());
		assertEquals("B", rows.get(5).caseName());
		assertEquals(3, rows.get(5).classLabel());
		// A: identical masks for 1 and 2; class 3 empty in both
		assertEquals(new ClassMetrics(1, 1, 0, 0, 0), rows.get(0).metrics());
		assertEquals(new ClassMetrics(1, 1, 0, 0, 0), rows.get(1).metrics());
		assertNaNDistances(rows.get(2).metrics(), 1, 1);
		// B class 1: P = {0,1,2}, R = {0,1}; Dice 4/5, Jaccard 2/3; surfaces P {0,2}, R {0,1}
		// P->R: 0, 2 (voxel 2 to 1, spacing 2); R->P: 0, 2; pooled 0,0,2,2: position 2.85 -> 2
		assertClose(new ClassMetrics(0.8, 2.0 / 3, 2, 1, 1), rows.get(3).metrics());
		// B class 2: P = {3}, R = {2,3}; Dice 2/3, Jaccard 1/2; P->R: 0; R->P: 2, 0
		// pooled 0,0,2: position 1.9 -> 1.8; ASD 0; ASSD (0 + 1) / 2
		assertClose(new ClassMetrics(2.0 / 3, 0.5, 1.8, 0, 0.5), rows.get(4).metrics());
		// B class 3: predicted but absent from the reference
		assertNaNDistances(rows.get(5).metrics(), 0, 0);

		final Map<Integer, MetricsSummary> perClass = result.perClass();
		assertEquals(List.of(1, 2, 3), new ArrayList<>(perClass.keySet()));
		assertClose(new ClassMetrics(0.9, 5.0 / 6, 1, 0.5, 0.5), perClass.get(1).means());
		assertClose(new ClassMetrics(5.0 / 6, 0.75, 0.9, 0, 0.25), perClass.get(2).means());
		assertNaNDistances(perClass.get(3).means(), 0.5, 0.5);
		assertEquals(2, perClass.get(1).count());
		assertEquals(2, perClass.get(1).surfaceCount());
		assertEquals(2, perClass.get(3).count());
		assertEquals(0, perClass.get(3).surfaceCount());
		// over classes: Dice and Jaccard of all three; distances of classes 1 and 2 only
		assertClose(new ClassMetrics((0.9 + 5.0 / 6 + 0.5) / 3, (5.0 / 6 + 0.75 + 0.5) / 3, 0.95, 0.25, 0.375), result.mean().means());
		assertEquals(3, result.mean().count());
		assertEquals(2, result.mean().surfaceCount());
	}

	@Test
	void explicitClassesInTheirOrder() {
		final EvaluationResult result = Evaluator.evaluate(twoCases(), new int[] { 2, 7 });
		assertEquals(4, result.rows().size());
		assertEquals(2, result.rows().get(0).classLabel());
		assertEquals(7, result.rows().get(1).classLabel());
		assertNaNDistances(result.rows().get(1).metrics(), 1, 1); // 7 occurs nowhere: both empty
		assertEquals(List.of(2, 7), new ArrayList<>(result.perClass().keySet()));
	}

	@Test
	void matchesMedpyThroughTheEvaluator() throws IOException {
		final JsonObject fixture = EvalFixtures.load(getClass(), "medpy_reference.json");
		final List<CasePair> cases = new ArrayList<>();
		final List<EvalFixtures.MedpyCase> expected = new ArrayList<>();
		for (final JsonElement element : fixture.getAsJsonArray("cases")) {
			final EvalFixtures.MedpyCase c = EvalFixtures.medpyCase(element.getAsJsonObject());
			final String name = "case" + cases.size();
			cases.add(new CasePair(name, new LabelVolume(name + "_pred", c.prediction(), c.dims(), c.spacing()),
				new LabelVolume(name + "_gt", c.reference(), c.dims(), c.spacing())));
			expected.add(c);
		}
		final EvaluationResult result = Evaluator.evaluate(cases, null);
		assertEquals(12, result.rows().size());
		for (final MetricsRow row : result.rows()) {
			final int index = Integer.parseInt(row.caseName().substring(4));
			EvalFixtures.assertClose(expected.get(index).scores().get(row.classLabel()), row.metrics(), row.caseName() + " class " + row.classLabel());
		}
	}

	@Test
	void shapeMismatchNamesBothImages() {
		final CasePair pair = new CasePair("p7", new LabelVolume("p7_pred", new int[6], new int[] { 3, 2 }, new double[] { 1, 1 }),
			new LabelVolume("p7_gt", new int[6], new int[] { 2, 3 }, new double[] { 1, 1 }));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Evaluator.evaluate(List.of(pair), new int[] { 1 }));
		assertTrue(e.getMessage().contains("p7_pred") && e.getMessage().contains("p7_gt"), e.getMessage());
		assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
	}

	@Test
	void spacingMustAgree() {
		final int[] dims = { 3, 2 };
		final CasePair close = new CasePair("c", new LabelVolume("c_pred", new int[] { 1, 0, 0, 0, 0, 0 }, dims, new double[] { 1.5, 1.0005 }),
			new LabelVolume("c_gt", new int[] { 1, 0, 0, 0, 0, 0 }, dims, new double[] { 1.5, 1 }));
		assertEquals(1, Evaluator.evaluate(List.of(close), null).rows().get(0).metrics().dice());
		final CasePair far = new CasePair("f", new LabelVolume("f_pred", new int[6], dims, new double[] { 1.5, 1.01 }),
			new LabelVolume("f_gt", new int[6], dims, new double[] { 1.5, 1 }));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Evaluator.evaluate(List.of(far), new int[] { 1 }));
		assertTrue(e.getMessage().contains("f_pred") && e.getMessage().contains("f_gt") && e.getMessage().contains("1.01"), e.getMessage());
	}

	@Test
	void rejectsNothingToEvaluate() {
		assertThrows(InvalidInputException.class, () -> Evaluator.evaluate(List.of(), null));
		assertThrows(InvalidInputException.class, () -> Evaluator.evaluate(twoCases(), new int[0]));
		final InvalidInputException twice = assertThrows(InvalidInputException.class, () -> Evaluator.evaluate(twoCases(), new int[] { 1, 2, 1 }));
		assertTrue(twice.getMessage().contains("class 1"), twice.getMessage());
		final CasePair background = new CasePair("z", new LabelVolume("z_pred", new int[4], new int[] { 4 }, new double[] { 1 }),
			new LabelVolume("z_gt", new int[4], new int[] { 4 }, new double[] { 1 }));
		assertThrows(InvalidInputException.class, () -> Evaluator.evaluate(List.of(background), null));
	}

	@Test
	void labelVolumeChecksItsShape() {
		final InvalidInputException e = assertThrows(InvalidInputException.class,
			() -> new LabelVolume("bad", new int[5], new int[] { 3, 2 }, new double[] { 1, 1 }));
		assertTrue(e.getMessage().startsWith("bad:"), e.getMessage());
		assertThrows(InvalidInputException.class, () -> new LabelVolume("bad", new int[6], new int[] { 3, 2 }, new double[] { 1 }));
		assertThrows(InvalidInputException.class, () -> new LabelVolume("bad", new int[6], new int[] { 3, 2 }, new double[] { 1, -1 }));
	}

	@Test
	void casePairFromImages() {
		// x fastest: ArrayImgs stores a 3x2 image in the same flat order
		final MedicalImage prediction = new MedicalImage("p1_pred", "test", ArrayImgs.unsignedBytes(new byte[] { 0, 1, 1, 0, 2, 2 }, 3, 2),
			new double[] { 0.5, 0.5 }, null);
		final MedicalImage reference = new MedicalImage("p1", "test", ArrayImgs.unsignedBytes(new byte[] { 0, 1, 1, 0, 2, 0 }, 3, 2),
			new double[] { 0.5, 0.5 }, null);
		final CasePair pair = CasePair.of(prediction, reference);
		assertEquals("p1", pair.name());
		final EvaluationResult result = Evaluator.evaluate(List.of(pair), null);
		assertEquals(1, result.rows().get(0).metrics().dice());
		assertEquals(2.0 / 3, result.rows().get(1).metrics().dice(), EXACT); // class 2: P {4,5}, R {4}
		final MedicalImage fractional = new MedicalImage("frac", "test", ArrayImgs.floats(new float[] { 0, 0.5f }, 2), new double[] { 1 }, null);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> LabelVolume.of(fractional));
		assertTrue(e.getMessage().contains("frac"), e.getMessage());
	}

	private static void assertNaNDistances(final ClassMetrics m, final double dice, final double jaccard) {
		assertEquals(dice, m.dice(), EXACT);
		assertEquals(jaccard, m.jaccard(), EXACT);
		assertTrue(Double.isNaN(m.hd95()) && Double.isNaN(m.asd()) && Double.isNaN(m.assd()), m.toString());
	}

	private static void assertClose(final ClassMetrics expected, final ClassMetrics actual) {
		assertEquals(expected.dice(), actual.dice(), EXACT, "dice");
		assertEquals(expected.jaccard(), actual.jaccard(), EXACT, "jaccard");
		assertEquals(expected.hd95(), actual.hd95(), EXACT, "hd95");
		assertEquals(expected.asd(), actual.asd(), EXACT, "asd");
		assertEquals(expected.assd(), actual.assd(), EXACT, "assd");
	}
}
