package io.github.sssfiji.model.sam2.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Enumeration;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.Npy;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.modeling.ImageFeatures;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;
import io.github.sssfiji.model.sam2.parity.ParityCheck;
import io.github.sssfiji.nn.ModelState;

/**
 * SSS model files: bit-exact save/load round trip, import of the official fixture checkpoint (.pt and
 * .npz) giving the fixture's image embedding, a weights entry that DJL's own safetensors reader
 * decodes identically, and clear errors for corrupt or mismatched files.
 */
class Sam2ModelFilesTest {

	@Test
	void saveAndLoadAreBitExact(@TempDir final Path tmp) throws IOException {
		final Sam2Config config = Sam2Config.parse(TestData.sam2Parity().resolve("config.json"));
		final Path file = tmp.resolve("micro" + Sam2ModelFiles.EXTENSION);
		final Sam2ModelProvenance provenance = new Sam2ModelProvenance("random.pt", "ab".repeat(32), Instant.parse("2026-11-25T10:00:00Z"),
			"0.0.1");
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model model = new Sam2Model(new ModelState(root), config); // random values
			Sam2ModelFiles.save(model, provenance, file);
			try (Stream<Path> files = Files.list(tmp)) {
				assertEquals(1, files.count(), "a temporary file was left behind");
			}
			final Sam2Model loaded = Sam2ModelFiles.load(file, root);
			final Map<String, NDArray> a = model.tensors(), b = loaded.tensors();
			assertEquals(a.keySet(), b.keySet());
			for (final String key : a.keySet())
				assertArrayEquals(bits(a.get(key)), bits(b.get(key)), key);
			assertEquals(config.toJson(), loaded.config().toJson());
			assertEquals(provenance.writtenBy(Sam2ModelFiles.sssVersion()), Sam2ModelFiles.readProvenance(file));
			assertNotEquals("unknown", Sam2ModelFiles.sssVersion());

			// DJL's own safetensors reader sees the same tensors
			try (ZipFile zip = new ZipFile(file.toFile()); InputStream in = zip.getInputStream(zip.getEntry("weights.safetensors"))) {
				final NDList decoded = NDList.decode(root, in);
				assertEquals(a.size(), decoded.size());
				for (final NDArray t : decoded)
					assertArrayEquals(bits(a.get(t.getName())), bits(t), t.getName());
			}
		}
	}

	@Test
	void importedFixtureCheckpointGivesTheOfficialEmbedding(@TempDir final Path tmp) throws IOException {
		final Path dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final Path fromPt = tmp.resolve("pt.sam2.zip"), fromNpz = tmp.resolve("npz.sam2.zip");
		final Sam2ModelProvenance provenance = Sam2ModelFiles.importCheckpoint(dir.resolve("weights.pt"), config, fromPt);
		Sam2ModelFiles.importCheckpoint(dir.resolve("weights.npz"), config, fromNpz);
		assertEquals("weights.pt", provenance.sourceFile());
		assertEquals(sha256(dir.resolve("weights.pt")), provenance.sourceSha256());
		assertEquals(provenance, Sam2ModelFiles.readProvenance(fromPt));
		assertTrue(Math.abs(provenance.imported().getEpochSecond() - Instant.now().getEpochSecond()) < 600);
		assertEquals(entrySha(fromPt, "weights.safetensors"), entrySha(fromNpz, "weights.safetensors"), ".pt and .npz import differ");
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final Sam2Model loaded = Sam2ModelFiles.load(fromPt, root);
			final Sam2Model direct = new Sam2Model(new ModelState(root), config);
			direct.loadWeights(TorchCheckpoint.readStateDict(dir.resolve("weights.pt")));
			final Map<String, NDArray> a = direct.tensors(), b = loaded.tensors();
			for (final String key : a.keySet())
				assertArrayEquals(bits(a.get(key)), bits(b.get(key)), key);
			try (NDManager step = root.newSubManager()) {
				final NDArray image = Npy.read(dir.resolve("image/image_norm.npy")).toNDArray(step);
				final ImageFeatures f = loaded.forwardImage(image);
				final ParityCheck.Result r = ParityCheck.compare("encoder/image_embed.npy", f.imageEmbedding(),
					Npy.read(dir.resolve("encoder/image_embed.npy")), 1e-4, 1e-3);
				assertTrue(r.pass(), r.toString());
			}
		}
	}

	@Test
	void corruptAndMismatchedFilesGiveClearErrors(@TempDir final Path tmp) throws IOException {
		final Path dir = TestData.sam2Parity();
		final Sam2Config config = Sam2Config.parse(dir.resolve("config.json"));
		final Path good = tmp.resolve("good.sam2.zip");
		Sam2ModelFiles.importCheckpoint(dir.resolve("weights.npz"), config, good);
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			// a checkpoint of another architecture is refused before anything is written
			final Path none = tmp.resolve("none.sam2.zip");
			InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> Sam2ModelFiles.importCheckpoint(dir.resolve("weights.pt"), Sam2Config.hieraTiny(), none));
			assertTrue(e.getMessage().contains("weights.pt") && e.getMessage().contains("does not fit the model"), e.getMessage());
			assertFalse(Files.exists(none));
			e = assertThrows(InvalidInputException.class, () -> Sam2ModelFiles.importCheckpoint(dir.resolve("config.json"), config, none));
			assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("unknown file type"), e.getMessage());

			final byte[] bytes = Files.readAllBytes(good);
			final Path truncated = tmp.resolve("truncated.sam2.zip");
			Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
			expect(root, truncated, "truncated.sam2.zip", "not a readable zip archive");

			final Path flipped = tmp.resolve("flipped.sam2.zip");
			final byte[] copy = bytes.clone();
			copy[bytes.length / 2] ^= 0x10; // inside the stored weights
			Files.write(flipped, copy);
			expect(root, flipped, "flipped.sam2.zip", "weights.safetensors is corrupt (SHA-256");

			final Path text = tmp.resolve("text.sam2.zip");
			Files.writeString(text, "not a model");
			expect(root, text, "text.sam2.zip", "not a readable zip archive");

			final Path otherConfig = tmp.resolve("other-config.sam2.zip");
			rewrite(good, otherConfig, "config.json", new com.google.gson.Gson().toJson(Sam2Config.hieraTiny().toJson()));
			expect(root, otherConfig, "other-config.sam2.zip", "does not fit the model");

			final Path newer = tmp.resolve("newer.sam2.zip");
			rewrite(good, newer, "sss-sam2.json", "{\"format\": \"sss-sam2\", \"format_version\": 99, \"weights_sha256\": \"00\"}");
			expect(root, newer, "newer.sam2.zip", "format version 99 (written by a newer SSS)");

			final Path missing = tmp.resolve("missing.sam2.zip");
			rewrite(good, missing, "weights.safetensors", null);
			expect(root, missing, "missing.sam2.zip", "has no entry 'weights.safetensors'");
		}
	}

	private static void expect(final NDManager root, final Path file, final String name, final String problem) {
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sam2ModelFiles.load(file, root));
		assertTrue(e.getMessage().contains(name) && e.getMessage().contains(problem), e.getMessage());
	}

	/** Copies a zip, replacing one entry's text (or dropping it when {@code text} is null). */
	private static void rewrite(final Path from, final Path to, final String entry, final String text) throws IOException {
		try (ZipFile zip = new ZipFile(from.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
			final Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				final ZipEntry e = entries.nextElement();
				if (e.getName().equals(entry) && text == null) continue;
				out.putNextEntry(new ZipEntry(e.getName()));
				if (e.getName().equals(entry)) out.write(text.getBytes(StandardCharsets.UTF_8));
				else try (InputStream in = zip.getInputStream(e)) {
					in.transferTo(out);
				}
				out.closeEntry();
			}
		}
	}

	private static int[] bits(final NDArray a) {
		final float[] f = a.toFloatArray();
		final int[] out = new int[f.length];
		for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
		return out;
	}

	private static String entrySha(final Path zipFile, final String entry) throws IOException {
		try (ZipFile zip = new ZipFile(zipFile.toFile()); InputStream in = zip.getInputStream(zip.getEntry(entry))) {
			return hex(digest(in));
		}
	}

	private static String sha256(final Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return hex(digest(in));
		}
	}

	private static byte[] digest(final InputStream in) throws IOException {
		try {
			final MessageDigest sha = MessageDigest.getInstance("SHA-256");
			final byte[] buf = new byte[1 << 16];
			for (int n; (n = in.read(buf)) > 0;) sha.update(buf, 0, n);
			return sha.digest();
		}
		catch (final java.security.NoSuchAlgorithmException e) {
			throw new AssertionError(e);
		}
	}

	private static String hex(final byte[] b) {
		final StringBuilder sb = new StringBuilder();
		for (final byte x : b) sb.append(String.format("%02x", x & 0xff));
		return sb.toString();
	}
}
