package io.github.sssfiji.sss.modelfile;

import static io.github.sssfiji.FuzzProperty.damagedZip;
import static io.github.sssfiji.FuzzProperty.entries;
import static io.github.sssfiji.FuzzProperty.readsOrRefuses;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetNetwork;

/**
 * Jazzer fuzz test of the {@code .sss} model-file reader ({@link TensorArchive} and
 * {@link SssModel#load}): any file gives a model or an {@link io.github.sssfiji.InvalidInputException}
 * naming it. Inputs are raw bytes, or the entries of a valid model of a tiny U-Net (meta.json,
 * tensors.json, the tensors) dropped, replaced or damaged and zipped again.
 */
class SssModelFuzzTest {

	private static Path dir;
	private static Map<String, byte[]> valid;
	private static NDManager manager;

	@BeforeAll
	static void validModel() throws IOException {
		dir = Files.createTempDirectory("sss-fuzz-model");
		manager = Engines.pytorch().newBaseManager();
		final Path file = dir.resolve("valid.sss");
		try (NDManager m = manager.newSubManager(); UNetNetwork net = UNetNetwork.create(new UNetConfig(1, 2, new int[] { 1, 1, 1, 1, 2 },
			new double[5]), m, 0)) {
			SssModel.write(file, net, List.of("background", "cell"), 16, null);
		}
		valid = entries(Files.readAllBytes(file));
		Files.delete(file);
	}

	@AfterAll
	static void clean() throws IOException {
		manager.close();
		Files.deleteIfExists(dir.resolve("fuzz.sss"));
		Files.deleteIfExists(dir);
	}

	@FuzzTest(maxDuration = "3m")
	void theModelReaderLoadsOrRefusesAnyFile(final FuzzedDataProvider data) throws Throwable {
		final byte[] bytes = data.consumeBoolean() ? data.consumeRemainingAsBytes() : damagedZip(valid, data);
		final Path file = Files.write(dir.resolve("fuzz.sss"), bytes);
		readsOrRefuses(file, () -> {
			try (NDManager m = manager.newSubManager(); SssModel model = SssModel.load(file, m)) {
				model.classNames();
			}
		});
	}
}
