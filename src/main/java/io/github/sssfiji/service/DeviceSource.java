package io.github.sssfiji.service;

import ai.djl.Device;
import io.github.sssfiji.djl.Engines;

/**
 * The devices the engine can compute on, as the {@link SssService} sees them when it picks one. The
 * default asks DJL ({@link ai.djl.engine.Engine#getDevices()}: the GPUs, or the CPU alone); tests
 * give a list of their own, so that the choice for a machine with a GPU can be checked on one
 * without.
 */
@FunctionalInterface
public interface DeviceSource {

	/** The usable devices; a GPU in the list means the engine can run on it. */
	Device[] devices();

	/** The devices DJL's PyTorch engine reports (this starts the engine). */
	static DeviceSource engine() {
		return () -> Engines.pytorch().getDevices();
	}
}
