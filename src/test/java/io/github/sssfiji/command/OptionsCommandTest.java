package io.github.sssfiji.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.prefs.PrefService;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.io.NiftiReader;
import io.github.sssfiji.io.NiftiWriter;
import io.github.sssfiji.io.VoxelLimit;
import io.github.sssfiji.service.DefaultSssService;
import io.github.sssfiji.service.SssService;
import net.imglib2.img.array.ArrayImgs;

/** SSS Options: its values reach the service and the readers of this JVM, and are saved for the next start. */
class OptionsCommandTest {

	@TempDir
	Path dir;

	private String limitBefore;

	@BeforeEach
	void rememberTheLimit() {
		limitBefore = System.getProperty(VoxelLimit.PROPERTY);
	}

	/** The saved option lives in the user's preferences: a test must not leave a small limit for every later Fiji. */
	@AfterEach
	void restoreTheLimitAndTheSavedOption() {
		try (Context context = new Context(PrefService.class)) {
			context.service(PrefService.class).remove(DefaultSssService.class, "maxVoxels");
		}
		VoxelLimit.restore(limitBefore);
	}

	@Test
	void optionsReachTheService() throws Exception {
		try (Context context = new Context(CommandService.class, SssService.class)) {
			context.service(CommandService.class).run(OptionsCommand.class, false, "device", "cpu", "threads", 2, "models_folder",
				dir.toFile()).get();
			final SssService sss = context.service(SssService.class);
			assertEquals(SssService.DeviceChoice.CPU, sss.deviceChoice());
			assertEquals(dir, sss.modelsFolder());
			assertEquals(VoxelLimit.DEFAULT, sss.maxVoxels(), "max_voxels left at its default");
		}
	}

	@Test
	void theVoxelLimitReachesTheReadersAtOnceAndIsRestoredAtTheNextStart() throws Exception {
		final Path image = dir.resolve("image.nii");
		NiftiWriter.create().write(new MedicalImage("image", "nifti-1", ArrayImgs.unsignedBytes(4, 3, 2), new double[] { 1, 1, 1 }, null), image);
		try (Context context = new Context(CommandService.class, SssService.class, PrefService.class)) {
			context.service(CommandService.class).run(OptionsCommand.class, false, "device", "auto", "threads", 1, "max_voxels", 23L).get();
			assertEquals(23, context.service(SssService.class).maxVoxels());
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> new NiftiReader().read(image));
			assertTrue(e.getMessage().startsWith(image + " is too large for SSS: [4, 3, 2] = 24 voxels, more than the limit of 23 voxels"), e.getMessage());
			assertEquals(23, context.service(PrefService.class).getLong(DefaultSssService.class, "maxVoxels", 0), "saved");
		}
		// the next start of Fiji: no Java option, the saved value applies
		System.clearProperty(VoxelLimit.PROPERTY);
		try (Context context = new Context(SssService.class, PrefService.class)) {
			assertEquals(23, context.service(SssService.class).maxVoxels());
		}
		// a Java option given at the start wins over the saved value
		System.setProperty(VoxelLimit.PROPERTY, "24");
		try (Context context = new Context(SssService.class, PrefService.class)) {
			assertEquals(24, context.service(SssService.class).maxVoxels());
			assertArrayEquals(new int[] { 4, 3, 2 }, new NiftiReader().read(image).dims());
		}
	}

	@Test
	void aVoxelLimitBelowOneIsRefusedNamingTheKey() {
		try (Context context = new Context(CommandService.class, SssService.class)) {
			final Exception e = assertThrows(Exception.class,
				() -> context.service(CommandService.class).run(OptionsCommand.class, false, "threads", 1, "max_voxels", 0L).get());
			Throwable cause = e;
			while (cause != null && !(cause instanceof InvalidInputException))
				cause = cause.getCause();
			assertTrue(cause != null && cause.getMessage().equals("key 'max_voxels': '0' must be at least 1 voxel"), String.valueOf(e));
		}
	}
}
