package io.github.sssfiji.command;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.io.VoxelLimit;
import io.github.sssfiji.service.SssService.DeviceChoice;
import io.github.sssfiji.service.SssService;

/**
 * {@code Plugins > Segmentation > SSS > SSS Options}: where models run (GPU when available, or always
 * the CPU), how many threads the engine uses, the default folder of model files, and the largest
 * image SSS reads ({@link VoxelLimit}, applied at once to the readers of this Fiji). Saved for the
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

	@Parameter(label = "Max voxels", min = "1", description = "Images of more voxels are refused before they are read (default 2^30, at most 2^31 - 9)")
	long max_voxels = VoxelLimit.DEFAULT;

	@Override
	public void run() {
		sss.setDeviceChoice(DeviceChoice.parse(device, "key 'device'"));
		final boolean applied = sss.setThreads(threads);
		if (models_folder != null) sss.setModelsFolder(models_folder.toPath());
		sss.setMaxVoxels(VoxelLimit.parse(Long.toString(max_voxels), "key 'max_voxels'"));
		if (!applied && log != null)
			log.warn("SSS Options: the engine already runs with " + sss.threads() + " threads; " + threads + " takes effect after a restart");
	}
}
