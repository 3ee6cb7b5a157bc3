package io.github.sssfiji.model.sam2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.sssfiji.InvalidInputException;

/**
 * The official {@code SAM2ImagePredictor} flow for one image: {@link #setImage} encodes once and keeps
 * the features; {@link #predict} embeds points / a box / a low-res mask prompt, decodes, applies the
 * multimask or stability selection and upsamples the logits to the image size. Images must already
 * be at the model size (resizing is not implemented yet). No hole or sprinkle filling.
 */
public final class Sam2ImagePredictor implements AutoCloseable {

	/** Outputs of one prediction, as plain arrays (C order). */
	public static final class Prediction {
		/** Unclamped low-res logits, M x S/4 x S/4. */
		public final float[] lowResLogits;
		/** Predicted IoU per mask, M values. */
		public final float[] iou;
		/** Logits at the image size, M x H x W (bilinear, align_corners=False). */
		public final float[] logits;
		public final int masks;
		public final float objectScore;

		Prediction(final float[] lowResLogits, final float[] iou, final float[] logits, final int masks, final float objectScore) {
			this.lowResLogits = lowResLogits;
			this.iou = iou;
			this.logits = logits;
			this.masks = masks;
			this.objectScore = objectScore;
		}
	}

	private static final float STABILITY_DELTA = 0.05f;
	private static final float STABILITY_THRESHOLD = 0.98f;

	private final Sam2Model model;
	private final ParameterStore store;
	private final NDManager parent;
	private NDManager imageManager;
	private ImageFeatures features;
	private int height;
	private int width;

	public Sam2ImagePredictor(final Sam2Model model, final ParameterStore store, final NDManager parent) {
		this.model = model;
		this.store = store;
		this.parent = parent;
	}

	/** Encodes an interleaved uint8 image (H x W x channels, 1 or 3 channels) of the model size. */
	public void setImage(final byte[] pixels, final int imageHeight, final int imageWidth, final int channels) {
		final int s = model.config().imageSize();
		final float[] input = Sam2Transforms.normalize(pixels, imageHeight, imageWidth, channels, s);
		if (imageManager != null) imageManager.close();
		imageManager = parent.newSubManager();
		features = model.forwardImage(store, imageManager.create(input, new Shape(1, 3, s, s)), false);
		height = imageHeight;
		width = imageWidth;
	}

	/**
	 * Predicts masks. {@code pointsXY} (x, y pairs in image pixels) with {@code labels} (1 positive,
	 * 0 negative) and {@code box} (x0, y0, x1, y1) may each be null; {@code maskInput} is an optional
	 * S/4 x S/4 logit prompt. The box goes first, as two points labelled 2 and 3.
	 */
	public Prediction predict(final float[] pointsXY, final int[] labels, final float[] box, final float[] maskInput,
		final boolean multimask)
	{
		if (features == null) throw new IllegalStateException("call setImage before predict");
		final int s = model.config().imageSize();
		final int nPoints = pointsXY == null ? 0 : pointsXY.length / 2;
		if (pointsXY != null && (labels == null || labels.length != nPoints))
			throw new InvalidInputException("point labels: expected " + nPoints + " labels, got " + (labels == null ? 0 : labels.length));
		if (box != null && box.length != 4) throw new InvalidInputException("box: expected x0, y0, x1, y1, got " + box.length + " values");
		final int nBox = box == null ? 0 : 2;
		final float[] coords = new float[2 * (nBox + nPoints)];
		final float[] allLabels = new float[nBox + nPoints];
		if (box != null) {
			System.arraycopy(Sam2Postprocess.transformCoords(box, width, height, s), 0, coords, 0, 4);
			allLabels[0] = 2;
			allLabels[1] = 3;
		}
		if (nPoints > 0) {
			System.arraycopy(Sam2Postprocess.transformCoords(pointsXY, width, height, s), 0, coords, 2 * nBox, 2 * nPoints);
			for (int i = 0; i < nPoints; i++) allLabels[nBox + i] = labels[i];
		}
		final PromptEncoder prompts = model.promptEncoder();
		final int d = model.config().dModel();
		try (NDManager call = parent.newSubManager()) {
			final NDArray sparse = allLabels.length == 0 ? call.zeros(new Shape(1, 0, d))
				: prompts.embedPoints(store, call.create(coords, new Shape(1, allLabels.length, 2)),
					call.create(allLabels, new Shape(1, allLabels.length)), true, false);
			final int low = s / 4;
			final NDArray dense = maskInput == null ? prompts.noMaskDense(store, call, 1, false)
				: prompts.embedMask(store, call.create(maskInput, new Shape(1, 1, low, low)), false);
			final NDArray pe = prompts.densePositionEncoding(store, call, false);
			final MaskDecoder.Output out = model.maskDecoder().predict(store, features.imageEmbedding(), pe, sparse, dense,
				features.highResS0(), features.highResS1(), false);
			final NDList selected = out.select(multimask, true, STABILITY_DELTA, STABILITY_THRESHOLD, true);
			final float[] lowRes = selected.get(0).toType(DataType.FLOAT32, false).toFloatArray();
			final int m = (int) selected.get(0).getShape().get(1);
			final float[] iou = selected.get(1).toFloatArray();
			final float objectScore = out.objectScoreLogits.toFloatArray()[0];
			final float[] logits = Sam2Postprocess.upsampleBilinear(lowRes, m, low, low, height, width);
			return new Prediction(lowRes, iou, logits, m, objectScore);
		}
	}

	@Override
	public void close() {
		if (imageManager != null) imageManager.close();
		imageManager = null;
		features = null;
	}
}
