package io.github.sssfiji.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.sssfiji.io.VoxelLimit;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.service.SssService.DeviceChoice;

/** Options and checks that several CLI commands share (the device goes to the {@link SssService}). */
final class CliOptions {

	/** The usage text of {@code --max-voxels}, an option of every command. */
	static final String MAX_VOXELS_USAGE = "[--max-voxels N]";

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

	/**
	 * Applies {@code --max-voxels N}, when given, to the image readers of this JVM ({@link VoxelLimit});
	 * {@link Main} restores the previous limit when the command ends.
	 */
	static void maxVoxels(final CliArguments args) {
		if (args.has("max-voxels")) VoxelLimit.set(VoxelLimit.parse(args.get("max-voxels", null), "option --max-voxels"));
	}

	/**
	 * Checks that {@code --option FILE} names a file that can be written: not a folder, in a folder
	 * that exists.
	 */
	static void newFile(final String option, final Path file) {
		if (Files.isDirectory(file)) throw new CliException("option --" + option + " " + file + ": is a folder; give the file to write");
		final Path parent = file.toAbsolutePath().getParent();
		if (parent == null || !Files.isDirectory(parent))
			throw new CliException("option --" + option + " " + file + ": the folder " + parent + " does not exist");
	}

	/** Checks that {@code --option DIR} names a folder or nothing yet (it is then created), not a file. */
	static void folder(final String option, final Path folder) {
		if (Files.exists(folder) && !Files.isDirectory(folder))
			throw new CliException("option --" + option + " " + folder + ": is a file, not a folder");
	}
}
