package io.github.sssfiji.sss.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.sssfiji.TestData;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.io.ImageFiles;

/**
 * A small UniMatch-style ACDC split for fast tests: the 16 slices of patient099 frame 01 (split 3's
 * first labelled volume), the 8 slices of patient100 frame 01 unlabelled, and one validation
 * volume, listed by absolute path in a temporary {@code labeled.txt}, {@code unlabeled.txt} and
 * {@code val.txt}.
 */
final class TinyAcdc {

	private TinyAcdc() {}

	static TrainingData load(final Path folder, final boolean withUnlabelled) throws IOException {
		final Path root = TestData.acdc();
		final Path slices = root.resolve("data").resolve("slices");
		final List<String> labelled = new ArrayList<>(), unlabelled = new ArrayList<>();
		for (int k = 1; k <= 16; k++)
			labelled.add(slices.resolve("patient099_frame01_slice_" + k + ".h5").toString());
		for (int k = 1; k <= 8; k++)
			unlabelled.add(slices.resolve("patient100_frame01_slice_" + k + ".h5").toString());
		Files.write(folder.resolve("labeled.txt"), labelled);
		Files.write(folder.resolve("unlabeled.txt"), unlabelled);
		Files.write(folder.resolve("val.txt"), List.of(root.resolve("data").resolve("patient028_frame01.h5").toString()));
		return TrainingData.load(Datasets.open(root, folder.resolve("labeled.txt").toString(), ImageFiles.imageReader()), withUnlabelled, null);
	}
}
