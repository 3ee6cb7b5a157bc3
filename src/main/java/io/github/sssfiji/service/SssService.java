package io.github.sssfiji.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scijava.service.SciJavaService;

import ai.djl.Device;

/**
 * The one owner of SSS's native state in a SciJava context: loaded models (kept between runs, keyed
 * by model file and content hash), the compute device and thread count of the DJL engine, and the
 * right to train (DJL allows one open gradient collector per JVM, so training runs are serialised
 * here). Commands and the CLI reach models only through this service.
 */
public interface SssService extends SciJavaService {

	/** Where the engine runs. */
	enum DeviceChoice {
		/** The GPU when DJL sees one and GPUs are allowed, else the CPU. */
		AUTO,
		/** Always the CPU. */
		CPU
	}

	/** Loads a model file; called at most once per file content while the model stays cached. */
	@FunctionalInterface
	interface ModelLoader<M extends AutoCloseable> {

		M load(Path file, Device device) throws IOException;
	}

	/**
	 * The model of {@code file}, loaded with {@code loader} on first use and cached: a later call with
	 * the same file content returns the same instance; a changed file is loaded anew and the old model
	 * closed.
	 */
	<M extends AutoCloseable> M model(Path file, Class<M> type, ModelLoader<M> loader) throws IOException;

	/** Closes and forgets the cached model of {@code file}, if any. */
	void evict(Path file);

	/** Number of model loads so far (cache misses), for diagnostics. */
	int loadCount();

	/** The DJL device models run on, following {@link #deviceChoice()}. */
	Device device();

	DeviceChoice deviceChoice();

	/** Changes the device for models loaded from now on. */
	void setDeviceChoice(DeviceChoice choice);

	/** Intra-op threads of the engine. */
	int threads();

	/**
	 * Sets the engine's thread count. libtorch fixes it when the engine starts, so this takes effect
	 * only before the first model runs.
	 *
	 * @return whether the setting could still be applied
	 */
	boolean setThreads(int threads);

	/** Default folder for model files (the {@code sss.models.dir} property, else {@code ~/.sss/models}). */
	Path modelsFolder();

	void setModelsFolder(Path folder);

	/**
	 * Runs a training job exclusively: one at a time per JVM, since DJL allows one gradient collector.
	 * A second request waits until the first ends, or fails with a clear message after
	 * {@code waitSeconds}.
	 */
	<T> T train(String description, long waitSeconds, Callable<T> job) throws Exception;
}
