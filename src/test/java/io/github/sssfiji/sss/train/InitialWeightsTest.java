package io.github.sssfiji.sss.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.DfeNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.modelfile.TensorArchive;

class InitialWeightsTest {

	@TempDir
	Path temp;

	private static final TrainingConfig SHORT = TrainingConfig.defaults().with("crop", 32).with("batch", 2).with("validationInterval", 100)
		.with("budgetMinutes", 0);

	private static TrainingData sampleData() throws IOException {
		return TrainingData.load(Datasets.open(Path.of("sample-data"), "", ImageFiles.imageReader()), true, null);
	}

	/** A supervised U-Net trained a few iterations: a model with weights far from fresh ones. */
	private Path trainedModel() throws IOException {
		final Path run = temp.resolve("first");
		Trainer.run(SHORT.with("mode", "supervised").with("iterations", 3).with("seed", 1), sampleData(), run, false, null, null, Device.cpu());
		return run.resolve(Trainer.LAST);
	}

	/**
	 * A run whose {@code init} names a model file starts from its weights: with a learning rate of 1e-12 its
	 * one step leaves the parameters where the file had them, while the same run without {@code init} ends
	 * elsewhere. The run has DFE (mode sss) and the file none: DFE starts fresh and the log says so. The
	 * model files record the file's name and SHA-256.
	 */
	@Test
	void aRunStartsFromTheWeightsOfTheModelFileItNamesAndRecordsItsHash() throws IOException {
		final Path file = trainedModel();
		final TrainingConfig fineTune = SHORT.with("mode", "sss").with("iterations", 1).with("seed", 2).with("lr", 1e-12).with("unlabelledStart", 0);
		final ByteArrayOutputStream log = new ByteArrayOutputStream();
		Trainer.run(fineTune.with("init", file.toString()), sampleData(), temp.resolve("init"), false, null,
			new PrintStream(log, true, StandardCharsets.UTF_8), Device.cpu());
		Trainer.run(fineTune, sampleData(), temp.resolve("fresh"), false, null, null, Device.cpu());

		final Map<String, float[]> start = parameters(file), fromInit = parameters(temp.resolve("init").resolve(Trainer.LAST)),
			fresh = parameters(temp.resolve("fresh").resolve(Trainer.LAST));
		assertEquals(start.keySet(), fromInit.keySet().stream().filter(name -> !name.startsWith(DfeNetwork.PREFIX)).collect(java.util.stream.Collectors.toSet()));
		assertTrue(fromInit.keySet().stream().anyMatch(name -> name.startsWith(DfeNetwork.PREFIX)), "the run has DFE");
		assertTrue(maxDifference(start, fromInit) < 1e-6, "init: " + maxDifference(start, fromInit));
		assertTrue(maxDifference(start, fresh) > 1e-2, "fresh: " + maxDifference(start, fresh));
		final String lines = log.toString(StandardCharsets.UTF_8);
		assertTrue(lines.contains("init: weights from " + file + " (") && lines.contains("DFE fresh: the file has none"), lines);

		for (final String written : new String[] { Trainer.LAST, Trainer.BEST }) {
			final JsonObject provenance = TensorArchive.readMeta(temp.resolve("init").resolve(written)).getAsJsonObject("provenance");
			assertEquals(file.toString(), provenance.getAsJsonObject("init").get("file").getAsString());
			assertEquals(sha256(file), provenance.getAsJsonObject("init").get("sha256").getAsString());
		}
		assertFalse(TensorArchive.readMeta(temp.resolve("fresh").resolve(Trainer.LAST)).getAsJsonObject("provenance").has("init"));
	}

	/**
	 * A resumed run goes on from its checkpoint, not from the file (which it no longer needs): it ends where
	 * the same run uninterrupted ends, and its model files still record where the weights started.
	 */
	@Test
	void aResumedRunDoesNotLoadTheFileAgainButKeepsItInTheProvenance() throws IOException {
		final Path file = trainedModel();
		final TrainingConfig config = SHORT.with("mode", "supervised").with("iterations", 4).with("seed", 3).with("init", file.toString());
		Trainer.run(config, sampleData(), temp.resolve("uninterrupted"), false, null, null, Device.cpu());
		final Path run = temp.resolve("resumed");
		final int[] steps = { 0 };
		Trainer.run(config, sampleData(), run, false, new TrainingListener() {

			@Override
			public void iteration(final StepResult result) {
				steps[0]++;
			}

			@Override
			public boolean stopRequested() {
				return steps[0] >= 2;
			}
		}, null, Device.cpu());
		final Path moved = Files.move(file, temp.resolve("elsewhere.sss"));
		final ByteArrayOutputStream log = new ByteArrayOutputStream();
		assertEquals(4, Trainer.run(Trainer.savedConfig(run), sampleData(), run, true, null, new PrintStream(log, true, StandardCharsets.UTF_8),
			Device.cpu()).completedIterations());
		assertTrue(log.toString(StandardCharsets.UTF_8).contains("resumed ") && !log.toString(StandardCharsets.UTF_8).contains("init: "),
			log.toString(StandardCharsets.UTF_8));
		final double difference = maxDifference(parameters(temp.resolve("uninterrupted").resolve(Trainer.LAST)), parameters(run.resolve(Trainer.LAST)));
		assertTrue(difference < 1e-6, "resumed against uninterrupted: " + difference);
		assertEquals(sha256(moved), TensorArchive.readMeta(run.resolve(Trainer.LAST)).getAsJsonObject("provenance").getAsJsonObject("init").get("sha256")
			.getAsString());
	}

	/** A file of another backbone, another network, or no model at all is refused, naming the key, the file and the difference. */
	@Test
	void aFileWhoseNetworkIsNotTheRunsIsRefusedWithTheDifference() throws IOException {
		final Path file = trainedModel();
		final InvalidInputException backbone = assertThrows(InvalidInputException.class, () -> Trainer.run(SHORT.with("mode", "supervised")
			.with("backbone", "sam2-micro").with("iterations", 1).with("init", file.toString()), sampleData(), temp.resolve("a"), false, null, null,
			Device.cpu()));
		assertTrue(backbone.getMessage().startsWith("key 'init': " + file + " holds a unet model; this run trains backbone 'sam2-micro'"), backbone.getMessage());

		// the prompted U-Net reads prompt channels: its first convolution has more inputs
		final InvalidInputException network = assertThrows(InvalidInputException.class, () -> Trainer.run(SHORT.with("mode", "sss")
			.with("pseudoLabels", "prompted").with("iterations", 1).with("init", file.toString()), sampleData(), temp.resolve("b"), false, null, null,
			Device.cpu()));
		assertTrue(network.getMessage().startsWith("key 'init': the network in " + file + " is not the one this run builds: ") &&
			network.getMessage().contains("in this run") && network.getMessage().contains("in the file"), network.getMessage());

		final Path notAModel = Files.writeString(temp.resolve("notes.sss"), "not a model");
		final InvalidInputException garbage = assertThrows(InvalidInputException.class, () -> Trainer.run(SHORT.with("mode", "supervised")
			.with("iterations", 1).with("init", notAModel.toString()), sampleData(), temp.resolve("c"), false, null, null, Device.cpu()));
		assertTrue(garbage.getMessage().startsWith("key 'init': ") && garbage.getMessage().contains(notAModel.toString()), garbage.getMessage());

		final InvalidInputException missing = assertThrows(InvalidInputException.class, () -> Trainer.run(SHORT.with("mode", "supervised")
			.with("iterations", 1).with("init", temp.resolve("none.sss").toString()), sampleData(), temp.resolve("d"), false, null, null, Device.cpu()));
		assertTrue(missing.getMessage().startsWith("key 'init': " + temp.resolve("none.sss") + " is not a file"), missing.getMessage());
		for (final String refused : new String[] { "a", "b", "c", "d" })
			assertFalse(Files.exists(temp.resolve(refused)), "a refused run leaves no folder: " + refused);
	}

	@Test
	void differencesNameEachKeyWithBothValues() {
		final JsonObject run = new JsonObject(), file = new JsonObject();
		run.addProperty("classes", 4);
		file.addProperty("classes", 3);
		run.addProperty("depth", 5);
		file.addProperty("depth", 5);
		file.addProperty("promptChannels", 6);
		assertEquals("classes: 4 in this run, 3 in the file; promptChannels: null in this run, 6 in the file", InitialWeights.differences(run, file));
		assertEquals("", InitialWeights.differences(run, run.deepCopy()));
	}

	private static Map<String, float[]> parameters(final Path model) throws IOException {
		final Map<String, float[]> out = new LinkedHashMap<>();
		try (SssModel loaded = SssModel.load(model, Device.cpu())) {
			for (final Map.Entry<String, NDArray> e : loaded.network().state().parameters().entrySet())
				out.put(e.getKey(), e.getValue().toFloatArray());
		}
		return out;
	}

	/** The largest absolute difference over the tensors both maps hold. */
	private static double maxDifference(final Map<String, float[]> a, final Map<String, float[]> b) {
		double max = 0;
		for (final Map.Entry<String, float[]> e : a.entrySet()) {
			final float[] other = b.get(e.getKey());
			if (other == null) continue;
			for (int i = 0; i < other.length; i++)
				max = Math.max(max, Math.abs(e.getValue()[i] - other[i]));
		}
		return max;
	}

	private static String sha256(final Path file) throws IOException {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		}
		catch (final NoSuchAlgorithmException e) {
			throw new AssertionError(e);
		}
	}
}
