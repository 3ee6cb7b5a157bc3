package io.github.sssfiji.command;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.service.SssService.DeviceChoice;
import io.github.sssfiji.service.SssService;

/**
 * {@code Plugins > Segmentation > SSS > SSS Options}: where models run (GPU when available, or always
 * the CPU), how many threads the engine uses, and the default folder of model files. Saved for the
 * next start of Fiji.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Segmentation>SSS>SSS Options", headless = true)
public class OptionsCommand implements Command {

	@Parameter
	SssService sss;

	@Parameter(required = false)
	LogService log;

	@Parameter(label = "Device", choices = { "auto", "cpu" })
	String device = "auto";

	@Parameter(label = "Threads", min = "1")
	int threads = Runtime.getRuntime().availableProcessors();

	@Parameter(label = "Models folder", style = "directory", required = false)
	File models_folder;

	@Override
	public void run() {
		sss.setDeviceChoice(DeviceChoice.parse(device, "key 'device'"));
		final boolean applied = sss.setThreads(threads);
		if (models_folder != null) sss.setModelsFolder(models_folder.toPath());
		if (!applied && log != null)
			log.warn("SSS Options: the engine already runs with " + sss.threads() + " threads; " + threads + " takes effect after a restart");
	}
}
