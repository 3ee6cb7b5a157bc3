package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.TestData;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;

/**
 * Reads every HDF5 file of the shared ACDC set and compares shape, image range and per-class voxel
 * counts with {@code MANIFEST.tsv}, which was made with h5py. Takes a few seconds per hundred files.
 */
class AcdcManifestTest {

	/** One manifest row: numpy shape and the counts of labels 0..3. */
	private static final class Row {
		final int[] shape;
		final double imageMin, imageMax;
		final long[] classCounts;

		Row(final Map<String, String> fields) {
			shape = Arrays.stream(fields.get("shape").split("x")).mapToInt(Integer::parseInt).toArray();
			imageMin = Double.parseDouble(fields.get("image_min"));
			imageMax = Double.parseDouble(fields.get("image_max"));
			classCounts = Stream.of("n_bg", "n_RV", "n_Myo", "n_LV").mapToLong(key -> Long.parseLong(fields.get(key))).toArray();
		}
	}

	@Test
	void everyFileMatchesTheManifest() throws IOException {
		final Path root = TestData.acdc();
		final Map<String, Row> manifest = readManifest(root.resolve("MANIFEST.tsv"));
		final TreeSet<String> files;
		try (Stream<Path> walk = Files.walk(root)) {
			files = walk.filter(p -> p.toString().endsWith(".h5")).map(p -> root.relativize(p).toString().replace('\\', '/'))
				.collect(Collectors.toCollection(TreeSet::new));
		}
		assertEquals(1332, files.size(), "HDF5 files under " + root);
		assertEquals(manifest.keySet(), files, "files under " + root + " versus MANIFEST.tsv");

		final List<String> mismatches = new ArrayList<>();
		int volumes = 0;
		for (final String relative : files) {
			final Path path = root.resolve(relative);
			final Row row = manifest.get(relative);
			final MedicalImage image = Hdf5Images.readImage(path);
			final MedicalImage label = Hdf5Images.readLabel(path);
			final int[] expectedDims = reversed(row.shape);
			if (!Arrays.equals(expectedDims, image.dims()) || !Arrays.equals(expectedDims, label.dims()))
				mismatches.add(relative + ": dims " + Arrays.toString(image.dims()) + "/" + Arrays.toString(label.dims()) + ", manifest shape " +
					Arrays.toString(row.shape));
			final long[] counts = classCounts(label);
			if (!Arrays.equals(row.classCounts, counts))
				mismatches.add(relative + ": class counts " + Arrays.toString(counts) + ", manifest " + Arrays.toString(row.classCounts));
			final float[] range = range(image);
			// the manifest prints six decimals
			if (Math.abs(range[0] - row.imageMin) > 1e-6 || Math.abs(range[1] - row.imageMax) > 1e-6)
				mismatches.add(relative + ": image range " + Arrays.toString(range) + ", manifest " + row.imageMin + ".." + row.imageMax);
			if (image.numDimensions() == 3) volumes++;
		}
		assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())), mismatches.size() + " mismatches");
		assertEquals(20, volumes, "3-D volumes");
	}

	private static Map<String, Row> readManifest(final Path tsv) throws IOException {
		final List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
		final String[] header = lines.get(0).split("\t", -1);
		final Map<String, Row> rows = new TreeMap<>();
		for (final String line : lines.subList(1, lines.size())) {
			if (line.isEmpty()) continue;
			final String[] cells = line.split("\t", -1);
			final Map<String, String> fields = new TreeMap<>();
			for (int i = 0; i < header.length; i++)
				fields.put(header[i], cells[i]);
			rows.put(fields.get("path"), new Row(fields));
		}
		return rows;
	}

	private static int[] reversed(final int[] shape) {
		final int[] out = new int[shape.length];
		for (int d = 0; d < shape.length; d++)
			out[d] = shape[shape.length - 1 - d];
		return out;
	}

	@SuppressWarnings("unchecked")
	private static long[] classCounts(final MedicalImage label) {
		final byte[] values = ((ArrayImg<?, ByteArray>) label.image()).update(null).getCurrentStorageArray();
		final long[] counts = new long[4];
		for (final byte value : values)
			counts[value & 0xff]++;
		return counts;
	}

	@SuppressWarnings("unchecked")
	private static float[] range(final MedicalImage image) {
		final float[] values = ((ArrayImg<?, FloatArray>) image.image()).update(null).getCurrentStorageArray();
		float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
		for (final float value : values) {
			min = Math.min(min, value);
			max = Math.max(max, value);
		}
		return new float[] { min, max };
	}
}
