package io.github.sssfiji.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scijava.service.SciJavaService;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.InvalidInputException;

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
		CPU;

		/**
		 * The choice named {@code value} ({@code auto} or {@code cpu}, any case).
		 *
		 * @param what names the setting in the error, e.g. {@code "--device"}
		 * @throws InvalidInputException for any other value
		 */
		public static DeviceChoice parse(final String value, final String what) {
			for (final DeviceChoice choice : values())
				if (choice.name().equalsIgnoreCase(value == null ? "" : value.trim())) return choice;
			throw new InvalidInputException(what + ": '" + value + "' is not a device choice (auto, cpu)");
		}
	}

	/**
	 * Loads a model file; called at most once per file content and device while the model stays
	 * cached. It must put the model on {@code device}: the service's managers for the inputs are
	 * there, and PyTorch refuses to mix devices in one operation.
	 */
	@FunctionalInterface
	interface ModelLoader<M extends AutoCloseable> {

		M load(Path file, Device device) throws IOException;
	}

	/**
	 * A cached model in use: the model stays open until every lease on it is closed, even when the
	 * cache replaces it (a changed file or device), {@link #evict}s it or is disposed meanwhile. Close
	 * it when the job that uses the model ends.
	 */
	interface Lease<M extends AutoCloseable> extends AutoCloseable {

		/** The leased model, open until this lease is closed. */
		M get();

		/** Ends this use of the model; closing twice is harmless. */
		@Override
		void close();
	}

	/**
	 * A lease on the model of {@code file}, loaded with {@code loader} onto {@link #device()} on first
	 * use and cached: a later call with the same file content on the same device leases the same
	 * instance; a changed file, or a changed device, loads it anew, and the old model is closed as
	 * soon as no job holds a lease on it (never under a running job).
	 */
	<M extends AutoCloseable> Lease<M> lease(Path file, Class<M> type, ModelLoader<M> loader) throws IOException;

	/** Forgets the cached model of {@code file}, if any, and closes it once no lease holds it. */
	void evict(Path file);

	/** Number of model loads so far (cache misses), for diagnostics. */
	int loadCount();

	/**
	 * The DJL device models and their inputs live on, following {@link #deviceChoice()}: the CPU for
	 * {@code CPU}; for {@code AUTO} the first GPU the engine has, else the CPU.
	 */
	Device device();

	/**
	 * A new root manager on {@link #device()} for the arrays of one prediction or training run; the
	 * caller closes it. Every root manager of SSS's commands comes from here, so that inputs, models
	 * and outputs are on one device.
	 */
	NDManager newManager();

	DeviceChoice deviceChoice();

	/** Changes the device for models and managers made from now on, and saves it as an option. */
	default void setDeviceChoice(final DeviceChoice choice) {
		setDeviceChoice(choice, true);
	}

	/**
	 * Changes the device for models and managers made from now on.
	 *
	 * @param remember save it as the option of later starts (the SSS Options dialog), or use it until
	 *          the JVM ends only (a CLI option)
	 */
	void setDeviceChoice(DeviceChoice choice, boolean remember);

	/** Intra-op threads of the engine. */
	int threads();

	/**
	 * Sets the engine's thread count and saves it as an option. libtorch fixes it when the engine
	 * starts, so this takes effect only before the first model runs.
	 *
	 * @return whether the setting could still be applied
	 */
	default boolean setThreads(final int threads) {
		return setThreads(threads, true);
	}

	/**
	 * Sets the engine's thread count (the one place SSS does), effective only before the engine
	 * starts.
	 *
	 * @param remember save it as the option of later starts, or use it until the JVM ends only
	 * @return whether the setting could still be applied
	 */
	boolean setThreads(int threads, boolean remember);

	/** The largest image, in voxels, that SSS reads in this JVM ({@link io.github.sssfiji.io.VoxelLimit}). */
	default long maxVoxels() {
		return io.github.sssfiji.io.VoxelLimit.maxVoxels();
	}

	/**
	 * Sets the largest image, in voxels, that the readers of this JVM accept from their next file on,
	 * and saves it as the option of later starts (SSS Options).
	 */
	void setMaxVoxels(long maxVoxels);

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
