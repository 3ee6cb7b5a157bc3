package io.github.sssfiji.model.sam2.predictor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.sam2.modeling.ImageFeatures;
import io.github.sssfiji.model.sam2.modeling.MaskDecoder;
import io.github.sssfiji.model.sam2.modeling.PromptEncoder;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.nn.Resize;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;
import net.imglib2.view.Views;

/**
 * The official {@code SAM2ImagePredictor} flow for one image: {@link #setImage} converts an image of
 * any size ({@code ToTensor}, {@code Resize((S, S))}, {@code Normalize}; see {@link Sam2Transforms})
 * and encodes it; {@link #predict} embeds points / a box / a low-res mask prompt, decodes, applies the
 * multimask or stability selection and upsamples the logits to the image size. The encoding of the
 * current image is kept: setting an image with the same content again does not re-encode. No hole or
 * sprinkle filling (mask_threshold 0).
 * <p>
 * Inference only: both calls run with autograd off on the calling thread ({@link Engines#noGrad()}),
 * so a predictor used from any thread (Fiji runs commands on pool threads) records no graph and its
 * kept encoding holds no references to intermediate arrays.
 * </p>
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
		private final int width;
		private final int height;
		private final int lowResSize;

		Prediction(final float[] lowResLogits, final float[] iou, final float[] logits, final int masks, final float objectScore,
			final int width, final int height, final int lowResSize)
		{
			this.lowResLogits = lowResLogits;
			this.iou = iou;
			this.logits = logits;
			this.masks = masks;
			this.objectScore = objectScore;
			this.width = width;
			this.height = height;
			this.lowResSize = lowResSize;
		}

		/** Width of the image the masks cover. */
		public int width() {
			return width;
		}

		/** Height of the image the masks cover. */
		public int height() {
			return height;
		}

		/** The object-score logit (positive: an object is present). */
		public float objectScore() {
			return objectScore;
		}

		/** The mask with the highest predicted IoU. */
		public int best() {
			int best = 0;
			for (int m = 1; m < masks; m++)
				if (iou[m] > iou[best]) best = m;
			return best;
		}

		/** Logits of mask {@code m} at the image size, H x W row-major (a copy). */
		public float[] logits(final int m) {
			final int plane = width * height;
			return Arrays.copyOfRange(logits, check(m) * plane, (m + 1) * plane);
		}

		/** Mask {@code m} at the image size ({@code logit > 0}), H x W row-major. */
		public boolean[] mask(final int m) {
			final int plane = width * height;
			final boolean[] out = new boolean[plane];
			final int offset = check(m) * plane;
			for (int i = 0; i < plane; i++) out[i] = logits[offset + i] > 0;
			return out;
		}

		/** Logits of mask {@code m} as an image (x, y). */
		public Img<FloatType> logitImage(final int m) {
			return ArrayImgs.floats(logits(m), width, height);
		}

		/**
		 * Mask {@code m} as the next call's mask prompt: its low-res logits clamped to [-32, 32], as the
		 * official predictor returns them.
		 */
		public float[] maskInput(final int m) {
			final int plane = lowResSize * lowResSize;
			final float[] out = Arrays.copyOfRange(lowResLogits, check(m) * plane, (m + 1) * plane);
			for (int i = 0; i < out.length; i++) out[i] = Math.max(-32f, Math.min(32f, out[i]));
			return out;
		}

		private int check(final int m) {
			if (m < 0 || m >= masks) throw new IndexOutOfBoundsException("mask " + m + " of " + masks);
			return m;
		}
	}

	private static final float STABILITY_DELTA = 0.05f;
	private static final float STABILITY_THRESHOLD = 0.98f;

	private final Sam2Model model;
	private final NDManager parent;
	private boolean antialias = true;
	private NDManager imageManager;
	private ImageFeatures features;
	private byte[] imageKey;
	private int height;
	private int width;
	private int encodings;

	public Sam2ImagePredictor(final Sam2Model model, final NDManager parent) {
		this.model = model;
		this.parent = parent;
	}

	/**
	 * Whether {@code Resize} antialiases when it shrinks an image (default true: torchvision 0.17 and
	 * later, as the official package requires; false reproduces torchvision 0.16 and earlier).
	 */
	public Sam2ImagePredictor antialias(final boolean enabled) {
		this.antialias = enabled;
		return this;
	}

	/**
	 * Encodes an interleaved uint8 image (H x W x channels, 1 or 3 channels) of any size.
	 *
	 * @return true when the image was encoded, false when the current encoding was reused
	 */
	public boolean setImage(final byte[] pixels, final int imageHeight, final int imageWidth, final int channels) {
		return setUnit(Sam2Transforms.toUnit(pixels, imageHeight, imageWidth, channels), channels, imageHeight, imageWidth);
	}

	/**
	 * Encodes an ImgLib2 image: (x, y) grey, or (x, y, c) with 3 RGB channels (1 channel is grey). An
	 * {@link UnsignedByteType} image is divided by 255 as in the official code; other types are mapped
	 * linearly from the image's own minimum and maximum to [0, 1].
	 *
	 * @return true when the image was encoded, false when the current encoding was reused
	 */
	public boolean setImage(final RandomAccessibleInterval<? extends RealType<?>> image) {
		final int channels = channels(image);
		if (image.getType() instanceof UnsignedByteType) return setImage(image, 0, 255);
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (final RealType<?> v : Views.flatIterable(image)) {
			final double d = v.getRealDouble();
			if (d < min) min = d;
			if (d > max) max = d;
		}
		if (!(max > min)) max = min + 1; // a constant image maps to 0
		return setUnit(unit(image, min, max), channels, (int) image.dimension(1), (int) image.dimension(0));
	}

	/**
	 * Encodes an ImgLib2 image ((x, y) grey or (x, y, c) RGB) after mapping {@code black..white}
	 * linearly to [0, 1] (clamped).
	 *
	 * @return true when the image was encoded, false when the current encoding was reused
	 */
	public boolean setImage(final RandomAccessibleInterval<? extends RealType<?>> image, final double black, final double white) {
		final int channels = channels(image);
		if (!(white > black)) throw new InvalidInputException("image range: white " + white + " must be above black " + black);
		return setUnit(unit(image, black, white), channels, (int) image.dimension(1), (int) image.dimension(0));
	}

	/**
	 * Encodes a packed RGB image (x, y), e.g. an ImageJ colour image; the alpha byte is ignored.
	 *
	 * @return true when the image was encoded, false when the current encoding was reused
	 */
	public boolean setImageArgb(final RandomAccessibleInterval<ARGBType> image) {
		if (image.numDimensions() != 2) throw new InvalidInputException("an ARGB image must be 2D (x, y), got " + image.numDimensions() + "D");
		final int w = (int) image.dimension(0), h = (int) image.dimension(1);
		final int plane = w * h;
		final float[] unit = new float[3 * plane];
		int i = 0;
		for (final ARGBType v : Views.flatIterable(image)) {
			final int argb = v.get();
			unit[i] = ARGBType.red(argb) / 255f;
			unit[plane + i] = ARGBType.green(argb) / 255f;
			unit[2 * plane + i] = ARGBType.blue(argb) / 255f;
			i++;
		}
		return setUnit(unit, 3, h, w);
	}

	/**
	 * The encoder outputs of the current image (owned by the predictor: valid until the next image
	 * or {@link #close}).
	 */
	public ImageFeatures features() {
		if (features == null) throw new IllegalStateException("call setImage first");
		return features;
	}

	/** How many images this predictor has encoded (a reused encoding does not count). */
	public int encodings() {
		return encodings;
	}

	/** Width of the current image. */
	public int imageWidth() {
		return width;
	}

	/** Height of the current image. */
	public int imageHeight() {
		return height;
	}

	/** Predicts masks for {@code prompt} on the current image. */
	public Prediction predict(final Sam2Prompt prompt, final boolean multimask) {
		if (features == null) throw new IllegalStateException("call setImage before predict");
		final int s = model.config().imageSize();
		final int low = s / 4;
		if (prompt.hasMask() && prompt.mask().length != low * low)
			throw new InvalidInputException("mask prompt: " + prompt.mask().length + " values, expected " + low + "x" + low + " (S/4)");
		final float[] coords = prompt.modelCoords(width, height, s);
		final float[] labels = prompt.modelLabels();
		final PromptEncoder prompts = model.promptEncoder();
		final int d = model.config().dModel();
		try (Engines.NoGrad noGrad = Engines.noGrad(); NDManager call = parent.newSubManager()) {
			final NDArray sparse = labels.length == 0 ? call.zeros(new Shape(1, 0, d))
				: prompts.embedPoints(call.create(coords, new Shape(1, labels.length, 2)), call.create(labels, new Shape(1, labels.length)), true);
			final NDArray dense = prompt.hasMask() ? prompts.embedMask(call.create(prompt.mask(), new Shape(1, 1, low, low)))
				: prompts.noMaskDense(call, 1);
			final NDArray pe = prompts.densePositionEncoding(call);
			final MaskDecoder.Output out = model.maskDecoder().predict(features.imageEmbedding(), pe, sparse, dense,
				features.highResS0(), features.highResS1());
			final NDList selected = out.select(multimask, true, STABILITY_DELTA, STABILITY_THRESHOLD, true);
			final float[] lowRes = selected.get(0).toType(DataType.FLOAT32, false).toFloatArray();
			final int m = (int) selected.get(0).getShape().get(1);
			final float[] iou = selected.get(1).toFloatArray();
			final float objectScore = out.objectScoreLogits.toFloatArray()[0];
			final float[] logits = Resize.bilinear(lowRes, m, low, low, height, width, false);
			return new Prediction(lowRes, iou, logits, m, objectScore, width, height, low);
		}
	}

	/**
	 * Predicts masks. {@code pointsXY} (x, y pairs in image pixels) with {@code labels} (1 positive,
	 * 0 negative) and {@code box} (x0, y0, x1, y1) may each be null; {@code maskInput} is an optional
	 * S/4 x S/4 logit prompt. The box goes first, as two points labelled 2 and 3.
	 */
	public Prediction predict(final float[] pointsXY, final int[] labels, final float[] box, final float[] maskInput,
		final boolean multimask)
	{
		return predict(Sam2Prompt.of(pointsXY, labels, box, maskInput), multimask);
	}

	@Override
	public void close() {
		if (imageManager != null) imageManager.close();
		imageManager = null;
		features = null;
		imageKey = null;
	}

	private boolean setUnit(final float[] unit, final int channels, final int imageHeight, final int imageWidth) {
		final byte[] key = contentKey(unit, channels, imageHeight, imageWidth);
		if (features != null && Arrays.equals(key, imageKey)) return false;
		final int s = model.config().imageSize();
		final float[] input = Sam2Transforms.normalizeUnit(unit, channels, imageHeight, imageWidth, s, antialias);
		close();
		imageManager = parent.newSubManager();
		try (Engines.NoGrad noGrad = Engines.noGrad()) {
			features = model.forwardImage(imageManager.create(input, new Shape(1, 3, s, s)));
		}
		imageKey = key;
		height = imageHeight;
		width = imageWidth;
		encodings++;
		return true;
	}

	/** SHA-256 of everything the encoding depends on: the [0, 1] values, their layout and the resize mode. */
	private byte[] contentKey(final float[] unit, final int channels, final int imageHeight, final int imageWidth) {
		final MessageDigest sha;
		try {
			sha = MessageDigest.getInstance("SHA-256");
		}
		catch (final NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is not available", e);
		}
		final ByteBuffer header = ByteBuffer.allocate(13);
		header.putInt(channels).putInt(imageHeight).putInt(imageWidth).put((byte) (antialias ? 1 : 0));
		sha.update(header.array());
		final ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
		for (final float v : unit) {
			if (!chunk.hasRemaining()) {
				sha.update(chunk.array(), 0, chunk.position());
				chunk.clear();
			}
			chunk.putFloat(v);
		}
		sha.update(chunk.array(), 0, chunk.position());
		return sha.digest();
	}

	private static int channels(final RandomAccessibleInterval<?> image) {
		final int n = image.numDimensions();
		if (n == 2) return 1;
		if (n == 3 && (image.dimension(2) == 1 || image.dimension(2) == 3)) return (int) image.dimension(2);
		throw new InvalidInputException("image must be (x, y) grey or (x, y, c) with 1 or 3 channels, got dimensions " +
			Arrays.toString(Intervals.dimensionsAsLongArray(image)));
	}

	/** Planar (c, y, x) values of {@code (v - black) / (white - black)}, clamped to [0, 1]; uint8 0..255 exactly as ToTensor. */
	private static float[] unit(final RandomAccessibleInterval<? extends RealType<?>> image, final double black, final double white) {
		final long size = Intervals.numElements(image);
		if (size > Integer.MAX_VALUE) throw new InvalidInputException("image has " + size + " values, too many for one SAM 2 input");
		final float[] out = new float[(int) size];
		final Cursor<? extends RealType<?>> cursor = Views.flatIterable(image).cursor();
		final boolean exactUint8 = black == 0 && white == 255;
		final double range = white - black;
		int i = 0;
		while (cursor.hasNext()) {
			final double v = cursor.next().getRealDouble();
			// float32(u8) / 255 in float, as torchvision's ToTensor; a double division can round differently
			out[i++] = exactUint8 && v == Math.rint(v) && v >= 0 && v <= 255 ? (float) v / 255f
				: (float) Math.max(0, Math.min(1, (v - black) / range));
		}
		return out;
	}
}
