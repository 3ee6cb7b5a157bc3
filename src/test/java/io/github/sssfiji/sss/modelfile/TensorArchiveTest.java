package io.github.sssfiji.sss.modelfile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;

class TensorArchiveTest {

	/** A state file of an older layout reads into today's names through aliases, value for value. */
	@Test
	void aliasesReadTensorsWrittenUnderAnotherPrefix(@TempDir final Path folder) throws IOException {
		final Path file = folder.resolve("old.state");
		try (NDManager m = Engines.pytorch().newBaseManager()) {
			final Map<String, NDArray> written = new LinkedHashMap<>();
			written.put("level0.out.weight", m.create(new float[] { 1, 2, 3, 4 }, new Shape(2, 2)));
			try (OutputStream out = Files.newOutputStream(file)) {
				new TensorArchive.Writer(new JsonObject()).add("dfe/", written).writeTo(out);
			}
			final TensorArchive archive = TensorArchive.read(file);
			assertTrue(archive.has("dfe/"));
			assertFalse(archive.has("student/"));
			final Map<String, NDArray> target = Map.of("dfe.level0.out.weight", m.zeros(new Shape(2, 2)));
			assertThrows(InvalidInputException.class, () -> archive.load("student/", target, file.toString()));
			archive.alias("dfe/", "student/dfe.");
			archive.load("student/", target, file.toString());
			assertArrayEquals(new float[] { 1, 2, 3, 4 }, target.get("dfe.level0.out.weight").toFloatArray());
			// the old name still reads
			final Map<String, NDArray> old = Map.of("level0.out.weight", m.zeros(new Shape(2, 2)));
			archive.load("dfe/", old, file.toString());
			assertArrayEquals(new float[] { 1, 2, 3, 4 }, old.get("level0.out.weight").toFloatArray());
		}
	}
}
