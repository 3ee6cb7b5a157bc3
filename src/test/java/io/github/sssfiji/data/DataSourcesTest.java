package io.github.sssfiji.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

import io.github.sssfiji.TestData;

class DataSourcesTest {

	/**
	 * ACDC's HDF5 files hold image and label: each is hashed once, under its path in the dataset; a
	 * supervised run reads no unlabelled items, so none are listed.
	 */
	@Test
	void eachFileOfASplitIsHashedOnceUnderItsPathInTheDataset() throws IOException {
		final Path acdc = TestData.acdc();
		final Dataset dataset = Datasets.open(acdc, "3", null);
		final DataSources sources = DataSources.of(dataset, false, false);
		assertEquals("dataset", sources.kind());
		assertEquals(acdc.toAbsolutePath().normalize().toString(), sources.origin().get("root"));
		assertEquals("acdc-unimatch", sources.origin().get("layout"));
		final DataSources.Part labelled = sources.part(Dataset.Role.LABELLED), validation = sources.part(Dataset.Role.VALIDATION);
		assertEquals(dataset.labelled().stream().map(DatasetItem::id).toList(), labelled.items());
		assertEquals(dataset.validation().stream().map(DatasetItem::id).toList(), validation.items());
		assertEquals(labelled.items().size(), labelled.files().size());
		assertEquals(validation.items().size(), validation.files().size());
		assertEquals(List.of(), sources.part(Dataset.Role.UNLABELLED).items());
		assertEquals(labelled.files().size() + validation.files().size(), sources.fileCount());
		final Map.Entry<String, String> first = labelled.files().entrySet().iterator().next();
		assertTrue(first.getKey().startsWith("data/slices/") && first.getKey().endsWith(".h5"), first.getKey());
		assertEquals(sha256(acdc.resolve(first.getKey())), first.getValue());

		final JsonObject json = sources.toJson();
		assertEquals(0, json.getAsJsonObject("unlabelled").getAsJsonArray("items").size());
		assertEquals(first.getValue(), json.getAsJsonObject("labelled").getAsJsonObject("files").get(first.getKey()).getAsString());
	}

	@Test
	void anImageIsRecordedByNameWithoutFiles() {
		final JsonObject json = DataSources.ofImage("stack.tif", "stack-labels.tif", List.of("stack.tif#0"), List.of("stack.tif#1")).toJson();
		assertEquals("image", json.get("kind").getAsString());
		assertEquals("stack.tif", json.get("image").getAsString());
		assertEquals("stack-labels.tif", json.get("labels").getAsString());
		assertEquals("stack.tif#1", json.getAsJsonObject("unlabelled").getAsJsonArray("items").get(0).getAsString());
		assertTrue(!json.getAsJsonObject("labelled").has("files"));
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
