package io.github.sssfiji.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Dataset.Role;
import io.github.sssfiji.io.MedicalImageReader;

/**
 * An nnU-Net raw dataset (the BHSD layout): {@code dataset.json}, {@code imagesTr/CASE_0000.nii.gz}
 * with {@code labelsTr/CASE.nii.gz}, optional {@code imagesTs/} (with optional {@code labelsTs/}),
 * and, an SSS addition, optional {@code imagesUnlabeled/} for unlabelled cases.
 * <p>
 * {@code dataset.json} may be nnU-Net v2 ({@code labels} name to value, {@code channel_names},
 * {@code file_ending}) or v1 ({@code labels} value to name, {@code modality}). Only single-channel
 * datasets are supported. The split is empty (all training cases labelled, no validation) or a fold
 * number of a {@code splits_final.json} in the root (nnU-Net's list of {@code train}/{@code val}
 * case lists).
 * </p>
 */
public final class NnUnetLayout implements DatasetLayout {

	static final String DATASET_JSON = "dataset.json";
	static final String IMAGES_TR = "imagesTr";
	static final String LABELS_TR = "labelsTr";
	static final String IMAGES_TS = "imagesTs";
	static final String LABELS_TS = "labelsTs";
	static final List<String> IMAGES_UNLABELLED = List.of("imagesUnlabeled", "imagesUnlabelled");
	static final String SPLITS_FINAL = "splits_final.json";

	/** {@code CASE_0000}: case name and four-digit channel. */
	private static final Pattern CHANNEL_SUFFIX = Pattern.compile("(.+)_(\\d{4})");

	@Override
	public String name() {
		return "nnunet";
	}

	@Override
	public String description() {
		return "dataset.json, imagesTr/CASE_0000.nii.gz, labelsTr/CASE.nii.gz, optional imagesTs/, labelsTs/, imagesUnlabeled/ (split: empty or a fold of splits_final.json)";
	}

	@Override
	public boolean matches(final Path root, final String split) {
		return Files.isRegularFile(root.resolve(DATASET_JSON)) && Files.isDirectory(root.resolve(IMAGES_TR));
	}

	@Override
	public Dataset open(final Path root, final String split, final MedicalImageReader reader) throws IOException {
		Objects.requireNonNull(reader, "reader");
		final DatasetJson json = DatasetJson.read(root.resolve(DATASET_JSON));
		if (json.classNames == null) throw new InvalidInputException(json.file + ": no 'labels' entry naming the classes");
		if (json.channelNames.size() > 1)
			throw new InvalidInputException(json.file + ": " + json.channelNames.size() + " channels " + json.channelNames +
				"; SSS handles single-channel images only");

		final Path imagesTr = root.resolve(IMAGES_TR);
		final Path labelsTr = root.resolve(LABELS_TR);
		if (!Files.isDirectory(labelsTr)) throw new InvalidInputException(labelsTr + ": folder not found; it must hold the labels of " + imagesTr);
		final List<DatasetItem> training = ImageFolder.matched(channelZeroFiles(imagesTr, reader, json.fileEnding), imagesTr,
			ImageFolder.list(labelsTr, reader, json.fileEnding), labelsTr, reader);
		if (json.numTraining >= 0 && json.numTraining != training.size())
			throw new InvalidInputException(json.file + ": numTraining is " + json.numTraining + " but " + imagesTr + " and " + labelsTr + " hold " +
				training.size() + " case(s)");

		final Map<Role, List<DatasetItem>> items = new EnumMap<>(Role.class);
		if (split == null || split.isBlank()) items.put(Role.LABELLED, training);
		else splitByFold(root, split.trim(), training, items);

		final Path imagesTs = root.resolve(IMAGES_TS);
		if (ImageFolder.hasFiles(imagesTs)) {
			final Map<String, Path> testImages = channelZeroFiles(imagesTs, reader, json.fileEnding);
			final Path labelsTs = root.resolve(LABELS_TS);
			items.put(Role.TEST, Files.isDirectory(labelsTs) ?
				ImageFolder.matched(testImages, imagesTs, ImageFolder.list(labelsTs, reader, json.fileEnding), labelsTs, reader) :
				ImageFolder.unlabelled(testImages, reader));
		}
		for (final String folder : IMAGES_UNLABELLED)
			if (Files.isDirectory(root.resolve(folder))) {
				if (items.containsKey(Role.UNLABELLED))
					throw new InvalidInputException(root + ": both " + IMAGES_UNLABELLED.get(0) + "/ and " + IMAGES_UNLABELLED.get(1) + "/ exist; keep one");
				items.put(Role.UNLABELLED, ImageFolder.unlabelled(unlabelledFiles(root.resolve(folder), reader, json.fileEnding), reader));
			}
		final String name = root.getFileName() == null ? root.toString() : root.getFileName().toString();
		return new Dataset(name, root, name(), json.classNames, json.channelNames.isEmpty() ? null : json.channelNames.get(0), items);
	}

	/** Case name to file of channel 0; any other channel or a name without the suffix is an error. */
	private static Map<String, Path> channelZeroFiles(final Path folder, final MedicalImageReader reader, final String fileEnding)
		throws IOException
	{
		final Map<String, Path> cases = new TreeMap<>();
		final List<String> problems = new ArrayList<>();
		for (final Map.Entry<String, Path> file : ImageFolder.list(folder, reader, fileEnding).entrySet()) {
			final Matcher matcher = CHANNEL_SUFFIX.matcher(file.getKey());
			if (!matcher.matches()) problems.add(file.getValue().getFileName() + " (expected CASE_0000 naming)");
			else if (!matcher.group(2).equals("0000"))
				problems.add(file.getValue().getFileName() + " (channel " + Integer.parseInt(matcher.group(2)) + "; SSS handles single-channel images only)");
			else cases.put(matcher.group(1), file.getValue());
		}
		if (!problems.isEmpty()) throw new InvalidInputException(folder + ": " + ImageFolder.listed(problems));
		return cases;
	}

	/** Unlabelled images may or may not carry the {@code _0000} channel suffix. */
	private static Map<String, Path> unlabelledFiles(final Path folder, final MedicalImageReader reader, final String fileEnding)
		throws IOException
	{
		final Map<String, Path> cases = new TreeMap<>();
		for (final Map.Entry<String, Path> file : ImageFolder.list(folder, reader, fileEnding).entrySet()) {
			final String name = file.getKey().endsWith("_0000") ? file.getKey().substring(0, file.getKey().length() - 5) : file.getKey();
			final Path previous = cases.put(name, file.getValue());
			if (previous != null)
				throw new InvalidInputException(folder + ": " + file.getValue().getFileName() + " and " + previous.getFileName() + " are the same case");
		}
		return cases;
	}

	/** Labelled and validation items from fold {@code split} of {@code splits_final.json}. */
	private static void splitByFold(final Path root, final String split, final List<DatasetItem> training, final Map<Role, List<DatasetItem>> items)
		throws IOException
	{
		final Path splitsFile = root.resolve(SPLITS_FINAL);
		if (!split.matches("\\d+"))
			throw new InvalidInputException("split '" + split + "': an nnU-Net dataset takes a fold number of " + splitsFile + " or no split");
		if (!Files.isRegularFile(splitsFile)) throw new InvalidInputException("split " + split + ": " + splitsFile + " not found");
		final JsonArray folds;
		try (Reader reader = Files.newBufferedReader(splitsFile, StandardCharsets.UTF_8)) {
			final JsonElement parsed = JsonParser.parseReader(reader);
			if (!parsed.isJsonArray()) throw new InvalidInputException(splitsFile + ": expected a list of {\"train\": [...], \"val\": [...]} folds");
			folds = parsed.getAsJsonArray();
		}
		catch (final JsonParseException e) {
			throw new InvalidInputException(splitsFile + ": not valid JSON (" + e.getMessage() + ")", e);
		}
		final int fold = Integer.parseInt(split);
		if (fold >= folds.size()) throw new InvalidInputException("split " + split + ": " + splitsFile + " has " + folds.size() + " fold(s), 0.." + (folds.size() - 1));
		if (!folds.get(fold).isJsonObject()) throw new InvalidInputException(splitsFile + ": fold " + fold + " is not an object");
		final Map<String, DatasetItem> byCase = new TreeMap<>();
		for (final DatasetItem item : training)
			byCase.put(item.id(), item);
		final JsonObject chosen = folds.get(fold).getAsJsonObject();
		items.put(Role.LABELLED, casesOf(chosen, "train", byCase, splitsFile, fold));
		items.put(Role.VALIDATION, casesOf(chosen, "val", byCase, splitsFile, fold));
	}

	private static List<DatasetItem> casesOf(final JsonObject fold, final String key, final Map<String, DatasetItem> byCase, final Path file,
		final int foldIndex)
	{
		final JsonElement list = fold.get(key);
		if (list == null || !list.isJsonArray()) throw new InvalidInputException(file + ": fold " + foldIndex + " has no '" + key + "' list");
		final Set<String> cases = new LinkedHashSet<>();
		final List<String> unknown = new ArrayList<>();
		for (final JsonElement element : list.getAsJsonArray()) {
			if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString())
				throw new InvalidInputException(file + ": fold " + foldIndex + " '" + key + "' holds " + element + ", not a case name");
			final String name = element.getAsString();
			if (!byCase.containsKey(name)) unknown.add(name);
			else cases.add(name);
		}
		if (!unknown.isEmpty())
			throw new InvalidInputException(file + ": fold " + foldIndex + " '" + key + "' names case(s) not in " + IMAGES_TR + ": " + ImageFolder.listed(unknown));
		final List<DatasetItem> items = new ArrayList<>();
		for (final String name : cases)
			items.add(byCase.get(name));
		return items;
	}
}
