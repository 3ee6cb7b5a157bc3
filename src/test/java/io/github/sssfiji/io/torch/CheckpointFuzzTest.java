package io.github.sssfiji.io.torch;

import static io.github.sssfiji.FuzzProperty.damage;
import static io.github.sssfiji.FuzzProperty.damagedZip;
import static io.github.sssfiji.FuzzProperty.readsOrRefuses;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz tests of checkpoint import: the whitelist unpickler behind {@link TorchCheckpoint}
 * and the {@link Npz} reader. Any file gives a state dict (or pickled object) or an
 * {@link io.github.sssfiji.InvalidInputException} naming the file. The pickle is raw fuzz bytes, a
 * valid state dict of two tensors damaged, or a valid prefix followed by fuzz opcodes; it travels in
 * a torch.save-style zip whose entries may be damaged as well.
 */
class CheckpointFuzzTest {

	private static Path dir;

	@BeforeAll
	static void folder() throws IOException {
		dir = Files.createTempDirectory("sss-fuzz-checkpoint");
	}

	@AfterAll
	static void clean() throws IOException {
		for (final String name : new String[] { "fuzz.pt", "fuzz.npz" })
			Files.deleteIfExists(dir.resolve(name));
		Files.deleteIfExists(dir);
	}

	@FuzzTest(maxDuration = "3m")
	void theUnpicklerReadsOrRefusesAnyCheckpoint(final FuzzedDataProvider data) throws Throwable {
		final byte[] pickle = switch (data.consumeInt(0, 2)) {
			case 0 -> data.consumeBytes(data.consumeInt(0, 2048));
			case 1 -> damage(stateDict(), data, 6);
			default -> {
				final byte[] head = new PickleBytes().proto().emptyDict().mark().string("w").bytes();
				final byte[] tail = data.consumeBytes(data.consumeInt(0, 1024));
				final byte[] both = java.util.Arrays.copyOf(head, head.length + tail.length);
				System.arraycopy(tail, 0, both, head.length, tail.length);
				yield both;
			}
		};
		final Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("archive/data.pkl", pickle);
		entries.put("archive/data/0", new byte[4 * data.consumeInt(0, 8)]);
		entries.put("archive/byteorder", (data.consumeBoolean() ? "little" : "big").getBytes(StandardCharsets.US_ASCII));
		entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
		final Path file = Files.write(dir.resolve("fuzz.pt"), data.consumeBoolean() ? damagedZip(entries, data) : zip(entries));
		final boolean stateDict = data.consumeBoolean();
		readsOrRefuses(file, () -> {
			if (stateDict) TorchCheckpoint.readStateDict(file);
			else TorchCheckpoint.read(file);
		});
	}

	@FuzzTest(maxDuration = "3m")
	void theNpzReaderReadsOrRefusesAnyArchive(final FuzzedDataProvider data) throws Throwable {
		final Map<String, byte[]> entries = new LinkedHashMap<>();
		final String header = "{'descr': '" + data.pickValue(new String[] { "<f4", ">f4", "<f8", "<i8", "|u1", "<f2", "|b1" }) +
			"', 'fortran_order': " + (data.consumeBoolean() ? "True" : "False") + ", 'shape': (" + data.consumeInt(0, 3) + ", 2), }";
		entries.put("w.npy", npy(data.consumeBoolean() ? header : data.consumeString(200), data.consumeBytes(64)));
		final Path file = Files.write(dir.resolve("fuzz.npz"), data.consumeBoolean() ? data.consumeRemainingAsBytes() : damagedZip(entries, data));
		readsOrRefuses(file, () -> Npz.read(file));
	}

	/** A valid pickle: {'w': FloatStorage tensor of 2, 'v': of 2 x 1}, both on storage "0". */
	private static byte[] stateDict() {
		return new PickleBytes().proto().emptyDict().mark()
			.string("w").tensor("FloatStorage", "0", 4, 0, new int[] { 2 }, new int[] { 1 })
			.string("v").tensor("FloatStorage", "0", 4, 2, new int[] { 2, 1 }, new int[] { 1, 1 })
			.setItems().stop().bytes();
	}

	private static byte[] npy(final String header, final byte[] data) {
		final StringBuilder h = new StringBuilder(header);
		while ((10 + h.length() + 1) % 64 != 0)
			h.append(' ');
		h.append('\n');
		final byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
		final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + hb.length + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) hb.length).put(hb).put(data);
		return b.array();
	}

	private static byte[] zip(final Map<String, byte[]> entries) throws IOException {
		final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
			for (final Map.Entry<String, byte[]> e : entries.entrySet()) {
				zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
				zip.write(e.getValue());
				zip.closeEntry();
			}
		}
		return bytes.toByteArray();
	}
}
