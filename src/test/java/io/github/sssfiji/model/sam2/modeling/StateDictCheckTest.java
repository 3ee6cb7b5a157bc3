package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TensorType;

/** Missing, unexpected and mis-shaped keys are all reported, in model / file order. */
class StateDictCheckTest {

	@Test
	void reportsEveryKindOfProblem() {
		final Map<String, TensorData> file = new LinkedHashMap<>();
		file.put("a.weight", tensor(2, 3));
		file.put("b.weight", tensor(4));
		file.put("extra", tensor(1));
		final StateDict checkpoint = new StateDict("ckpt.pt", file);
		final Map<String, long[]> model = new LinkedHashMap<>();
		model.put("a.weight", new long[] { 2, 3 });
		model.put("b.weight", new long[] { 5 });
		model.put("c.bias", new long[] { 7 });
		final StateDictCheck check = StateDictCheck.compare(model, checkpoint);
		assertFalse(check.isExactMatch());
		assertEquals(List.of("c.bias"), check.missing());
		assertEquals(List.of("extra"), check.unexpected());
		assertEquals(1, check.mismatched().size());
		assertEquals("b.weight: model [5], checkpoint [4]", check.mismatched().get(0).toString());
		final InvalidInputException e = assertThrows(InvalidInputException.class, check::requireExactMatch);
		assertTrue(e.getMessage().contains("ckpt.pt") && e.getMessage().contains("c.bias") && e.getMessage().contains("extra"),
			e.getMessage());
	}

	@Test
	void exactMatchPasses() {
		final StateDict checkpoint = new StateDict("ok.pt", Map.of("w", tensor(3, 1)));
		final StateDictCheck check = StateDictCheck.compare(Map.of("w", new long[] { 3, 1 }), checkpoint);
		assertTrue(check.isExactMatch());
		assertEquals("exact match", check.summary());
		check.requireExactMatch();
	}

	private static TensorData tensor(final long... shape) {
		return TensorData.ofFloats(TensorType.FLOAT32, shape, new float[(int) TensorData.numel(shape)]);
	}
}
