package io.github.sssfiji.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiDatatype;
import io.github.sssfiji.io.NiftiWriter;
import net.imglib2.img.array.ArrayImgs;

/**
 * The synthetic sample dataset that ships with SSS: {@link SyntheticCardiac} cases split into
 * labelled training cases, unlabelled training cases, validation cases and test cases. Case indices
 * run on across the roles, so every case differs.
 * <p>
 * {@link #write} stores them in the plain-folder layout ({@link FolderLayout}) as NIfTI: images as
 * uint8 0..255 (MR images have arbitrary units and SSS normalises each volume, and 8 bits keep the
 * committed files small), labels as uint8, with {@code classes.txt}. Run
 * {@code java -cp target/sss-app.jar io.github.sssfiji.data.SampleDataGenerator sample-data} to
 * regenerate the committed {@code sample-data/}.
 * </p>
 */
public final class SampleDataGenerator {

	/** Seed of the dataset that ships with SSS. */
	public static final long DEFAULT_SEED = 20260101L;
	public static final int DEFAULT_LABELLED = 4;
	public static final int DEFAULT_UNLABELLED = 8;
	public static final int DEFAULT_VALIDATION = 2;
	public static final int DEFAULT_TEST = 4;

	/** Class names of the synthetic hearts, in label order (ACDC's convention). */
	public static final List<String> CLASS_NAMES = List.of("background", "RV", "Myo", "LV");

	/** What a case is for, and where it goes in the folder layout. */
	public enum Role {
		LABELLED("images", "labels"), UNLABELLED("unlabeled", null), VALIDATION("val/images", "val/labels"), TEST("test/images", "test/labels");

		private final String imageFolder, labelFolder;

		Role(final String imageFolder, final String labelFolder) {
			this.imageFolder = imageFolder;
			this.labelFolder = labelFolder;
		}

		/** Folder of the images, relative to the dataset root. */
		public String imageFolder() {
			return imageFolder;
		}

		/** Folder of the labels relative to the dataset root, or null when the role ships none. */
		public String labelFolder() {
			return labelFolder;
		}
	}

	/** One case of the dataset: its name (that of the image), role, image and label. */
	public record SampleCase(String name, Role role, MedicalImage image, MedicalImage label) {}

	private SampleDataGenerator() {
		// static utility
	}

	/** Writes the shipped dataset to the folder given as the first argument (default {@code sample-data}). */
	public static void main(final String[] args) throws IOException {
		final Path root = Paths.get(args.length > 0 ? args[0] : "sample-data");
		write(defaultCases(), root);
		System.out.println("wrote " + defaultCases().size() + " synthetic cases to " + root.toAbsolutePath());
	}

	/** The shipped dataset: {@link #DEFAULT_SEED} with the default counts. */
	public static List<SampleCase> defaultCases() {
		return cases(DEFAULT_SEED, DEFAULT_LABELLED, DEFAULT_UNLABELLED, DEFAULT_VALIDATION, DEFAULT_TEST);
	}

	/**
	 * {@code labelled} labelled cases, then {@code unlabelled}, {@code validation} and {@code test}
	 * cases, case indices 0, 1, 2, ... in that order.
	 *
	 * @throws InvalidInputException when a count is negative
	 */
	public static List<SampleCase> cases(final long seed, final int labelled, final int unlabelled, final int validation, final int test) {
		final int[] counts = { labelled, unlabelled, validation, test };
		final List<SampleCase> cases = new ArrayList<>();
		int index = 0;
		for (final Role role : Role.values()) {
			final int count = counts[role.ordinal()];
			if (count < 0)
				throw new InvalidInputException("number of " + role.name().toLowerCase() + " sample cases is " + count + "; it must be 0 or more");
			for (int i = 0; i < count; i++) {
				final SyntheticCardiac.Case generated = SyntheticCardiac.generate(seed, index++);
				cases.add(new SampleCase(generated.image().name(), role, generated.image(), generated.label()));
			}
		}
		return cases;
	}

	/**
	 * Writes {@code cases} under {@code root} in the plain-folder layout: {@code NAME.nii.gz} in the
	 * role's image folder and, except for unlabelled cases, in its label folder; plus
	 * {@code classes.txt}.
	 */
	public static void write(final List<SampleCase> cases, final Path root) throws IOException {
		final NiftiWriter uint8 = NiftiWriter.create().withDatatype(NiftiDatatype.UINT8);
		for (final SampleCase c : cases) {
			final Path images = Files.createDirectories(root.resolve(c.role().imageFolder()));
			uint8.write(quantised(c.image()), images.resolve(c.name() + ".nii.gz"));
			if (c.role().labelFolder() != null) {
				final Path labels = Files.createDirectories(root.resolve(c.role().labelFolder()));
				uint8.write(new MedicalImage(c.name(), c.label().format(), c.label().image(), c.label().spacing(), null),
					labels.resolve(c.name() + ".nii.gz"));
			}
		}
		AtomicFiles.write(root.resolve(FolderLayout.CLASSES_TXT), out -> out.write((String.join("\n", CLASS_NAMES) + "\n").getBytes()));
	}

	/** The [0, 1] image as 0..255 integers. */
	static MedicalImage quantised(final MedicalImage image) {
		final float[] values = image.toFloatArray();
		final byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++)
			bytes[i] = (byte) Math.round(Math.min(1f, Math.max(0f, values[i])) * 255f);
		final long[] dims = Arrays.stream(image.dims()).asLongStream().toArray();
		return new MedicalImage(image.name(), image.format(), ArrayImgs.unsignedBytes(bytes, dims), image.spacing(), null);
	}
}
