package io.github.sssfiji.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.ImageFiles;

/**
 * A segmentation dataset for semi-supervised training: labelled, unlabelled, validation and test
 * items, and the names of the classes (index = label value, index 0 = background).
 * <p>
 * Opening a dataset ({@link Datasets#open}) checks its structure (files present, matched, sets not
 * empty) without reading images; {@link #validate()} reads every file and checks the content.
 * </p>
 * <p>
 * The roles are disjoint per file and per subject (patient, {@link #subject}): the training items
 * (labelled and unlabelled, which may share a subject: the unlabelled frames of a labelled patient
 * are fair semi-supervised data), the validation items and the test items have no subject in common,
 * so that no patient's other frame or slice leaks into model selection or the held-out test.
 * </p>
 */
public final class Dataset {

	/** The part of a dataset an item belongs to. */
	public enum Role {
		/** Images with ground truth used for training. */
		LABELLED("labelled"),
		/** Images without ground truth used for training. */
		UNLABELLED("unlabelled"),
		/** Images with ground truth for model selection during training. */
		VALIDATION("validation"),
		/** Images for the final evaluation (ground truth optional). */
		TEST("test");

		private final String word;

		Role(final String word) {
			this.word = word;
		}

		/** Lower-case name for messages, e.g. {@code labelled}. */
		public String word() {
			return word;
		}
	}

	/** ACDC's {@code patient001_frame01...}: the patient is the name before {@code _frame}. */
	private static final Pattern FRAME = Pattern.compile("(.+?)_frame\\d+.*");

	/** The slices of one volume, {@code <volume>_slice_<k>} (ACDC's 2-D HDF5 files and any slice folder). */
	private static final Pattern SLICE = Pattern.compile("(.+)_slice_\\d+");

	/** The rule of {@link #subject}, for messages. */
	static final String SUBJECT_RULE = "the subject is the file's base name up to '_frame' (ACDC: patient001_frame01 is patient001), else up to " +
		"'_slice_', else the whole base name (the nnU-Net case id)";

	private final String name;
	private final Path root;
	private final String layout;
	private final List<String> classNames;
	private final String modality;
	private final Map<Role, List<DatasetItem>> items;

	/**
	 * @param name short name for messages, e.g. the root folder's name
	 * @param root folder the dataset was opened from
	 * @param layout name of the layout that found it, e.g. {@code nnunet}
	 * @param classNames at least two names; index 0 is the background
	 * @param modality imaging modality or channel name (e.g. {@code CT}), or null when unknown
	 * @param items items per role; missing roles are empty
	 * @throws InvalidInputException when there are no labelled items, when a labelled or validation
	 *           item lacks ground truth, when an unlabelled item has some, or when an image file is in
	 *           two places
	 */
	public Dataset(final String name, final Path root, final String layout, final List<String> classNames, final String modality,
		final Map<Role, List<DatasetItem>> items)
	{
		this.name = Objects.requireNonNull(name, "name");
		this.root = Objects.requireNonNull(root, "root");
		this.layout = Objects.requireNonNull(layout, "layout");
		this.classNames = List.copyOf(classNames);
		this.modality = modality;
		final Map<Role, List<DatasetItem>> copy = new EnumMap<>(Role.class);
		for (final Role role : Role.values())
			copy.put(role, List.copyOf(items.getOrDefault(role, List.of())));
		this.items = copy;
		checkStructure();
	}

	private void checkStructure() {
		if (classNames.size() < 2)
			throw new InvalidInputException(root + ": the dataset declares " + classNames.size() + " class(es) " + classNames +
				"; it needs the background and at least one class");
		if (new HashSet<>(classNames).size() != classNames.size())
			throw new InvalidInputException(root + ": class names repeat: " + classNames);
		if (items.get(Role.LABELLED).isEmpty()) throw new InvalidInputException(root + ": the dataset has no labelled items");
		for (final Role role : EnumSet.of(Role.LABELLED, Role.VALIDATION))
			for (final DatasetItem item : items.get(role))
				if (!item.isLabelled()) throw new InvalidInputException(item.imagePath() + ": " + role.word() + " item " + item.id() + " has no label");
		for (final DatasetItem item : items.get(Role.UNLABELLED))
			if (item.isLabelled())
				throw new InvalidInputException(item.imagePath() + ": unlabelled item " + item.id() + " has a label " + item.labelPath().get());
		final Map<Path, Role> roleOfImage = new HashMap<>();
		for (final Role role : Role.values()) {
			final Set<String> ids = new HashSet<>();
			for (final DatasetItem item : items.get(role)) {
				if (!ids.add(item.id())) throw new InvalidInputException(root + ": " + role.word() + " item " + item.id() + " appears twice");
				final Role previous = roleOfImage.put(item.imagePath().toAbsolutePath().normalize(), role);
				if (previous != null)
					throw new InvalidInputException(item.imagePath() + ": the image is listed as " + previous.word() + " and as " + role.word() +
						(previous == role ? " twice" : "; the sets must be disjoint"));
			}
		}
		checkSubjectsDisjoint();
	}

	/** The group a role's subjects belong to: labelled and unlabelled are both training. */
	private static Role group(final Role role) {
		return role == Role.UNLABELLED ? Role.LABELLED : role;
	}

	private void checkSubjectsDisjoint() {
		final Map<String, DatasetItem> firstItem = new HashMap<>();
		final Map<String, Role> firstRole = new HashMap<>();
		for (final Role role : Role.values())
			for (final DatasetItem item : items.get(role)) {
				final String subject = subject(item);
				final Role previous = firstRole.putIfAbsent(subject, role);
				if (previous == null) firstItem.put(subject, item);
				else if (group(previous) != group(role))
					throw new InvalidInputException(item.imagePath() + ": " + role.word() + " item " + item.id() + " is subject '" + subject + "', as is " +
						previous.word() + " item " + firstItem.get(subject).imagePath() + "; the roles must not share a subject (" + SUBJECT_RULE + ")");
			}
	}

	/**
	 * The subject (patient) of an item, as the role check compares them: the base name of the item's
	 * id (a file name, a path or an nnU-Net case id) up to {@code _frame} followed by digits (ACDC:
	 * {@code patient001_frame01} and {@code patient001_frame12_slice_3} are {@code patient001}),
	 * else up to {@code _slice_} followed by digits (the slices of one volume), else the whole
	 * base name (an nnU-Net case id, a plain folder's file: one subject per file).
	 */
	public static String subject(final DatasetItem item) {
		return subject(item.id());
	}

	/** The subject of an item id or file name, by the rule of {@link #subject(DatasetItem)}. */
	public static String subject(final String id) {
		final String last = id.substring(Math.max(id.lastIndexOf('/'), id.lastIndexOf('\\')) + 1);
		final String base = last.isEmpty() ? last : ImageFiles.baseName(Path.of(last));
		Matcher m = FRAME.matcher(base);
		if (m.matches()) return m.group(1);
		m = SLICE.matcher(base);
		return m.matches() ? m.group(1) : base;
	}

	public String name() {
		return name;
	}

	public Path root() {
		return root;
	}

	/** Name of the layout that found the dataset, e.g. {@code acdc-unimatch}, {@code folders}, {@code nnunet}. */
	public String layout() {
		return layout;
	}

	/** Class names by label value; index 0 is the background. */
	public List<String> classNames() {
		return classNames;
	}

	/** Number of classes, background included. */
	public int numClasses() {
		return classNames.size();
	}

	/** Imaging modality or channel name as the dataset states it, e.g. {@code CT}. */
	public Optional<String> modality() {
		return Optional.ofNullable(modality);
	}

	public List<DatasetItem> items(final Role role) {
		return items.get(role);
	}

	public List<DatasetItem> labelled() {
		return items.get(Role.LABELLED);
	}

	public List<DatasetItem> unlabelled() {
		return items.get(Role.UNLABELLED);
	}

	public List<DatasetItem> validation() {
		return items.get(Role.VALIDATION);
	}

	public List<DatasetItem> test() {
		return items.get(Role.TEST);
	}

	/** Reads every file of every role; see {@link #validate(Collection)}. */
	public void validate() {
		validate(EnumSet.allOf(Role.class));
	}

	/**
	 * Reads every file of the given roles and checks that each image is 2-D or 3-D as its item
	 * declares, that each label has its image's shape and holds only the declared class values.
	 *
	 * @throws InvalidInputException listing every problem found, each with its file(s)
	 */
	public void validate(final Collection<Role> roles) {
		final List<DatasetItem> toCheck = new ArrayList<>();
		for (final Role role : Role.values())
			if (roles.contains(role)) toCheck.addAll(items.get(role));
		DatasetValidator.check(this, toCheck);
	}

	/** One line: name, layout, classes and item counts. */
	public String summary() {
		return name + " (" + layout + "): classes " + classNames + ", " + labelled().size() + " labelled, " + unlabelled().size() +
			" unlabelled, " + validation().size() + " validation, " + test().size() + " test";
	}

	@Override
	public String toString() {
		return "Dataset[" + summary() + "]";
	}
}
