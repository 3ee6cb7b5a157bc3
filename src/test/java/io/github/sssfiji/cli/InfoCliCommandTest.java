package io.github.sssfiji.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.github.sssfiji.TestData;
import io.github.sssfiji.cli.MainTest.Run;

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
