package io.github.sssfiji.model.sam2.files;

import static io.github.sssfiji.FuzzProperty.damage;
import static io.github.sssfiji.FuzzProperty.readsOrRefuses;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.github.sssfiji.io.torch.TensorData;
import io.github.sssfiji.io.torch.TensorType;

/**
 * Jazzer fuzz test of the safetensors reader ({@link Safetensors#read}, the weights of a
 * {@code .sam2.zip}): any bytes give tensors or an {@link io.github.sssfiji.InvalidInputException}
 * naming the source. Inputs are raw bytes, a valid file of our writer damaged, or a valid 8-byte
 * length followed by a fuzzed JSON header and data.
 */
class SafetensorsFuzzTest {

	private static final Path SOURCE = Path.of("fuzz.sam2.zip:weights.safetensors");

	@FuzzTest(maxDuration = "3m")
	void theReaderReadsOrRefusesAnyBytes(final FuzzedDataProvider data) throws Throwable {
		final byte[] bytes = switch (data.consumeInt(0, 2)) {
			case 0 -> data.consumeRemainingAsBytes();
			case 1 -> damage(valid(data), data, 6);
			default -> withHeader(data.consumeString(400), data.consumeRemainingAsBytes());
		};
		final long length = data.consumeBoolean() ? bytes.length : -1;
		readsOrRefuses(SOURCE, () -> Safetensors.read(new ByteArrayInputStream(bytes), length, SOURCE.toString()));
	}

	private static byte[] valid(final FuzzedDataProvider data) throws IOException {
		final Map<String, TensorData> tensors = new LinkedHashMap<>();
		final int n = data.consumeInt(1, 3);
		for (int i = 0; i < n; i++) {
			final int size = data.consumeInt(0, 4);
			tensors.put("t" + i, TensorData.ofFloats(TensorType.FLOAT32, new long[] { size }, new float[size]));
		}
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		Safetensors.write(out, tensors, Map.of("format", "pt"));
		return out.toByteArray();
	}

	private static byte[] withHeader(final String header, final byte[] rest) {
		final byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
		final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + rest.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		return b.putLong(h.length).put(h).put(rest).array();
	}
}
