package io.github.sssfiji.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Starts DJL's PyTorch engine the one way SSS allows: offline, without telemetry, with a known
 * thread count.
 * <p>
 * DJL reads {@code ai.djl.offline} and {@code OPT_OUT_TRACKING} from system properties as well as
 * from the environment, so setting them here, before the engine class loads, makes the Fiji plugin,
 * the CLI and the tests behave the same: by default nothing is downloaded, and nothing phones home.
 * </p>
 */
public final class Engines {

	public static final String ENGINE_NAME = "PyTorch";

	private static volatile boolean started;

	private Engines() {}

	/**
	 * Sets DJL offline unless the user chose otherwise ({@code -Dai.djl.offline=false} lets DJL
	 * download natives, such as a CUDA build of libtorch, once into its cache) and turns its usage
	 * tracking off.
	 */
	public static void configureOffline() {
		setIfAbsent("ai.djl.offline", "true");
		System.setProperty("OPT_OUT_TRACKING", "true");
		System.setProperty("ai.djl.default_engine", ENGINE_NAME);
		setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
		setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
	}

	/**
	 * Sets the number of intra-op threads the engine will use. Only effective before the engine
	 * starts; afterwards libtorch keeps its first setting.
	 */
	public static void setThreads(final int threads) {
		if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
		System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
	}

	/**
	 * Returns the PyTorch engine, started offline. The thread context class loader is switched to
	 * ours while DJL's ServiceLoader looks for the engine, since Fiji's plugin class loader is not
	 * always the context loader.
	 */
	public static synchronized Engine pytorch() {
		configureOffline();
		final Thread thread = Thread.currentThread();
		final ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(Engines.class.getClassLoader());
		try {
			final Engine engine = Engine.getEngine(ENGINE_NAME);
			started = true;
			return engine;
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/** Whether {@link #pytorch()} has started the engine in this JVM (its thread count is then fixed). */
	public static boolean isStarted() {
		return started;
	}

	/** The intra-op threads libtorch runs with (starts the engine): what a run really used, whatever was asked. */
	public static int threads() {
		pytorch();
		return JniUtils.getNumThreads();
	}

	private static void setIfAbsent(final String key, final String value) {
		if (System.getProperty(key) == null) System.setProperty(key, value);
	}

	/**
	 * Turns autograd off on the current thread until the returned guard is closed, then restores the
	 * previous mode. libtorch's grad mode is per thread and on by default; DJL turns it off only on
	 * the thread that starts the engine. Code that may run on any thread (Fiji commands run on pool
	 * threads) needs this around inference (else every forward pass records a graph) and around
	 * training (else in-place optimiser updates of the weights fail).
	 */
	public static NoGrad noGrad() {
		pytorch();
		final boolean previous = JniUtils.isGradMode();
		JniUtils.setGradMode(false);
		return new NoGrad(previous);
	}

	/** Restores the grad mode of the thread when closed; see {@link #noGrad()}. */
	public static final class NoGrad implements AutoCloseable {

		private final boolean previous;

		private NoGrad(final boolean previous) {
			this.previous = previous;
		}

		@Override
		public void close() {
			JniUtils.setGradMode(previous);
		}
	}
}
