package io.github.sssfiji.ij1;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

/**
 * The ImageJ 1.x dialog of a command's inputs, for plain ImageJ without macro options.
 * <p>
 * Each field is labelled with the parameter name, because ImageJ's recorder derives the macro key from
 * the label: a recorded {@code run(...)} line then carries exactly the keys the bridge accepts. The
 * SciJava label is shown as the unit of numeric fields. The values come back as macro option text and
 * go through the same conversion as a macro's.
 * </p>
 */
public final class CommandDialog {

	private CommandDialog() {
		// static utility
	}

	/**
	 * Shows the dialog with the module's current values as defaults.
	 *
	 * @return the values by key as macro option text, or {@code null} when cancelled
	 */
	public static Map<String, String> show(final CommandParameters parameters, final Module module) {
		final GenericDialog dialog = new GenericDialog(parameters.title());
		final List<ModuleItem<?>> items = parameters.items();
		for (final ModuleItem<?> item : items)
			addField(dialog, item, module.getInput(item.getName()));
		dialog.showDialog();
		if (dialog.wasCanceled()) return null;
		final Map<String, String> values = new LinkedHashMap<>();
		for (final ModuleItem<?> item : items)
			values.put(item.getName(), nextValue(dialog, item, module.getInput(item.getName())));
		return values;
	}

	private static void addField(final GenericDialog dialog, final ModuleItem<?> item, final Object value) {
		final String name = item.getName();
		final Class<?> type = item.getType();
		final List<?> choices = item.getChoices();
		if (type == ImagePlus.class) dialog.addImageChoice(name, null);
		else if (type == boolean.class || type == Boolean.class) dialog.addCheckbox(name, Boolean.TRUE.equals(value));
		else if (type == File.class) {
			final String path = value == null ? "" : value.toString();
			if (FileWidget.DIRECTORY_STYLE.equals(item.getWidgetStyle())) dialog.addDirectoryField(name, path);
			else dialog.addFileField(name, path);
		}
		else if (type == String.class && choices != null && !choices.isEmpty())
			dialog.addChoice(name, choices.stream().map(String::valueOf).toArray(String[]::new), value == null ? null : value.toString());
		else if (type == String.class) dialog.addStringField(name, value == null ? "" : value.toString(), 20);
		else {
			final boolean integer = type != double.class && type != Double.class && type != float.class && type != Float.class;
			final double number = value == null ? 0 : ((Number) value).doubleValue();
			dialog.addNumericField(name, number, integer ? 0 : 3, 8, item.getLabel());
		}
	}

	private static String nextValue(final GenericDialog dialog, final ModuleItem<?> item, final Object initial) {
		final Class<?> type = item.getType();
		final List<?> choices = item.getChoices();
		if (type == ImagePlus.class) return dialog.getNextImage().getTitle();
		if (type == boolean.class || type == Boolean.class) {
			final boolean ticked = dialog.getNextBoolean();
			// the recorder writes a ticked box as a bare key and leaves an unticked one out, which a macro
			// run would read as the default: record the exception explicitly
			if (!ticked && Boolean.TRUE.equals(initial) && Recorder.record) Recorder.recordOption(item.getName(), "false");
			return Boolean.toString(ticked);
		}
		if (type == String.class && choices != null && !choices.isEmpty()) return dialog.getNextChoice();
		if (type == String.class || type == File.class) return dialog.getNextString();
		final double number = dialog.getNextNumber();
		final boolean integer = type != double.class && type != Double.class && type != float.class && type != Float.class;
		return integer && number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
	}
}
