package io.github.sssfiji.ij1;

import java.awt.GraphicsEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.scijava.Context;
import org.scijava.app.event.StatusEvent;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.event.EventSubscriber;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.event.ModuleErroredEvent;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.macro.Interpreter;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.filter.Analyzer;
import io.github.sssfiji.InvalidInputException;

/**
 * Runs an SSS SciJava command from plain ImageJ 1.x: the target of the {@code plugins.config} entries,
 * with the command's class name as argument, e.g.
 * {@code Plugins>Segmentation>SSS, "SSS Evaluate", io.github.sssfiji.ij1.CommandBridge("io.github.sssfiji.command.EvaluateCommand")}.
 * A new command needs only such a line.
 * <p>
 * Inputs come from the macro options ({@code run("SSS Evaluate", "prediction=[...] ...")}, keys are the
 * parameter names, see {@link CommandParameters}) or, without options in a GUI, from a
 * {@link CommandDialog}. The command runs through the {@link CommandService} of the
 * {@link Contexts#shared() shared context} without pre- and post-processing. Then {@code ImagePlus}
 * outputs are shown (in batch mode they become the active image, so a macro can save them), a
 * {@code ResultsTable} becomes the "Results" table (for {@code getResult}), and other outputs are
 * logged as {@code name = value}. Errors are shown with {@link IJ#error}; in a macro they abort it with
 * the message, as a macro error.
 * </p>
 * <p>
 * In Fiji this class does not run. imagej-legacy adds every SciJava command with a menu path to ImageJ
 * 1.x's command table under its menu label; when the label is already there (from this jar's
 * {@code plugins.config}) it logs "Overriding ..." and replaces the entry, and it reuses the menu item at
 * the same menu path instead of adding a second one (imagej-legacy's IJ1Helper.addMenuItems, read from
 * source, not run here). ImageJ 1.x menu items and {@code run("label", ...)} both look the label up in
 * that table, so with the same menu path and labels as the {@code @Plugin} menu paths (which
 * {@code PluginsConfigTest} checks) each action appears once and runs the SciJava command, with Fiji's
 * own macro handling and recording.
 * </p>
 */
public class CommandBridge implements PlugIn {

	/** @param commandClass the fully qualified class name of the SciJava command */
	@Override
	public void run(final String commandClass) {
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		// plugin discovery and the command's threads must see ImageJ's plugins class loader
		thread.setContextClassLoader(CommandBridge.class.getClassLoader());
		String title = commandClass;
		try {
			final Context context = Contexts.shared();
			final CommandInfo info = context.service(CommandService.class).getCommand(commandClass);
			if (info == null) throw new InvalidInputException("no SciJava command " + commandClass + " (is the SSS jar on the class path?)");
			title = info.getTitle();
			final ModuleService modules = context.service(ModuleService.class);
			final Module module = modules.createModule(info);
			if (module == null) throw new IllegalStateException("could not create " + commandClass + " (see the console)");
			final CommandParameters parameters = CommandParameters.of(info);
			final Map<String, String> options = options(parameters, module);
			if (options == null) return;
			parameters.apply(module, options, CommandParameters.Images.windowManager());
			try (Subscriptions subscriptions = new Subscriptions(context.service(EventService.class), new ErrorConsumer(module), new StatusForwarder())) {
				modules.run(module, false, Collections.emptyMap()).get();
			}
			finally {
				// status events arrive asynchronously: the last one (which hides the bar) may come after this
				IJ.showProgress(1.0);
			}
			showOutputs(title, info, module);
		}
		catch (final InterruptedException e) {
			thread.interrupt();
			fail(title, e);
		}
		catch (final ExecutionException | RuntimeException e) {
			fail(title, e);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/** Macro options when given; otherwise the dialog in a GUI ({@code null} if cancelled), or none headless. */
	private static Map<String, String> options(final CommandParameters parameters, final Module module) {
		final String macroOptions = Macro.getOptions();
		if (macroOptions != null) return MacroOptions.parse(macroOptions);
		if (GraphicsEnvironment.isHeadless()) return Collections.emptyMap();
		return CommandDialog.show(parameters, module);
	}

	private static void showOutputs(final String title, final CommandInfo info, final Module module) {
		for (final ModuleItem<?> item : info.outputs()) {
			final Object value = module.getOutput(item.getName());
			if (value == null) continue;
			if (value instanceof ImagePlus imp) imp.show();
			else if (value instanceof ResultsTable table) {
				// the system table is what getResult and nResults read, also headless
				Analyzer.setResultsTable(table);
				table.show("Results");
			}
			else IJ.log(title + ": " + item.getName() + " = " + value);
		}
	}

	/**
	 * Event handlers subscribed for one command run. SciJava's event bus holds its subscribers only
	 * weakly: a handler nothing else refers to stops receiving events at the next garbage collection
	 * (a training's status bar froze after its first few iterations). This holds them until
	 * {@link #close}, which unsubscribes them.
	 */
	static final class Subscriptions implements AutoCloseable {

		private final EventService events;
		private final List<Object> handlers;
		private final List<EventSubscriber<?>> subscribers = new ArrayList<>();

		Subscriptions(final EventService events, final Object... handlers) {
			this.events = events;
			this.handlers = List.of(handlers);
			for (final Object handler : this.handlers)
				subscribers.addAll(events.subscribe(handler));
		}

		@Override
		public void close() {
			events.unsubscribe(subscribers);
			// reachable until here, whatever the compiler makes of the field
			java.lang.ref.Reference.reachabilityFence(handlers);
		}
	}

	/**
	 * Takes the errors of one module off SciJava's log, which would print each with its stack trace:
	 * {@link #fail} reports them once, in ImageJ's terms.
	 */
	public static final class ErrorConsumer {

		private final Module module;

		ErrorConsumer(final Module module) {
			this.module = module;
		}

		/** Consumes the event if it is this module's. */
		@EventHandler
		public void onEvent(final ModuleErroredEvent event) {
			if (event.getModule() == module) event.consume();
		}
	}

	/**
	 * Shows the commands' SciJava status messages and progress in ImageJ's status bar and progress
	 * bar, which plain ImageJ 1.x does not do by itself (Fiji's legacy UI does).
	 */
	public static final class StatusForwarder {

		StatusForwarder() {}

		/** Forwards one status event. */
		@EventHandler
		public void onEvent(final StatusEvent event) {
			final String message = event.getStatusMessage();
			if (message != null) IJ.showStatus(message);
			if (event.getProgressMaximum() > 0) IJ.showProgress(event.getProgressValue(), event.getProgressMaximum());
			else if (event.getProgressValue() < 0) IJ.showProgress(1.0);
		}
	}

	/**
	 * Reports a failure: in a macro as a macro error that aborts it, otherwise as an error dialog (or
	 * on standard error when headless). An {@link InvalidInputException} anywhere in the cause chain
	 * gives the message; anything else is a bug, whose stack trace goes to the log as well.
	 */
	static void fail(final String title, final Throwable failure) {
		final String message = title + ": " + message(failure);
		if (invalidInput(failure) == null) IJ.log(stackTrace(failure));
		final Interpreter macro = Interpreter.getInstance();
		if (macro != null) macro.abort(message);
		else IJ.error(title, message);
	}

	/** The message a user can act on: the invalid input's, else the innermost meaningful one. */
	static String message(final Throwable failure) {
		final InvalidInputException invalid = invalidInput(failure);
		if (invalid != null) return invalid.getMessage();
		Throwable t = failure;
		while ((t instanceof ExecutionException || t.getMessage() == null) && t.getCause() != null)
			t = t.getCause();
		return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
	}

	private static InvalidInputException invalidInput(final Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause())
			if (t instanceof InvalidInputException invalid) return invalid;
		return null;
	}

	private static String stackTrace(final Throwable failure) {
		final StringWriter text = new StringWriter();
		failure.printStackTrace(new PrintWriter(text));
		return text.toString();
	}
}
