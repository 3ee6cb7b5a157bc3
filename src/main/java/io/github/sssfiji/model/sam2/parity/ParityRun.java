package io.github.sssfiji.model.sam2.parity;

import java.io.IOException;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.StateDict;
import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.model.sam2.modeling.ImageFeatures;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.model.sam2.modeling.StateDictCheck;
import io.github.sssfiji.model.sam2.predictor.Sam2ImagePredictor;
import io.github.sssfiji.nn.ModelState;

/**
 * What the groups of one parity run share: the folder, the model with the folder's weights (loaded
 * once, strictly) and an image predictor holding the encoding of {@code image/image_u8.npy}.
 */
public final class ParityRun implements AutoCloseable {

	/** The raw input image every image-path output derives from. */
	public static final String IMAGE = "image/image_u8.npy";

	private final ParityFolder folder;
	private final NDManager manager;
	private Sam2Model model;
	private Sam2ImagePredictor predictor;
	private byte[] pixels;
	private int height;
	private int width;

	/** A run whose model and arrays live on {@code device}. */
	public ParityRun(final ParityFolder folder, final Device device) {
		this.folder = folder;
		this.manager = Engines.pytorch().newBaseManager(device);
	}

	public ParityFolder folder() {
		return folder;
	}

	/** A manager for a group's temporary arrays (close it). */
	public NDManager newManager() {
		return manager.newSubManager();
	}

	/** The model with the folder's weights. */
	public Sam2Model model() throws IOException {
		if (model == null) {
			final int s = folder.config().imageSize();
			final StateDict weights = folder.readWeights();
			StateDictCheck.compare(Sam2Model.expectedShapes(folder.config()), weights).requireExactMatch();
			final Sam2Model m = new Sam2Model(new ModelState(manager), folder.config());
			m.loadWeights(weights);
			model = m;
		}
		return model;
	}

	/** The predictor with {@link #IMAGE} set (as a grey uint8 image, official preprocessing). */
	public Sam2ImagePredictor predictor() throws IOException {
		if (predictor == null) {
			final Sam2ImagePredictor p = new Sam2ImagePredictor(model(), manager);
			p.setImage(imagePixels(), imageHeight(), imageWidth(), 1);
			predictor = p;
		}
		return predictor;
	}

	/** The features of {@link #IMAGE}, as the predictor computed them. */
	public ImageFeatures features() throws IOException {
		return predictor().features();
	}

	/** The pixels of {@link #IMAGE} (H x W uint8). */
	public byte[] imagePixels() throws IOException {
		if (pixels == null) {
			final TensorData u8 = folder.read(IMAGE);
			final long[] shape = u8.shape();
			if (shape.length != 2) throw new io.github.sssfiji.InvalidInputException(folder.dir() + "/" + IMAGE + " must be H x W (grey), got " +
				java.util.Arrays.toString(shape));
			height = (int) shape[0];
			width = (int) shape[1];
			pixels = u8.bytes();
		}
		return pixels;
	}

	public int imageHeight() throws IOException {
		imagePixels();
		return height;
	}

	public int imageWidth() throws IOException {
		imagePixels();
		return width;
	}

	@Override
	public void close() {
		if (predictor != null) predictor.close();
		manager.close();
	}
}
