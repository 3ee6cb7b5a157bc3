package io.github.sssfiji.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.scijava.Context;
import org.scijava.plugin.PluginInfo;
import org.scijava.plugin.PluginService;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.FileWriteException;
import io.github.sssfiji.io.VoxelLimit;

/**
 * Entry point of {@code java -jar sss-app.jar COMMAND [--key value ...]}: boots a SciJava Context
 * and runs the {@link CliCommand} plugin of that name. Exit codes: 0 success, 1 failure, 2 bad usage
 * or input.
 */
public final class Main {

	private Main() {}

	public static void main(final String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	/** Runs one command; never calls {@code System.exit}, so tests can call it. */
	public static int run(final String[] args, final PrintStream out, final PrintStream err) {
		Engines.configureOffline();
		System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
		try (Context context = new Context()) {
			final List<PluginInfo<CliCommand>> commands = context.service(PluginService.class).getPluginsOfType(CliCommand.class);
			commands.sort(Comparator.comparing(PluginInfo::getName));
			if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
				usage(commands, context, args.length == 0 ? err : out);
				return args.length == 0 ? 2 : 0;
			}
			final PluginInfo<CliCommand> info = commands.stream().filter(c -> args[0].equals(c.getName())).findFirst().orElse(null);
			if (info == null) {
				err.println("error: unknown command '" + args[0] + "' (known: " +
					String.join(", ", commands.stream().map(PluginInfo::getName).toArray(String[]::new)) + ")");
				return 2;
			}
			final CliCommand command = context.service(PluginService.class).createInstance(info);
			final String limit = System.getProperty(VoxelLimit.PROPERTY);
			try {
				final CliArguments arguments = CliArguments.parse(Arrays.copyOfRange(args, 1, args.length));
				CliOptions.maxVoxels(arguments);
				return command.run(arguments, context, out);
			}
			catch (final InvalidInputException e) {
				err.println("error: " + args[0] + ": " + oneLine(e.getMessage()));
				return 2;
			}
			catch (final Exception e) {
				// the machine refused a write (a full disk): the file and the reason are all the user needs
				final FileWriteException write = writeFailure(e);
				if (write != null) {
					err.println("error: " + args[0] + ": " + oneLine(write.getMessage()));
					return 1;
				}
				err.println("error: " + args[0] + " failed: " + e);
				e.printStackTrace(err);
				return 1;
			}
			finally {
				// --max-voxels holds for this command only (tests run many in one JVM)
				VoxelLimit.restore(limit);
			}
		}
	}

	private static FileWriteException writeFailure(final Throwable e) {
		for (Throwable t = e; t != null; t = t.getCause())
			if (t instanceof FileWriteException write) return write;
		return null;
	}

	/**
	 * A message as one line for the user: line breaks become "; " and the Java class names that
	 * wrapped parser and library messages start with ("java.io.EOFException: End of input") are dropped.
	 */
	public static String oneLine(final String message) {
		if (message == null) return "invalid input";
		return message.replaceAll("\\s*\\R\\s*", "; ").replaceAll("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ", "");
	}

	private static void usage(final List<PluginInfo<CliCommand>> commands, final Context context, final PrintStream to) {
		to.println("usage: java -jar sss-app.jar COMMAND [--key value ...] " + CliOptions.MAX_VOXELS_USAGE);
		to.println("  " + CliOptions.MAX_VOXELS_USAGE + "  any command: refuse images of more voxels, before reading them (default: -D" + VoxelLimit.PROPERTY +
			", else the value SSS Options saved, else " + VoxelLimit.DEFAULT + ")");
		for (final PluginInfo<CliCommand> info : commands) {
			final CliCommand command = context.service(PluginService.class).createInstance(info);
			to.println("  " + info.getName() + " " + command.usage());
		}
	}
}
