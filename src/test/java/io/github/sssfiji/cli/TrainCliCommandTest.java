package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.sss.train.TrainingConfig;

class TrainCliCommandTest {

	@Test
	void optionsAreTheConfigurationKeysInKebabCase() {
		assertEquals("validation-interval", TrainCliCommand.option("validationInterval"));
		assertEquals("ema-max", TrainCliCommand.option("emaMax"));
		assertEquals("lr", TrainCliCommand.option("lr"));
		final Set<String> options = TrainingConfig.KEYS.stream().map(TrainCliCommand::option).collect(Collectors.toSet());
		// the options the CLI had before they were derived keep working
		for (final String old : List.of("backbone", "mode", "budget-minutes", "iterations", "crop", "batch", "unlabelled-batch", "seed", "threads",
			"optimizer", "lr", "dfe", "pcsw", "validation-interval", "pcsw-interval", "pcsw-preset", "log-interval", "pretrained", "encoder-lr",
			"prompt-probability", "sequence-length", "prompt-frequency"))
			assertTrue(options.contains(old), old);
		// and none clashes with the command's own options
		for (final String own : List.of("data", "split", "out", "config", "resume", "test", "device"))
			assertTrue(!options.contains(own), own);
	}
}
