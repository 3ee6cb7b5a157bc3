package io.github.sssfiji.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;

/**
 * The synthetic sample dataset that ships with SSS: {@link SyntheticCardiac} cases split into
 * labelled training cases, unlabelled training cases and test cases, the three roles of
 * semi-supervised training. Case indices run on across the roles, so every case differs.
 * <p>
 * This class builds the cases in memory; writing them as NIfTI files under {@code sample-data/}
 * belongs to the NIfTI writer. Every case carries its label: a writer leaves it out for unlabelled
 * cases, and test labels serve the evaluation.
 * </p>
 */
public final class SampleDataGenerator {

	/** Seed of the dataset that ships with SSS. */
	public static final long DEFAULT_SEED = 20260101L;
	public static final int DEFAULT_LABELLED = 4;
	public static final int DEFAULT_UNLABELLED = 8;
	public static final int DEFAULT_TEST = 4;

	/** What a case is for. */
	public enum Role {
		LABELLED, UNLABELLED, TEST;

		/** Lower-case name, e.g. for a folder: {@code labelled}, {@code unlabelled}, {@code test}. */
		public String folderName() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** One case of the dataset: its name (that of the image), role, image and label. */
	public record SampleCase(String name, Role role, MedicalImage image, MedicalImage label) {}

	private SampleDataGenerator() {
		// static utility
	}

	/** The shipped dataset: {@link #DEFAULT_SEED} with the default counts. */
	public static List<SampleCase> defaultCases() {
		return cases(DEFAULT_SEED, DEFAULT_LABELLED, DEFAULT_UNLABELLED, DEFAULT_TEST);
	}

	/**
	 * {@code labelled} labelled cases, then {@code unlabelled} unlabelled ones, then {@code test} test
	 * cases, case indices 0, 1, 2, ... in that order.
	 *
	 * @throws InvalidInputException when a count is negative
	 */
	public static List<SampleCase> cases(final long seed, final int labelled, final int unlabelled, final int test) {
		requireCount("labelled", labelled);
		requireCount("unlabelled", unlabelled);
		requireCount("test", test);
		final List<SampleCase> cases = new ArrayList<>(labelled + unlabelled + test);
		int index = 0;
		for (final Role role : Role.values()) {
			final int count = role == Role.LABELLED ? labelled : role == Role.UNLABELLED ? unlabelled : test;
			for (int i = 0; i < count; i++) {
				final SyntheticCardiac.Case generated = SyntheticCardiac.generate(seed, index++);
				cases.add(new SampleCase(generated.image().name(), role, generated.image(), generated.label()));
			}
		}
		return cases;
	}

	private static void requireCount(final String parameter, final int count) {
		if (count < 0) throw new InvalidInputException("number of " + parameter + " sample cases is " + count + "; it must be 0 or more");
	}
}
