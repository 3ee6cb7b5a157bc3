package io.github.sssfiji.ij1;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.module.Module;
import org.scijava.module.ModuleInfo;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

import ij.ImagePlus;
import ij.WindowManager;
import io.github.sssfiji.InvalidInputException;

/**
 * The inputs of a SciJava command that an ImageJ 1.x user sets: every input except injected services
 * and messages, keyed by parameter name (which is the macro key). Converts macro option values to the
 * parameter types ({@code File}, {@code String} with or without choices, {@code int}, {@code long},
 * {@code float}, {@code double}, {@code boolean} and their boxes, and {@code ImagePlus} by title)
 * and reports unknown keys, bad values and missing required inputs, naming the key.
 */
public final class CommandParameters {

	/** Where {@code ImagePlus} inputs come from. */
	public interface Images {

		/** @return the open image with this title, or {@code null} */
		ImagePlus byTitle(String title);

		/** @return the active image, or {@code null} */
		ImagePlus current();

		/** ImageJ's open images, batch-mode images included. */
		static Images windowManager() {
			return new Images() {

				@Override
				public ImagePlus byTitle(final String title) {
					return WindowManager.getImage(title);
				}

				@Override
				public ImagePlus current() {
					return WindowManager.getCurrentImage();
				}
			};
		}
	}

	private static final Set<Class<?>> SUPPORTED = Set.of(File.class, String.class, ImagePlus.class, int.class, Integer.class, long.class,
		Long.class, float.class, Float.class, double.class, Double.class, boolean.class, Boolean.class);

	private final String title;
	private final List<ModuleItem<?>> items;

	private CommandParameters(final String title, final List<ModuleItem<?>> items) {
		this.title = title;
		this.items = items;
	}

	/**
	 * @throws InvalidInputException when an input has a type macros cannot express; such a command
	 *           must not be listed in {@code plugins.config}
	 */
	public static CommandParameters of(final ModuleInfo info) {
		final List<ModuleItem<?>> items = new ArrayList<>();
		for (final ModuleItem<?> item : info.inputs()) {
			final Class<?> type = item.getType();
			if (Service.class.isAssignableFrom(type) || Context.class.isAssignableFrom(type)) continue;
			if (item.getVisibility() == ItemVisibility.MESSAGE) continue;
			if (!SUPPORTED.contains(type))
				throw new InvalidInputException("parameter '" + item.getName() + "' has type " + type.getSimpleName() +
					", which ImageJ 1.x macros cannot set; run the command from Fiji instead");
			items.add(item);
		}
		return new CommandParameters(info.getTitle(), Collections.unmodifiableList(items));
	}

	/** The command's title, which is its menu label. */
	public String title() {
		return title;
	}

	/** The settable inputs in declaration order. */
	public List<ModuleItem<?>> items() {
		return items;
	}

	/** The valid macro keys in declaration order. */
	public List<String> names() {
		return items.stream().map(ModuleItem::getName).toList();
	}

	/**
	 * Sets the module's inputs from macro options. Keys not given keep the command's defaults, except
	 * that an {@code ImagePlus} input takes the active image.
	 *
	 * @param options raw values by key, e.g. from {@link MacroOptions#parse(String)}
	 * @throws InvalidInputException naming the key: unknown key (with the valid ones), a value of the
	 *           wrong type or not among the choices, an image title that is not open, or a required input
	 *           with neither value nor default
	 */
	public void apply(final Module module, final Map<String, String> options, final Images images) {
		final List<String> unknown = options.keySet().stream().filter(key -> items.stream().noneMatch(item -> item.getName().equals(key))).toList();
		if (!unknown.isEmpty())
			throw new InvalidInputException("unknown key" + (unknown.size() > 1 ? "s " : " ") + quoted(unknown) + "; valid keys: " +
				String.join(", ", names()));
		for (final ModuleItem<?> item : items) {
			final String name = item.getName();
			final String text = options.get(name);
			if (text != null) module.setInput(name, convert(item, text, images));
			else if (item.getType() == ImagePlus.class) {
				final ImagePlus current = images.current();
				if (current == null && item.isRequired())
					throw new InvalidInputException("no image is open; open one or give key '" + name + "' the title of an image");
				module.setInput(name, current);
			}
			else if (item.isRequired() && module.getInput(name) == null)
				throw new InvalidInputException("key '" + name + "' (" + item.getLabel() + ") is required; valid keys: " + String.join(", ", names()));
		}
	}

	/**
	 * Converts one macro value to the item's type.
	 *
	 * @throws InvalidInputException naming the key and the expected kind of value
	 */
	public static Object convert(final ModuleItem<?> item, final String text, final Images images) {
		final Class<?> type = item.getType();
		final String key = item.getName();
		final String value = text.trim();
		if (type == String.class) {
			final List<?> choices = item.getChoices();
			if (choices != null && !choices.isEmpty() && !choices.contains(value))
				throw bad(key, text, "one of " + choices.stream().map(String::valueOf).collect(Collectors.joining(", ")));
			return value;
		}
		if (type == File.class) return value.isEmpty() ? null : new File(value);
		if (type == ImagePlus.class) {
			final ImagePlus imp = images.byTitle(value);
			if (imp == null) throw new InvalidInputException("key '" + key + "': no open image is titled '" + value + "'");
			return imp;
		}
		if (type == boolean.class || type == Boolean.class) {
			if (value.equalsIgnoreCase("true")) return true;
			if (value.equalsIgnoreCase("false")) return false;
			throw bad(key, text, "true or false (a key alone means true)");
		}
		final boolean isInt = type == int.class || type == Integer.class, isLong = type == long.class || type == Long.class;
		if (isInt || isLong) {
			final long integer = parseInteger(value, key, text);
			if (isInt && (integer < Integer.MIN_VALUE || integer > Integer.MAX_VALUE)) throw bad(key, text, "an integer within the int range");
			return isInt ? (Object) (int) integer : (Object) integer;
		}
		final double number;
		try {
			number = Double.parseDouble(value);
		}
		catch (final NumberFormatException e) {
			throw bad(key, text, "a number");
		}
		return type == float.class || type == Float.class ? (Object) (float) number : (Object) number;
	}

	private static long parseInteger(final String value, final String key, final String text) {
		try {
			return Long.parseLong(value);
		}
		catch (final NumberFormatException e) {
			// ImageJ may record a numeric field as a decimal (3.0): accept integral decimals
			try {
				final double number = Double.parseDouble(value);
				if (number == Math.rint(number) && Math.abs(number) < 0x1p53) return (long) number;
			}
			catch (final NumberFormatException notANumber) {
				// reported below
			}
			throw bad(key, text, "an integer");
		}
	}

	private static InvalidInputException bad(final String key, final String text, final String expected) {
		return new InvalidInputException("key '" + key + "' expects " + expected + ", got '" + text + "'");
	}

	private static String quoted(final List<String> keys) {
		return keys.stream().map(key -> "'" + key + "'" + (key.equals(key.toLowerCase(Locale.ROOT)) ? "" : " (keys are lower case)"))
			.collect(Collectors.joining(", "));
	}
}
