package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import io.github.sssfiji.util.Sha256;

/**
 * Where the data of a training run came from, for the provenance of its model files: the items of
 * each role by name (the split lists) and, for data read from files, each file with its SHA-256.
 * The files are hashed once, when the sources are made ({@link #of(Dataset, boolean)}); an image
 * and its label in one file (ACDC's HDF5) are hashed once.
 *
 * @param kind {@code dataset} (files of a {@link Dataset}), {@code image} (an image and its label
 *          map, e.g. open in Fiji: names only) or {@code memory} (slices made by code)
 * @param origin what the kind names, in order: for a dataset its {@code name}, {@code root} and
 *          {@code layout}; for an image its {@code image} and {@code labels} names
 * @param roles the labelled, unlabelled, validation and (for a run with a held-out test) test parts; a
 *          role without items is absent
 */
public record DataSources(String kind, Map<String, String> origin, Map<Dataset.Role, Part> roles) {

	/**
	 * The items of one role.
	 *
	 * @param items item names (a dataset's item ids, or slice names), in the order read
	 * @param files each file read for the role, by path relative to the dataset root ({@code /}
	 *          separated; absolute when outside it), with its SHA-256 in lower-case hex; empty when
	 *          the data did not come from files
	 */
	public record Part(List<String> items, Map<String, String> files) {

		public Part {
			items = List.copyOf(items);
			files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
		}
	}

	public DataSources {
		Objects.requireNonNull(kind, "kind");
		origin = Collections.unmodifiableMap(new LinkedHashMap<>(origin));
		final Map<Dataset.Role, Part> copy = new EnumMap<>(Dataset.Role.class);
		copy.putAll(roles);
		roles = Collections.unmodifiableMap(copy);
	}

	/**
	 * The labelled and validation items of {@code dataset}, its unlabelled items when
	 * {@code withUnlabelled} (a supervised run reads none) and its test items when {@code withTest}
	 * (a run evaluated on the held-out test after training), each file hashed.
	 */
	public static DataSources of(final Dataset dataset, final boolean withUnlabelled, final boolean withTest) throws IOException {
		final Path root = dataset.root().toAbsolutePath().normalize();
		final Map<String, String> origin = new LinkedHashMap<>();
		origin.put("name", dataset.name());
		origin.put("root", root.toString());
		origin.put("layout", dataset.layout());
		final Map<Dataset.Role, Part> roles = new EnumMap<>(Dataset.Role.class);
		for (final Dataset.Role role : Dataset.Role.values()) {
			if (role == Dataset.Role.UNLABELLED && !withUnlabelled || role == Dataset.Role.TEST && !withTest || dataset.items(role).isEmpty()) continue;
			final List<String> items = new ArrayList<>();
			final Map<String, String> files = new LinkedHashMap<>();
			for (final DatasetItem item : dataset.items(role)) {
				items.add(item.id());
				hash(root, item.imagePath(), files);
				if (item.labelPath().isPresent()) hash(root, item.labelPath().get(), files);
			}
			roles.put(role, new Part(items, files));
		}
		return new DataSources("dataset", origin, roles);
	}

	/** An image and its label map (e.g. open in Fiji), by name, with the names of its labelled and unlabelled slices. */
	public static DataSources ofImage(final String image, final String labels, final List<String> labelledSlices, final List<String> unlabelledSlices) {
		final Map<String, String> origin = new LinkedHashMap<>();
		origin.put("image", image);
		origin.put("labels", labels);
		return new DataSources("image", origin, slices(labelledSlices, unlabelledSlices, List.of()));
	}

	/** Slices made by code, by name. */
	public static DataSources inMemory(final List<String> labelled, final List<String> unlabelled, final List<String> validation) {
		return new DataSources("memory", Map.of(), slices(labelled, unlabelled, validation));
	}

	private static Map<Dataset.Role, Part> slices(final List<String> labelled, final List<String> unlabelled, final List<String> validation) {
		final Map<Dataset.Role, Part> roles = new EnumMap<>(Dataset.Role.class);
		if (!labelled.isEmpty()) roles.put(Dataset.Role.LABELLED, new Part(labelled, Map.of()));
		if (!unlabelled.isEmpty()) roles.put(Dataset.Role.UNLABELLED, new Part(unlabelled, Map.of()));
		if (!validation.isEmpty()) roles.put(Dataset.Role.VALIDATION, new Part(validation, Map.of()));
		return roles;
	}

	private static void hash(final Path root, final Path file, final Map<String, String> into) throws IOException {
		final Path absolute = file.toAbsolutePath().normalize();
		final String name = (absolute.startsWith(root) ? root.relativize(absolute) : absolute).toString().replace('\\', '/');
		if (!into.containsKey(name)) into.put(name, Sha256.file(absolute));
	}

	/** The part of {@code role}: empty when the run has no items of it. */
	public Part part(final Dataset.Role role) {
		return roles.getOrDefault(role, new Part(List.of(), Map.of()));
	}

	/** The number of files hashed, over all roles. */
	public int fileCount() {
		return roles.values().stream().mapToInt(p -> p.files().size()).sum();
	}

	/**
	 * As JSON: {@code kind}, the origin's entries, then per role ({@code labelled}, {@code unlabelled},
	 * {@code validation}, each present, and {@code test} when the run has one) {@code items} and, for
	 * files, {@code files} (path: SHA-256).
	 */
	public JsonObject toJson() {
		final JsonObject json = new JsonObject();
		json.addProperty("kind", kind);
		origin.forEach(json::addProperty);
		for (final Dataset.Role role : Dataset.Role.values()) {
			// a run without a held-out test has no test entry (as model files written before it existed)
			if (role == Dataset.Role.TEST && !roles.containsKey(role)) continue;
			final Part part = part(role);
			final JsonObject entry = new JsonObject();
			final JsonArray items = new JsonArray();
			part.items().forEach(items::add);
			entry.add("items", items);
			if (!part.files().isEmpty()) {
				final JsonObject files = new JsonObject();
				part.files().forEach(files::addProperty);
				entry.add("files", files);
			}
			json.add(role.word(), entry);
		}
		return json;
	}
}
