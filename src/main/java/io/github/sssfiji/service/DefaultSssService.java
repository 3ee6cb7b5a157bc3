package io.github.sssfiji.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.prefs.PrefService;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.VoxelLimit;
import io.github.sssfiji.util.Sha256;

/**
 * Default {@link SssService}: a model cache keyed by file content hash and device, the device choice,
 * the engine's thread count, and the training lock.
 * <p>
 * The device, thread and voxel-limit options are read, in this order of precedence, from the system
 * properties {@value #DEVICE_PROPERTY}, {@code ai.djl.pytorch.num_threads} and
 * {@value io.github.sssfiji.io.VoxelLimit#PROPERTY} (set by the CLI or on the Java command line),
 * then from the options saved by {@code SSS Options}.
 * </p>
 */
@Plugin(type = Service.class)
public class DefaultSssService extends AbstractService implements SssService {

	/** System property with the device choice of this JVM ({@code auto} or {@code cpu}); wins over the saved option. */
	public static final String DEVICE_PROPERTY = "sss.device";

	/** The saved option of {@link #setMaxVoxels}. */
	static final String MAX_VOXELS = "maxVoxels";

	@Parameter(required = false)
	private LogService log;

	@Parameter(required = false)
	private PrefService prefs;

	/** Cached models by absolute path. */
	private final Map<Path, Cached> models = new HashMap<>();
	private final ReentrantLock training = new ReentrantLock(true);
	private volatile String trainingNow;
	private int loads;
	private DeviceChoice deviceChoice = DeviceChoice.AUTO;
	private DeviceSource devices = DeviceSource.engine();
	private Path modelsFolder = Paths.get(System.getProperty("sss.models.dir", Paths.get(System.getProperty("user.home"), ".sss", "models").toString()));

	private record Cached(String sha256, long size, long modified, Device device, Shared model) {}

	/**
	 * One loaded model and the leases on it: closed when it has left the cache and its last lease
	 * ends, so that replacing a model (a new file, another device, SSS Options) never closes it under
	 * a job that is predicting with it. Guarded by the service's lock.
	 */
	private final class Shared {

		final Path file;
		final AutoCloseable model;
		int leases;
		boolean retired, closed;

		Shared(final Path file, final AutoCloseable model) {
			this.file = file;
			this.model = model;
		}

		<M extends AutoCloseable> Lease<M> lease(final Class<M> type) {
			leases++;
			final M leased = type.cast(model);
			return new Lease<>() {

				// read by get() outside the service lock
				private volatile boolean released;

				@Override
				public M get() {
					if (released) throw new IllegalStateException("the lease on the model of " + file.getFileName() + " was closed");
					return leased;
				}

				@Override
				public void close() {
					synchronized (DefaultSssService.this) {
						if (released) return;
						released = true;
						leases--;
						closeIfUnused();
					}
				}
			};
		}

		void retire() {
			retired = true;
			closeIfUnused();
		}

		private void closeIfUnused() {
			if (!retired || leases > 0 || closed) return;
			closed = true;
			try {
				model.close();
			}
			catch (final Exception e) {
				if (log != null) log.warn("SSS: closing the model of " + file + " failed", e);
			}
		}
	}

	/** Restores the options saved by {@code SSS Options}, unless system properties set them for this JVM. */
	@Override
	public void initialize() {
		if (prefs != null) {
			try {
				deviceChoice = DeviceChoice.parse(prefs.get(getClass(), "device", deviceChoice.name()), "saved SSS option 'device'");
			}
			// a damaged preference must not stop the context from starting
			catch (final InvalidInputException e) {
				if (log != null) log.warn("SSS: " + e.getMessage() + "; using " + deviceChoice);
			}
			final String folder = prefs.get(getClass(), "modelsFolder", null);
			if (folder != null) modelsFolder = Paths.get(folder);
			final int threads = prefs.getInt(getClass(), "threads", 0);
			// an explicit -Dai.djl.pytorch.num_threads (tests, scripts) wins over the saved option
			if (threads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) setThreads(threads, false);
			final long maxVoxels = prefs.getLong(getClass(), MAX_VOXELS, 0);
			if (maxVoxels > 0 && System.getProperty(VoxelLimit.PROPERTY) == null) VoxelLimit.set(maxVoxels);
		}
		final String device = System.getProperty(DEVICE_PROPERTY);
		if (device != null) deviceChoice = DeviceChoice.parse(device, "-D" + DEVICE_PROPERTY);
	}

	/**
	 * Replaces where the service learns which devices there are (by default DJL's engine), e.g. with a
	 * list that holds a GPU in a test on a machine without one. Models loaded before stay cached on
	 * their device until {@link #model} sees that the device changed.
	 */
	public synchronized void setDeviceSource(final DeviceSource source) {
		devices = source;
	}

	@Override
	public synchronized <M extends AutoCloseable> Lease<M> lease(final Path file, final Class<M> type, final ModelLoader<M> loader) throws IOException {
		final Path key = file.toAbsolutePath().normalize();
		if (!Files.isRegularFile(key)) throw new InvalidInputException(file + ": model file not found");
		final long size = Files.size(key), modified = Files.getLastModifiedTime(key).toMillis();
		final Device device = device();
		Cached cached = models.get(key);
		// a model on another device than the inputs' managers would fail in its first operation
		if (cached != null && !cached.device.equals(device)) {
			retire(key);
			cached = null;
		}
		// size and time are cheap; the hash decides only when they changed
		if (cached != null && (cached.size != size || cached.modified != modified)) {
			final String hash = Sha256.file(key);
			if (!hash.equals(cached.sha256)) {
				retire(key);
				cached = null;
			}
			else {
				cached = new Cached(hash, size, modified, device, cached.model);
				models.put(key, cached);
			}
		}
		if (cached == null) {
			final String hash = Sha256.file(key);
			final M model = loader.load(key, device);
			loads++;
			cached = new Cached(hash, size, modified, device, new Shared(key, model));
			models.put(key, cached);
			if (log != null) log.info("SSS: loaded " + key.getFileName() + " (sha256 " + hash.substring(0, 12) + ") on " + device);
		}
		if (!type.isInstance(cached.model.model))
			throw new InvalidInputException(file + ": holds a " + cached.model.model.getClass().getSimpleName() + ", not a " + type.getSimpleName());
		return cached.model.lease(type);
	}

	@Override
	public synchronized void evict(final Path file) {
		retire(file.toAbsolutePath().normalize());
	}

	/** Takes the model of {@code key} out of the cache; it closes when its last lease ends (now, if none is open). */
	private void retire(final Path key) {
		final Cached cached = models.remove(key);
		if (cached != null) cached.model.retire();
	}

	@Override
	public synchronized int loadCount() {
		return loads;
	}

	@Override
	public synchronized Device device() {
		// CPU never asks for the device list: that would start the engine and fix its thread count
		if (deviceChoice == DeviceChoice.CPU) return Device.cpu();
		for (final Device device : devices.devices())
			if (device.isGpu()) return device;
		return Device.cpu();
	}

	@Override
	public NDManager newManager() {
		return Engines.pytorch().newBaseManager(device());
	}

	@Override
	public synchronized DeviceChoice deviceChoice() {
		return deviceChoice;
	}

	@Override
	public synchronized void setDeviceChoice(final DeviceChoice choice, final boolean remember) {
		if (choice == null) throw new InvalidInputException("device: give auto or cpu");
		deviceChoice = choice;
		if (remember && prefs != null) prefs.put(getClass(), "device", choice.name());
	}

	@Override
	public int threads() {
		Engines.configureOffline();
		return Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads"));
	}

	@Override
	public synchronized boolean setThreads(final int threads, final boolean remember) {
		if (threads < 1) throw new InvalidInputException("threads = " + threads + ": must be at least 1");
		if (remember && prefs != null) prefs.put(getClass(), "threads", threads);
		if (Engines.isStarted()) return threads == threads();
		Engines.setThreads(threads);
		return true;
	}

	@Override
	public synchronized void setMaxVoxels(final long maxVoxels) {
		VoxelLimit.set(maxVoxels);
		if (prefs != null) prefs.put(getClass(), MAX_VOXELS, maxVoxels);
	}

	@Override
	public synchronized Path modelsFolder() {
		return modelsFolder;
	}

	@Override
	public synchronized void setModelsFolder(final Path folder) {
		modelsFolder = folder;
		if (prefs != null) prefs.put(getClass(), "modelsFolder", folder.toString());
	}

	@Override
	public <T> T train(final String description, final long waitSeconds, final Callable<T> job) throws Exception {
		if (training.isHeldByCurrentThread())
			throw new IllegalStateException("training '" + description + "' started from inside training '" + trainingNow + "'");
		if (!training.tryLock(waitSeconds, TimeUnit.SECONDS))
			throw new IllegalStateException("cannot start training '" + description + "': training '" + trainingNow +
				"' is running (one training at a time per Fiji/JVM); try again when it has finished");
		try {
			trainingNow = description;
			return job.call();
		}
		finally {
			trainingNow = null;
			training.unlock();
		}
	}

	@Override
	public synchronized void dispose() {
		// a model still leased by a running job closes when that job ends
		for (final Cached cached : models.values())
			cached.model.retire();
		models.clear();
	}

}
