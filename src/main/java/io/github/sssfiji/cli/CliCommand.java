package io.github.sssfiji.cli;

import java.io.PrintStream;

import org.scijava.Context;
import org.scijava.plugin.SciJavaPlugin;

/**
 * One subcommand of {@code java -jar sss-app.jar}. Implementations are SciJava plugins
 * ({@code @Plugin(type = CliCommand.class, name = "info")}), so adding a command needs no registry
 * edit; they run the same services and commands as the Fiji menus.
 */
public interface CliCommand extends SciJavaPlugin {

	/** One line shown in the usage: the arguments after the command name. */
	String usage();

	/**
	 * Runs the command. User errors are thrown as {@link CliException}; the result goes to {@code out}.
	 *
	 * @return the exit code (0 on success)
	 */
	int run(CliArguments args, Context context, PrintStream out) throws Exception;
}
