package io.github.sssfiji.model.sam2.predictor;

import java.io.IOException;
import java.nio.file.Path;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;

/**
 * An SSS SAM 2 model file loaded for interactive segmentation: the model on its own native memory
 * with one {@link Sam2ImagePredictor}, whose kept image encoding makes repeated prompts on the same
 * image cheap. This is what the SSS service caches for {@code SSS Interactive SAM-2}; the predictor
 * holds per-image state, so callers use it inside {@code synchronized (model)}.
 */
public final class Sam2InteractiveModel implements AutoCloseable {

	private final Path file;
	private final NDManager manager;
	private final Sam2Model model;
	private final Sam2ImagePredictor predictor;

	private Sam2InteractiveModel(final Path file, final NDManager manager, final Sam2Model model) {
		this.file = file;
		this.manager = manager;
		this.model = model;
		this.predictor = new Sam2ImagePredictor(model, manager);
	}

	/** Loads (and checks) a model file written by {@link Sam2ModelFiles} onto {@code device}. */
	public static Sam2InteractiveModel load(final Path file, final Device device) throws IOException {
		final NDManager manager = Engines.pytorch().newBaseManager(device);
		try {
			return new Sam2InteractiveModel(file, manager, Sam2ModelFiles.load(file, manager));
		}
		catch (final IOException | RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	/** The model file this was loaded from. */
	public Path file() {
		return file;
	}

	/** The model's configuration. */
	public Sam2Config config() {
		return model.config();
	}

	/** The predictor; use it while holding this object's lock. */
	public Sam2ImagePredictor predictor() {
		return predictor;
	}

	/** Frees the image encoding and the model's native memory. */
	@Override
	public synchronized void close() {
		predictor.close();
		manager.close();
	}
}
