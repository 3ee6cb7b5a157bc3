package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.scijava.plugin.Parameter;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.pcsw.PcswParameter;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PcswRule;

class AbstractPcswCommandTest {

	/** A concrete command to read the fields of. */
	private static final class Thresholds extends AbstractPcswCommand {

		@Override
		public void run() {}
	}

	@Test
	void theCommandsParametersAreThePcswParametersKeys() {
		final Set<String> fields = Arrays.stream(AbstractPcswCommand.class.getDeclaredFields()).filter(f -> f.isAnnotationPresent(Parameter.class))
			.map(Field::getName).collect(Collectors.toCollection(TreeSet::new));
		final Set<String> keys = Arrays.stream(PcswParameter.values()).map(PcswParameter::key).collect(Collectors.toCollection(TreeSet::new));
		assertEquals(keys, fields);
	}

	@Test
	void theCommandStartsAtTheDefaultsAndPassesEveryFieldOn() throws ReflectiveOperationException {
		final Thresholds command = new Thresholds();
		assertEquals(PcswParameters.defaults().toString(), command.parameters().toString());
		// every field reaches the parameters: change each and see its parameter follow
		command.window = 5;
		command.min_support = 3;
		command.min_area = 7;
		command.iou = 0.25;
		command.d_max = 12.5;
		command.area_ratio = 2.5;
		command.prompt_freq = 4;
		command.confidence = 0.9;
		command.single_instance = true;
		command.rule = "continuity";
		final PcswParameters p = command.parameters();
		for (final PcswParameter parameter : PcswParameter.values())
			assertEquals(AbstractPcswCommand.class.getDeclaredField(parameter.key()).get(command), parameter.value(p), parameter.key());
		assertEquals(5, p.windowLength());
		assertEquals(12.5, p.maxCentroidDistance());
		assertEquals(true, p.singleInstance());
		assertEquals(PcswRule.CONTINUITY, p.rule());
	}

	@Test
	void theRuleFieldOffersTheRulesWords() throws ReflectiveOperationException {
		assertArrayEquals(PcswParameter.RULE.choices(), AbstractPcswCommand.class.getDeclaredField("rule").getAnnotation(Parameter.class).choices());
		final Thresholds command = new Thresholds();
		command.rule = "released";
		final InvalidInputException e = assertThrows(InvalidInputException.class, command::parameters);
		assertTrue(e.getMessage().contains("rule") && e.getMessage().contains("'released'"), e.getMessage());
	}
}
