package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.cli.MainTest.Run;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;

/**
 * {@code predict --shard i/n} on the four sample test volumes, as the tasks of a job array run it: the
 * shards written into one folder are the files of one run without shards.
 */
class ShardedPredictCliTest {

	private static final Path IMAGES = Path.of("sample-data", "test", "images");

	@TempDir
	Path dir;

	/** An untrained 4-class U-Net for 32 x 32 slices: predictions are deterministic, which is all this needs. */
	private Path model() throws IOException {
		return model(dir);
	}

	static Path model(final Path folder) throws IOException {
		final Path file = folder.resolve("m.sss");
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(UNetConfig.acdc(), root, 3)) {
			SssModel.write(file, net, List.of("background", "RV", "Myo", "LV"), 32, null);
		}
		return file;
	}

	private static List<String> names(final Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	private static Run predict(final Path model, final Path out, final String... more) {
		final String[] args = Stream.concat(Stream.of("predict", "--model", model.toString(), "--out", out.toString()), Stream.of(more))
			.toArray(String[]::new);
		return new Run(args);
	}

	@Test
	void shardsOneAndTwoOfTwoWriteTheSameFilesAsOneRunWithoutShards() throws IOException {
		final Path model = model(), whole = dir.resolve("whole"), sharded = dir.resolve("sharded");
		final Run all = predict(model, whole, "--input", IMAGES.toString());
		assertEquals(0, all.code, all.out + all.err);
		assertTrue(all.out.contains("4 done, 0 skipped (label map exists), 0 failed"), all.out);
		assertFalse(all.out.contains("shard"), all.out);

		// synthetic_014 is in shard 1 of 2, synthetic_015 to 017 in shard 2 (ShardTest pins the rule)
		final Run first = predict(model, sharded, "--input", IMAGES.toString(), "--shard", "1/2");
		assertEquals(0, first.code, first.out + first.err);
		assertTrue(first.out.contains("shard 1/2: 1 of 4 inputs") && first.out.contains("1 done, 0 skipped (label map exists), 0 failed"), first.out);
		assertEquals(List.of("synthetic_014.nii.gz"), names(sharded));
		// the second task reads the inputs from a list in another order: the same shard
		final Path list = Files.writeString(dir.resolve("list.txt"), Stream.of("017", "014", "016", "015")
			.map(k -> IMAGES.toAbsolutePath().resolve("synthetic_" + k + ".nii.gz") + "\n").reduce("", String::concat));
		final Run second = predict(model, sharded, "--list", list.toString(), "--shard", "2/2");
		assertEquals(0, second.code, second.out + second.err);
		assertTrue(second.out.contains("shard 2/2: 3 of 4 inputs") && second.out.contains("3 done, 0 skipped (label map exists), 0 failed"), second.out);

		assertEquals(names(whole), names(sharded));
		for (final String name : names(whole))
			assertArrayEquals(ImageFiles.readLabels(whole.resolve(name)).toLabelArray(), ImageFiles.readLabels(sharded.resolve(name)).toLabelArray(), name);

		// a rerun of a shard skips what it did
		final Run again = predict(model, sharded, "--input", IMAGES.toString(), "--shard", "2/2");
		assertTrue(again.out.contains("0 done, 3 skipped (label map exists), 0 failed"), again.out);
	}

	@Test
	void aShardThatHoldsNoInputExitsWithZeroWithoutReadingTheModelAndWritesNothing() throws IOException {
		// in 4 shards the four test volumes fall into shards 1 and 2
		final Path out = dir.resolve("out");
		final Run empty = predict(Path.of("pom.xml"), out, "--input", IMAGES.toString(), "--shard", "3/4");
		assertEquals(0, empty.code, empty.out + empty.err);
		assertTrue(empty.out.contains("shard 3/4: 0 of 4 inputs") && empty.out.contains("nothing to do"), empty.out);
		assertFalse(Files.exists(out));
	}
}
