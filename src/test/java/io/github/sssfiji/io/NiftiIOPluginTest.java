package io.github.sssfiji.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Intervals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.io.IOService;
import org.scijava.io.location.FileLocation;

/** {@link NiftiIOPlugin} through SciJava's {@link IOService}, as Fiji would use it. */
class NiftiIOPluginTest {

	@TempDir
	Path temp;

	private Context context;
	private IOService io;

	@BeforeEach
	void start() {
		context = new Context(IOService.class);
		io = context.service(IOService.class);
	}

	@AfterEach
	void stop() {
		context.dispose();
	}

	@Test
	void ioServiceOpensNifti() throws IOException {
		final Path file = NiftiFixtures.path("nifti2_int16_4d.nii.gz");
		assertInstanceOf(NiftiIOPlugin.class, io.getOpener(file.toString()));
		final Object opened = io.open(file.toString());
		final Img<?> img = assertInstanceOf(Img.class, opened);
		assertInstanceOf(ShortType.class, img.getType());
		final MedicalImage expected = new NiftiReader().read(file);
		assertArrayEquals(expected.dims(), Intervals.dimensionsAsIntArray(img));
		@SuppressWarnings("unchecked")
		final RandomAccessibleInterval<ShortType> shorts = (RandomAccessibleInterval<ShortType>) img;
		assertArrayEquals(expected.toFloatArray(), new MedicalImage("x", "x", shorts, expected.spacing(), null).toFloatArray());
	}

	@Test
	void ioServiceSavesNifti() throws IOException {
		final Img<FloatType> img = ArrayImgs.floats(new float[] { 1.5f, -2, 3, 4, 5, 6 }, 3, 2);
		final Path file = temp.resolve("saved.nii.gz");
		io.save(img, file.toString());
		final MedicalImage read = new NiftiReader().read(file);
		assertEquals("saved", read.name());
		assertArrayEquals(new float[] { 1.5f, -2, 3, 4, 5, 6 }, read.toFloatArray());
		assertArrayEquals(new double[] { 1, 1 }, read.spacing(), 0);
	}

	@Test
	void claimsOnlyLocalNiftiFiles() {
		final NiftiIOPlugin plugin = new NiftiIOPlugin();
		assertTrue(plugin.supportsOpen(new FileLocation("/data/a.NII.GZ")));
		assertFalse(plugin.supportsOpen(new FileLocation("/data/a.hdr")));
		assertFalse(plugin.supportsOpen(new FileLocation("/data/a.tif")));
		assertTrue(plugin.supportsSave(ArrayImgs.bytes(2, 2), new FileLocation("/data/b.nii")));
		assertFalse(plugin.supportsSave("not an image", new FileLocation("/data/b.nii")));
	}
}
