package io.github.sssfiji.cli;

import io.github.sssfiji.service.SssService;
import io.github.sssfiji.service.SssService.DeviceChoice;

/** Options that several CLI commands share and that go to the {@link SssService}. */
final class CliOptions {

	/** The usage text of {@code --device}. */
	static final String DEVICE_USAGE = "[--device auto|cpu]";

	private CliOptions() {}

	/**
	 * Applies {@code --device auto|cpu}, when given, for this run only (the option saved by SSS
	 * Options stays as it is); without it the service's choice stands (the {@code sss.device} system
	 * property, else the saved option, else {@code auto}).
	 */
	static void device(final CliArguments args, final SssService service) {
		if (args.has("device")) service.setDeviceChoice(DeviceChoice.parse(args.get("device", null), "option --device"), false);
	}
}
