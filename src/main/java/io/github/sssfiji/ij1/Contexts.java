package io.github.sssfiji.ij1;

import org.scijava.Context;

import ij.IJ;

/**
 * The SciJava context that ImageJ 1.x plugins share: Fiji's own context when imagej-legacy is present,
 * otherwise one context created on first use and kept until the JVM ends, so that services such as the
 * SSS model cache live as long as ImageJ.
 */
public final class Contexts {

	private static final String LEGACY_SERVICE = "net.imagej.legacy.LegacyService";

	private static Context own;

	private Contexts() {
		// static utility
	}

	/**
	 * Fiji's context, or this JVM's own.
	 * <p>
	 * Fiji answers {@code IJ.runPlugIn("org.scijava.Context", "")} with its context (as Fiji's
	 * HandleExtraFileTypes asks for it). Plain ImageJ would instead instantiate a fresh
	 * {@code Context} on every such call, hence the check for imagej-legacy first. The own context is
	 * created with this class's class loader as the thread's context class loader, so that the plugin
	 * index finds the commands in ImageJ's plugins class loader.
	 * </p>
	 */
	public static synchronized Context shared() {
		if (own != null) return own;
		if (hasImageJLegacy()) {
			final Object fiji = IJ.runPlugIn("org.scijava.Context", "");
			if (fiji instanceof Context context) return context;
		}
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(Contexts.class.getClassLoader());
		try {
			own = new Context();
		}
		finally {
			thread.setContextClassLoader(previous);
		}
		return own;
	}

	private static boolean hasImageJLegacy() {
		try {
			Class.forName(LEGACY_SERVICE, false, Contexts.class.getClassLoader());
			return true;
		}
		catch (final ClassNotFoundException | LinkageError e) {
			return false;
		}
	}
}
