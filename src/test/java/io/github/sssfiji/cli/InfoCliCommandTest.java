package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.sssfiji.TestData;
import io.github.sssfiji.cli.MainTest.Run;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;

/** {@code info} against nibabel's values and the ACDC manifest. */
class InfoCliCommandTest {

	private static final Path NIFTI = Path.of("src/test/resources/io/github/sssfiji/io/nifti");

	@Test
	void describesNiftiFilesAsNibabelDoes() throws IOException {
		final Properties expected = new Properties();
		try (InputStream in = Files.newInputStream(NIFTI.resolve("expected.properties"))) {
			expected.load(in);
		}
		for (final String name : List.of("int16_scaled.nii.gz", "uint8_2d.nii", "nifti2_int16_4d.nii.gz", "bigendian_int16_scaled.nii")) {
			final Run run = new Run("info", NIFTI.resolve(name).toString());
			assertEquals(0, run.code, run.err);
			final JsonObject json = JsonParser.parseString(run.out).getAsJsonObject();
			assertEquals("nifti-" + expected.getProperty(name + ".version"), json.get("format").getAsString(), name);
			assertEquals(expected.getProperty(name + ".datatype"), json.get("datatype").getAsString(), name);
			assertEquals(expected.getProperty(name + ".shape"), join(json.getAsJsonArray("dims")), name);
			final double[] spacing = parse(expected.getProperty(name + ".spacing"));
			final JsonArray got = json.getAsJsonArray("spacing");
			for (int d = 0; d < spacing.length; d++)
				assertEquals(spacing[d], got.get(d).getAsDouble(), 1e-6, name);
			for (final String key : List.of("min", "max", "sum"))
				assertEquals(Double.parseDouble(expected.getProperty(name + "." + key)), json.get(key).getAsDouble(),
					1e-9 * Math.max(1, Math.abs(json.get(key).getAsDouble())), name + " " + key);
		}
	}

	@Test
	void countsLabelsOfAnAcdcVolumeAsTheManifestDoes() throws IOException {
		final Path file = TestData.acdc().resolve("data/patient002_frame01.h5");
		// MANIFEST.tsv: 10x256x232, bg 566068, RV 5052, Myo 8583, LV 14217
		final String row = Files.readAllLines(TestData.acdc().resolve("MANIFEST.tsv")).stream()
			.filter(l -> l.startsWith("data/patient002_frame01.h5\t")).findFirst().orElseThrow();
		final String[] cells = row.split("\t");
		final Run run = new Run("info", file.toString());
		assertEquals(0, run.code, run.err);
		final JsonObject json = JsonParser.parseString(run.out).getAsJsonObject();
		assertEquals("hdf5", json.get("format").getAsString());
		assertEquals("float32", json.get("datatype").getAsString());
		assertEquals("232 256 10", join(json.getAsJsonArray("dims")));
		assertFalse(json.has("label_counts"), "a float MRI image is no label map");
		final JsonObject label = json.getAsJsonObject("label");
		assertEquals("uint8", label.get("datatype").getAsString());
		final JsonObject counts = label.getAsJsonObject("label_counts");
		for (int c = 0; c < 4; c++)
			assertEquals(Long.parseLong(cells[9 + c]), counts.get(Integer.toString(c)).getAsLong(), "class " + c);
		assertEquals(0.0, json.get("min").getAsDouble());
		assertEquals(1.0, json.get("max").getAsDouble());
	}

	/** {@code info} of a trained model: its meta.json, with the provenance of the run that wrote it, test slot included. */
	@Test
	void infoPrintsTheProvenanceOfATrainedModel(@TempDir final Path dir) throws IOException {
		final Path run = dir.resolve("run");
		final Run trained = new Run("train", "--data", "sample-data", "--split", "", "--mode", "supervised", "--iterations", "2", "--crop", "32",
			"--batch", "2", "--validation-interval", "2", "--seed", "5", "--out", run.toString());
		assertEquals(0, trained.code, trained.err + trained.out);
		assertTrue(trained.out.contains("12 files hashed in"), trained.out);

		final Run info = new Run("info", run.resolve("best.sss").toString());
		assertEquals(0, info.code, info.err);
		final JsonObject json = JsonParser.parseString(info.out).getAsJsonObject();
		assertEquals(List.of("format", "version", "backbone", "classNames", "inputSize"), List.copyOf(json.keySet()).subList(0, 5));
		assertEquals("sss-model", json.get("format").getAsString());
		assertEquals("unet", json.get("backbone").getAsString());
		assertEquals(32, json.get("inputSize").getAsInt());
		assertEquals("[\"background\",\"RV\",\"Myo\",\"LV\"]", json.get("classNames").toString());
		assertTrue(json.has("architecture") && json.getAsJsonObject("training").get("seed").getAsLong() == 5, info.out);
		final JsonObject provenance = json.getAsJsonObject("provenance");
		assertEquals(5, provenance.get("seed").getAsLong());
		assertEquals("cpu()", provenance.get("device").getAsString());
		assertTrue(info.out.contains("\"test\": null"), "the held-out slot is printed: " + info.out);
		final JsonObject labelled = provenance.getAsJsonObject("data").getAsJsonObject("labelled");
		assertEquals(sha256(Path.of("sample-data/images/synthetic_002.nii.gz")),
			labelled.getAsJsonObject("files").get("images/synthetic_002.nii.gz").getAsString());
		assertEquals("synthetic_000", labelled.getAsJsonArray("items").get(0).getAsString());
		assertEquals(0, provenance.getAsJsonObject("data").getAsJsonObject("unlabelled").getAsJsonArray("items").size(), "supervised: none read");
		final JsonObject validation = provenance.getAsJsonObject("validation");
		assertEquals(2, validation.getAsJsonObject("last").get("iteration").getAsLong());
		assertEquals(json.get("validationDice"), validation.getAsJsonObject("best").get("dice"));

		// the training state describes itself too
		final Run state = new Run("info", run.resolve("last.state").toString());
		assertEquals(0, state.code, state.err);
		assertEquals("sss-training-state", JsonParser.parseString(state.out).getAsJsonObject().get("format").getAsString());
	}

	/** {@code info} of a SAM 2 model file: its sss-sam2.json (provenance of the import) and configuration. */
	@Test
	void infoDescribesASam2ModelFile(@TempDir final Path dir) throws IOException {
		final Path fixture = TestData.sam2Parity(), model = dir.resolve("micro.sam2.zip");
		Sam2ModelFiles.importCheckpoint(fixture.resolve("weights.npz"), Sam2Config.parse(fixture.resolve("config.json")), model);
		final Run info = new Run("info", model.toString());
		assertEquals(0, info.code, info.err);
		final JsonObject json = JsonParser.parseString(info.out).getAsJsonObject();
		assertEquals("sss-sam2", json.get("format").getAsString());
		assertEquals(sha256(fixture.resolve("weights.npz")), json.getAsJsonObject("provenance").get("source_sha256").getAsString());
		assertTrue(json.has("config") && json.has("weights_sha256"), info.out);
	}

	private static String sha256(final Path file) throws IOException {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
		}
		catch (final NoSuchAlgorithmException e) {
			throw new AssertionError(e);
		}
	}

	@Test
	void badInputIsAOneLineUsageError() {
		final Run missing = new Run("info", "/no/such.nii.gz");
		assertEquals(2, missing.code);
		assertEquals("error: info: FILE: /no/such.nii.gz does not exist", missing.err.strip());
		final Run corrupt = new Run("info", NIFTI.resolve("unsupported_int64.nii").toString());
		assertEquals(2, corrupt.code);
		assertTrue(corrupt.err.contains("unsupported_int64.nii") && corrupt.err.contains("int64"), corrupt.err);
		assertEquals(1, corrupt.err.strip().lines().count(), corrupt.err);
		final Run unknown = new Run("info", NIFTI.resolve("uint8_2d.nii").toString(), "--verbose");
		assertEquals(2, unknown.code);
		assertEquals("error: info: unknown option --verbose", unknown.err.strip());
	}

	private static String join(final JsonArray array) {
		final StringBuilder sb = new StringBuilder();
		array.forEach(e -> sb.append(sb.length() == 0 ? "" : " ").append(e.getAsLong()));
		return sb.toString();
	}

	private static double[] parse(final String values) {
		return Arrays.stream(values.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
	}
}
