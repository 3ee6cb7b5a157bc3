package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.InvalidInputException;

/**
 * Labelled runs of {@link BatchSampler}: each run is consecutive slices of one volume in order,
 * with one spatial augmentation for the whole run.
 */
class BatchSamplerTest {

	private static final int SIDE = 40, CROP = 32;

	/**
	 * A volume of {@code slices} slices: the same shape on every slice (volume 0 a square, volume 1 a
	 * disc), the class cycling 1, 2, 3 with the slice number, and the image the shape's indicator
	 * times (1 + slice) plus a ramp, so that an identical warp keeps the images proportional.
	 */
	private static List<TrainingSlice> volume(final int v, final int slices) {
		final List<TrainingSlice> out = new ArrayList<>();
		for (int z = 0; z < slices; z++) {
			final float[] image = new float[SIDE * SIDE];
			final int[] labels = new int[SIDE * SIDE];
			for (int y = 0; y < SIDE; y++)
				for (int x = 0; x < SIDE; x++) {
					final boolean inside = v == 0 ? x >= 8 && x < 28 && y >= 10 && y < 30 : (x - 20) * (x - 20) + (y - 18) * (y - 18) < 100;
					labels[y * SIDE + x] = inside ? 1 + z % 3 : 0;
					image[y * SIDE + x] = (1 + z) * ((inside ? 0.5f : 0.1f) + 0.01f * x);
				}
			out.add(new TrainingSlice("v" + v + "#" + z, image, labels, SIDE, SIDE));
		}
		return out;
	}

	private static TrainingData data() {
		return TrainingData.ofRuns(List.of("bg", "a", "b", "c"), List.of(volume(0, 7), volume(1, 5), volume(0, 2)), List.of(), List.of());
	}

	private static TrainingConfig config(final int length) {
		return TrainingConfig.defaults().with("backbone", "sam2-micro").with("mode", "supervised").with("crop", CROP).with("batch", 6)
			.with("sequenceLength", length).with("minScale", 0.7).with("maxScale", 1.3);
	}

	@Test
	void runsAreConsecutiveSlicesOfOneVolumeWithOneGeometry() {
		final BatchSampler sampler = new BatchSampler(config(3), data());
		final int area = CROP * CROP;
		int differentGeometries = 0;
		for (long iteration = 0; iteration < 20; iteration++) {
			final Batch batch = sampler.sample(iteration, false);
			assertEquals(6, batch.labelledCount());
			for (int run = 0; run < 2; run++) {
				final int first = 3 * run * area;
				int firstClass = 0;
				for (int i = 0; i < area && firstClass == 0; i++)
					firstClass = batch.labels()[first + i];
				assertTrue(firstClass > 0, "the shape is in the crop");
				for (int t = 1; t < 3; t++) {
					final int at = first + t * area;
					final int expected = (firstClass + t - 1) % 3 + 1;
					double ratio = Double.NaN;
					for (int i = 0; i < area; i++) {
						// same geometry: the shape on the same pixels, class of the next slice
						assertEquals(batch.labels()[first + i] == 0 ? 0 : expected, batch.labels()[at + i], "iteration " + iteration + ", pixel " + i);
						final float a = batch.labelledImages()[first + i], b = batch.labelledImages()[at + i];
						if (a > 1e-3f) {
							if (Double.isNaN(ratio)) ratio = b / a;
							assertEquals(ratio, b / a, 1e-4 * ratio, "images of a run are warped alike");
						}
					}
				}
			}
			if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(batch.labels(), 0, area), java.util.Arrays.copyOfRange(batch.labels(), 3 * area,
				4 * area)))
				differentGeometries++;
		}
		assertTrue(differentGeometries > 10, "runs are drawn and augmented independently");
	}

	@Test
	void tooLongSequencesAreRefusedNamingTheKey() {
		final InvalidInputException e = assertThrows(InvalidInputException.class,
			() -> new BatchSampler(TrainingConfig.defaults().with("backbone", "sam2-micro").with("batch", 8).with("sequenceLength", 8), data()));
		assertTrue(e.getMessage().contains("'sequenceLength' = 8") && e.getMessage().contains("longest run of labelled slices has 7"), e.getMessage());
	}

	@Test
	void oneSliceRunsDrawFromAllLabelledSlices() {
		final BatchSampler sampler = new BatchSampler(config(1), data());
		assertEquals(6, sampler.sample(0, false).labelledCount());
	}
}
