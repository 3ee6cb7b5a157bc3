package io.github.sssfiji.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import ai.djl.ndarray.NDManager;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.torch.Npz;
import io.github.sssfiji.io.torch.PickleBytes;
import io.github.sssfiji.io.torch.TorchCheckpoint;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.PromptsJson;

/**
 * A corpus of bad inputs, generated here at test time (nothing binary is committed): damaged NIfTI-1
 * and NIfTI-2 headers and data, gzip damage and bombs, malformed HDF5, TIFF and DICOM files, damaged
 * {@code .sss} and {@code .sam2.zip} model files, hostile {@code .pt} pickles and {@code .npz}
 * archives, bad training configurations, prompt files, split lists, dataset folders and CLI values.
 * Each {@link Case} writes its files into a folder of its own and names the command line (or, for a
 * reader that no CLI command reaches, the reader call) and the words its one error line must hold.
 */
final class BadInputCorpus {

	/** What a case runs: a CLI command line, or a reader call (reported like {@link Main} reports). */
	record Invocation(String[] argv, ReaderCall call, List<String> expected) {

		static Invocation cli(final List<String> expected, final String... argv) {
			return new Invocation(argv, null, expected);
		}

		static Invocation reader(final ReaderCall call, final String... expected) {
			return new Invocation(null, call, List.of(expected));
		}
	}

	/** A reader entry point. */
	interface ReaderCall {
		void run() throws Exception;
	}

	/** Writes the case's files into {@code dir} and says what to run. */
	interface Fixture {
		Invocation make(Path dir) throws IOException;
	}

	record Case(String category, String name, Fixture fixture) {

		@Override
		public String toString() {
			return category + ": " + name;
		}
	}

	private final List<Case> cases = new ArrayList<>();

	private BadInputCorpus() {}

	static List<Case> cases() {
		final BadInputCorpus c = new BadInputCorpus();
		c.nifti1();
		c.nifti2();
		c.gzip();
		c.hdf5();
		c.imagej();
		c.sssModels();
		c.sam2Files();
		c.checkpoints();
		c.trainConfigs();
		c.prompts();
		c.predictLists();
		c.datasets();
		c.cliValues();
		c.fuzzFindings();
		return List.copyOf(c.cases);
	}

	private void add(final String category, final String name, final Fixture fixture) {
		cases.add(new Case(category, name, fixture));
	}

	private static List<String> words(final String... words) {
		return List.of(words);
	}

	// ---------------------------------------------------------------- image entry points

	/** The commands that read one image or label file: info, evaluate (as prediction), pcsw. */
	private static final String[] IMAGE_ENTRIES = { "info", "evaluate", "pcsw" };

	/** Adds one case per image entry point for a bad image file made by {@code content}. */
	private void imageCases(final String category, final String name, final String fileName, final Content content, final String... problem) {
		for (final String entry : IMAGE_ENTRIES)
			add(category, name + " [" + entry + "]", dir -> {
				final Path file = Files.write(dir.resolve(fileName), content.bytes(dir));
				final List<String> expected = new ArrayList<>(List.of(fileName));
				expected.addAll(Arrays.asList(problem));
				return switch (entry) {
					case "info" -> Invocation.cli(expected, "info", file.toString());
					case "evaluate" -> Invocation.cli(expected, "evaluate", "--pred", file.toString(), "--gt", goodLabels(dir).toString(), "--out",
						dir.resolve("metrics.csv").toString());
					default -> Invocation.cli(expected, "pcsw", "--input", file.toString(), "--out", dir.resolve("out").toString());
				};
			});
	}

	interface Content {
		byte[] bytes(Path dir) throws IOException;
	}

	/** A valid 4 x 3 x 2 uint8 label map with labels 0 and 1, as good.nii in {@code dir}. */
	static Path goodLabels(final Path dir) throws IOException {
		final Path file = dir.resolve("good.nii");
		if (!Files.exists(file)) Files.write(file, nifti1(h -> {}));
		return file;
	}

	// ---------------------------------------------------------------- NIfTI-1

	/** A valid single-file NIfTI-1: 4 x 3 x 2 uint8, voxel size 1, labels 0 and 1; {@code patch} damages it. */
	static byte[] nifti1(final Consumer<ByteBuffer> patch) {
		final ByteBuffer b = ByteBuffer.allocate(352 + 24).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(0, 348);
		final short[] dim = { 3, 4, 3, 2, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putShort(40 + 2 * i, dim[i]);
		b.putShort(70, (short) 2);
		b.putShort(72, (short) 8);
		for (int i = 0; i < 8; i++)
			b.putFloat(76 + 4 * i, 1);
		b.putFloat(108, 352);
		b.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1');
		for (int i = 0; i < 24; i++)
			b.put(352 + i, (byte) (i % 5 == 0 ? 1 : 0));
		patch.accept(b);
		return b.array();
	}

	private static Consumer<ByteBuffer> dims1(final int... dim) {
		return b -> {
			for (int i = 0; i < 8; i++)
				b.putShort(40 + 2 * i, (short) (i < dim.length ? dim[i] : 1));
		};
	}

	private void nifti1() {
		final Map<String, Object[]> damage = new LinkedHashMap<>();
		damage.put("sizeof_hdr 0", new Object[] { (Consumer<ByteBuffer>) b -> b.putInt(0, 0), "sizeof_hdr" });
		damage.put("sizeof_hdr 347", new Object[] { (Consumer<ByteBuffer>) b -> b.putInt(0, 347), "sizeof_hdr" });
		damage.put("sizeof_hdr -1", new Object[] { (Consumer<ByteBuffer>) b -> b.putInt(0, -1), "sizeof_hdr" });
		damage.put("sizeof_hdr 540 in a NIfTI-1 header", new Object[] { (Consumer<ByteBuffer>) b -> b.putInt(0, 540), "NIfTI" });
		for (final int n : new int[] { 0, -1, 8, 100 })
			damage.put("dim[0] " + n, new Object[] { (Consumer<ByteBuffer>) b -> b.putShort(40, (short) n), "dim[0]" });
		for (final int axis : new int[] { 1, 2, 3 })
			for (final int v : new int[] { 0, -1, -32768 })
				damage.put("dim[" + axis + "] " + v, new Object[] { (Consumer<ByteBuffer>) b -> b.putShort(40 + 2 * axis, (short) v), "dim[" + axis + "]" });
		damage.put("dims 32767^3 (32 GiB)", new Object[] { dims1(3, 32767, 32767, 32767), "too large" });
		damage.put("dims 32767^4 float64 (long overflow in int)", new Object[] {
			dims1(4, 32767, 32767, 32767, 32767).andThen(b -> b.putShort(70, (short) 64).putShort(72, (short) 64)), "too large" });
		damage.put("dims 7 x 32767 (product overflows long)", new Object[] { dims1(7, 32767, 32767, 32767, 32767, 32767, 32767, 32767), "dim" });
		damage.put("five non-singleton dims", new Object[] { dims1(5, 4, 3, 2, 2, 2), "dimensions" });
		damage.put("1024^3 uint8 (1 GiB) in a 376-byte file", new Object[] { dims1(3, 1024, 1024, 1024), "truncated" });
		for (final int code : new int[] { 0, 1, 128, 1536, 2304, 32767, -1 })
			damage.put("datatype " + code, new Object[] { (Consumer<ByteBuffer>) b -> b.putShort(70, (short) code), "datatype" });
		for (final float off : new float[] { 1e9f, -1, Float.NaN, Float.POSITIVE_INFINITY, 100 })
			damage.put("vox_offset " + off, new Object[] { (Consumer<ByteBuffer>) b -> b.putFloat(108, off), "vox_offset" });
		damage.put("vox_offset past the data", new Object[] { (Consumer<ByteBuffer>) b -> b.putFloat(108, 368), "truncated" });
		for (final int axis : new int[] { 1, 2, 3 })
			for (final float v : new float[] { Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY })
				damage.put("pixdim[" + axis + "] " + v, new Object[] { (Consumer<ByteBuffer>) b -> b.putFloat(76 + 4 * axis, v), "pixdim[" + axis + "]" });
		damage.put("scl_slope 2 with scl_inter NaN", new Object[] {
			(Consumer<ByteBuffer>) b -> b.putFloat(112, 2).putFloat(116, Float.NaN), "scl_inter" });
		damage.put("scl_slope 1 with scl_inter inf", new Object[] {
			(Consumer<ByteBuffer>) b -> b.putFloat(112, 1).putFloat(116, Float.POSITIVE_INFINITY), "scl_inter" });
		damage.put("magic xyz", new Object[] { (Consumer<ByteBuffer>) b -> b.put(344, (byte) 'x').put(345, (byte) 'y').put(346, (byte) 'z'), "magic" });
		damage.put("magic empty", new Object[] { (Consumer<ByteBuffer>) b -> b.put(344, (byte) 0).put(345, (byte) 0).put(346, (byte) 0), "magic" });
		damage.put("magic ni1 (a .hdr/.img pair)", new Object[] { (Consumer<ByteBuffer>) b -> b.put(345, (byte) 'i'), ".hdr/.img" });
		for (final Map.Entry<String, Object[]> e : damage.entrySet()) {
			@SuppressWarnings("unchecked")
			final Consumer<ByteBuffer> patch = (Consumer<ByteBuffer>) e.getValue()[0];
			final String problem = (String) e.getValue()[1];
			final String slug = slug(e.getKey());
			imageCases("NIfTI-1 header", e.getKey(), slug + ".nii", dir -> nifti1(patch), problem);
			imageCases("NIfTI-1 header (gzip)", e.getKey(), slug + ".nii.gz", dir -> gzip(nifti1(patch)), problem);
		}
		final byte[] good = nifti1(h -> {});
		imageCases("NIfTI-1 truncated", "header cut at 200 bytes", "cut200.nii", dir -> Arrays.copyOf(good, 200), "truncated");
		imageCases("NIfTI-1 truncated", "header cut at 3 bytes", "cut3.nii", dir -> Arrays.copyOf(good, 3), "too short");
		imageCases("NIfTI-1 truncated", "empty file", "empty.nii", dir -> new byte[0], "too short");
		imageCases("NIfTI-1 truncated", "data cut by 10 bytes", "datacut.nii", dir -> Arrays.copyOf(good, good.length - 10), "truncated");
		imageCases("NIfTI-1 truncated", "data cut by 10 bytes (gzip)", "datacut.nii.gz", dir -> gzip(Arrays.copyOf(good, good.length - 10)),
			"truncated");
		imageCases("NIfTI-1 truncated", "text, not NIfTI", "text.nii", dir -> "this is not an image, just some words".getBytes(StandardCharsets.UTF_8),
			"sizeof_hdr");
	}

	// ---------------------------------------------------------------- NIfTI-2

	/** A valid single-file NIfTI-2: 4 x 3 x 2 uint8, voxel size 1; {@code patch} damages it. */
	static byte[] nifti2(final Consumer<ByteBuffer> patch) {
		final ByteBuffer b = ByteBuffer.allocate(544 + 24).order(ByteOrder.LITTLE_ENDIAN);
		b.putInt(0, 540);
		b.put(4, new byte[] { 'n', '+', '2', 0, '\r', '\n', 0x1a, '\n' });
		b.putShort(12, (short) 2);
		b.putShort(14, (short) 8);
		final long[] dim = { 3, 4, 3, 2, 1, 1, 1, 1 };
		for (int i = 0; i < 8; i++)
			b.putLong(16 + 8 * i, dim[i]);
		for (int i = 0; i < 8; i++)
			b.putDouble(104 + 8 * i, 1);
		b.putLong(168, 544);
		for (int i = 0; i < 24; i++)
			b.put(544 + i, (byte) (i % 5 == 0 ? 1 : 0));
		patch.accept(b);
		return b.array();
	}

	private static Consumer<ByteBuffer> dims2(final long... dim) {
		return b -> {
			for (int i = 0; i < 8; i++)
				b.putLong(16 + 8 * i, i < dim.length ? dim[i] : 1);
		};
	}

	private void nifti2() {
		final Map<String, Object[]> damage = new LinkedHashMap<>();
		damage.put("sizeof_hdr 541", new Object[] { (Consumer<ByteBuffer>) b -> b.putInt(0, 541), "sizeof_hdr" });
		damage.put("magic n+3", new Object[] { (Consumer<ByteBuffer>) b -> b.put(6, (byte) '3'), "magic" });
		damage.put("magic mangled by text mode", new Object[] { (Consumer<ByteBuffer>) b -> b.put(8, new byte[] { '\n', '\n', 0x1a, '\n' }), "text mode" });
		for (final long n : new long[] { 0, -1, 8, Long.MAX_VALUE })
			damage.put("dim[0] " + n, new Object[] { (Consumer<ByteBuffer>) b -> b.putLong(16, n), "dim[0]" });
		for (final long v : new long[] { 0, -1, Long.MIN_VALUE })
			damage.put("dim[1] " + v, new Object[] { (Consumer<ByteBuffer>) b -> b.putLong(24, v), "dim[1]" });
		damage.put("dim[2] 2^31 (beyond int)", new Object[] { (Consumer<ByteBuffer>) b -> b.putLong(32, 1L << 31), "dim[2]" });
		damage.put("dim[1] Long.MAX_VALUE", new Object[] { (Consumer<ByteBuffer>) b -> b.putLong(24, Long.MAX_VALUE), "dim[1]" });
		damage.put("dims 2^30 x 2^30 x 2^30 (product overflows long)", new Object[] { dims2(3, 1L << 30, 1L << 30, 1L << 30), "too large" });
		damage.put("dims 2^20 x 2^20 x 2 uint8", new Object[] { dims2(3, 1L << 20, 1L << 20, 2), "too large" });
		damage.put("1024^3 uint8 (1 GiB) in a 568-byte file", new Object[] { dims2(3, 1024, 1024, 1024), "truncated" });
		for (final int code : new int[] { 0, 128, 1792, -1 })
			damage.put("datatype " + code, new Object[] { (Consumer<ByteBuffer>) b -> b.putShort(12, (short) code), "datatype" });
		for (final long off : new long[] { -1, 100, 1L << 40, Long.MAX_VALUE })
			damage.put("vox_offset " + off, new Object[] { (Consumer<ByteBuffer>) b -> b.putLong(168, off), "vox_offset" });
		for (final double v : new double[] { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY })
			damage.put("pixdim[1] " + v, new Object[] { (Consumer<ByteBuffer>) b -> b.putDouble(112, v), "pixdim[1]" });
		damage.put("scl_slope 3 with scl_inter NaN", new Object[] {
			(Consumer<ByteBuffer>) b -> b.putDouble(176, 3).putDouble(184, Double.NaN), "scl_inter" });
		for (final Map.Entry<String, Object[]> e : damage.entrySet()) {
			@SuppressWarnings("unchecked")
			final Consumer<ByteBuffer> patch = (Consumer<ByteBuffer>) e.getValue()[0];
			final String problem = (String) e.getValue()[1];
			imageCases("NIfTI-2 header", e.getKey(), "n2-" + slug(e.getKey()) + ".nii.gz", dir -> gzip(nifti2(patch)), problem);
		}
		final byte[] good = nifti2(h -> {});
		imageCases("NIfTI-2 truncated", "header cut at 400 bytes", "n2cut.nii", dir -> Arrays.copyOf(good, 400), "truncated");
		imageCases("NIfTI-2 truncated", "data cut by 1 byte", "n2datacut.nii", dir -> Arrays.copyOf(good, good.length - 1), "truncated");
	}

	// ---------------------------------------------------------------- gzip

	private void gzip() {
		final byte[] gz = gzip(nifti1(h -> {}));
		imageCases("gzip", "corrupt CRC", "crc.nii.gz", dir -> {
			final byte[] b = gz.clone();
			b[b.length - 6] ^= 0x5a;
			return b;
		}, "gzip");
		imageCases("gzip", "wrong length in the trailer", "isize.nii.gz", dir -> {
			final byte[] b = gz.clone();
			b[b.length - 2] ^= 0x11;
			return b;
		}, "gzip");
		imageCases("gzip", "truncated gzip (half)", "halfgz.nii.gz", dir -> Arrays.copyOf(gz, gz.length / 2), "gzip");
		imageCases("gzip", "truncated gzip (trailer missing)", "notrailer.nii.gz", dir -> Arrays.copyOf(gz, gz.length - 8), "gzip");
		imageCases("gzip", "gzip magic then garbage", "garbage.nii.gz", dir -> {
			final byte[] b = new byte[64];
			Arrays.fill(b, (byte) 0x5a);
			b[0] = 0x1f;
			b[1] = (byte) 0x8b;
			return b;
		}, "gzip");
		imageCases("gzip", "gzip header only", "gzheader.nii.gz", dir -> Arrays.copyOf(gz, 10), "gzip");
		imageCases("gzip", "bomb: 24 voxels then 512 MiB of zeros", "bomb.nii.gz", dir -> gzipBomb(), "more data than its header");
		imageCases("gzip", "bomb: header declares 1 GiB, stream holds 1 MiB", "declared.nii.gz",
			dir -> gzipWithZeros(nifti1(dims1(3, 1024, 1024, 1024)), 1 << 20), "truncated");
	}

	private static byte[] gzipBomb;

	/** A valid small NIfTI-1 followed by 512 MiB of zeros, gzip-compressed to about half a megabyte. */
	static synchronized byte[] gzipBomb() throws IOException {
		if (gzipBomb == null) gzipBomb = gzipWithZeros(nifti1(h -> {}), 512L << 20);
		return gzipBomb;
	}

	private static byte[] gzipWithZeros(final byte[] head, final long zeros) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes, 1 << 16) {
			{
				def.setLevel(Deflater.BEST_COMPRESSION);
			}
		}) {
			out.write(head);
			final byte[] block = new byte[1 << 20];
			for (long n = 0; n < zeros; n += block.length)
				out.write(block, 0, (int) Math.min(block.length, zeros - n));
		}
		return bytes.toByteArray();
	}

	// ---------------------------------------------------------------- HDF5

	private void hdf5() {
		final float[][][] image = new float[2][3][4];
		final byte[][][] label = new byte[2][3][4];
		label[1][1][1] = 1;
		hdf5Case("no image dataset", "noimage.h5", f -> f.putDataset("other", image), "image");
		hdf5Case("image is a string dataset", "string.h5", f -> f.putDataset("image", new String[] { "not", "pixels" }), "image");
		hdf5Case("image is 1-D", "rank1.h5", f -> f.putDataset("image", new float[] { 1, 2, 3 }), "rank 1");
		hdf5Case("image is 5-D", "rank5.h5", f -> f.putDataset("image", new float[2][2][2][2][2]), "rank 5");
		hdf5Case("image is a group", "group.h5", f -> f.putGroup("image").putDataset("x", image), "not a dataset");
		hdf5Case("label is a string dataset", "stringlabel.h5", f -> {
			f.putDataset("image", image);
			f.putDataset("label", new String[] { "x" });
		}, "label");
		hdf5Case("label has a fractional value", "fraction.h5", f -> {
			f.putDataset("image", image);
			final float[][][] l = new float[2][3][4];
			l[0][0][0] = 0.5f;
			f.putDataset("label", l);
		}, "fractional");
		hdf5Case("label has a negative value", "negative.h5", f -> {
			f.putDataset("image", image);
			final int[][][] l = new int[2][3][4];
			l[0][0][1] = -3;
			f.putDataset("label", l);
		}, "-3");
		final byte[] signature = { (byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };
		imageCases("HDF5", "signature only", "sigonly.h5", dir -> signature, "HDF5");
		imageCases("HDF5", "signature then zeros", "sigzeros.h5", dir -> Arrays.copyOf(signature, 4096), "HDF5");
		imageCases("HDF5", "empty file", "nothing.h5", dir -> new byte[0], "HDF5");
		imageCases("HDF5", "text with .h5", "text.h5", dir -> "hello, not HDF5".getBytes(StandardCharsets.UTF_8), "HDF5");
		imageCases("HDF5", "truncated file (half)", "truncated.h5", dir -> {
			final byte[] whole = hdf5Bytes(dir, f -> {
				f.putDataset("image", image);
				f.putDataset("label", label);
			});
			return Arrays.copyOf(whole, whole.length / 2);
		}, "truncated.h5");
		imageCases("HDF5", "truncated file (first 512 bytes)", "cut512.h5", dir -> Arrays.copyOf(hdf5Bytes(dir, f -> {
			f.putDataset("image", image);
			f.putDataset("label", label);
		}), 512), "cut512.h5");
	}

	interface Hdf5Content {
		void fill(io.jhdf.WritableHdfFile file);
	}

	private void hdf5Case(final String name, final String fileName, final Hdf5Content content, final String problem) {
		// info reads the image dataset, evaluate and pcsw the label dataset: only info meets the problem named
		add("HDF5", name + " [info, problem named]", dir -> Invocation.cli(words(fileName, problem), "info",
			Files.write(dir.resolve(fileName), hdf5Bytes(dir, content)).toString()));
		imageCases("HDF5", name, fileName, dir -> hdf5Bytes(dir, content), fileName);
	}

	private static byte[] hdf5Bytes(final Path dir, final Hdf5Content content) throws IOException {
		final Path tmp = dir.resolve("tmp-" + System.nanoTime() + ".h5.tmp");
		try (io.jhdf.WritableHdfFile f = io.jhdf.HdfFile.write(tmp)) {
			content.fill(f);
		}
		final byte[] bytes = Files.readAllBytes(tmp);
		Files.delete(tmp);
		return bytes;
	}

	// ---------------------------------------------------------------- TIFF and DICOM (ImageJ 1.x)

	private void imagej() {
		imageCases("TIFF/DICOM", "TIFF cut after its header", "cut8.tif", dir -> Arrays.copyOf(tiff(dir), 8), "cut8.tif");
		imageCases("TIFF/DICOM", "TIFF with a wrong magic", "magic.tif", dir -> {
			final byte[] tiff = tiff(dir);
			tiff[2] = 0x7f;
			tiff[3] = 0x7f;
			return tiff;
		}, "magic.tif");
		imageCases("TIFF/DICOM", "TIFF cut in its pixel data", "cutpixels.tif", dir -> {
			final byte[] tiff = tiff(dir);
			final Path tmp = Files.write(dir.resolve("tmp-" + System.nanoTime() + ".tif"), tiff);
			final long offset = new ij.io.TiffDecoder(dir + java.io.File.separator, tmp.getFileName().toString()).getTiffInfo()[0].getOffset();
			Files.delete(tmp);
			return Arrays.copyOf(tiff, (int) offset + 6);
		}, "truncated");
		imageCases("TIFF/DICOM", "empty .tif", "empty.tif", dir -> new byte[0], "empty.tif");
		imageCases("TIFF/DICOM", "text with .tiff", "text.tiff", dir -> "not a TIFF".getBytes(StandardCharsets.UTF_8), "text.tiff");
		imageCases("TIFF/DICOM", "empty .dcm", "empty.dcm", dir -> new byte[0], "empty.dcm");
		imageCases("TIFF/DICOM", "text with .dcm", "text.dcm", dir -> "not DICOM at all".getBytes(StandardCharsets.UTF_8), "text.dcm");
		imageCases("TIFF/DICOM", "DICM preamble only", "preamble.dcm", dir -> {
			final byte[] b = new byte[132];
			b[128] = 'D';
			b[129] = 'I';
			b[130] = 'C';
			b[131] = 'M';
			return b;
		}, "preamble.dcm");
	}

	/** A valid 4 x 3 8-bit TIFF written by ImageJ. */
	private static byte[] tiff(final Path dir) throws IOException {
		final Path tmp = dir.resolve("tmp-" + System.nanoTime() + ".tif");
		final ByteProcessor p = new ByteProcessor(4, 3);
		p.set(1, 1, 1);
		new FileSaver(new ImagePlus("t", p)).saveAsTiff(tmp.toString());
		final byte[] bytes = Files.readAllBytes(tmp);
		Files.delete(tmp);
		return bytes;
	}

	// ---------------------------------------------------------------- .sss model files

	private static byte[] goodModel;

	/** A valid .sss model: an untrained ACDC U-Net (4 classes) at input size 32, written once. */
	static synchronized byte[] goodModel() throws IOException {
		if (goodModel == null) {
			final Path tmp = Files.createTempFile("corpus", ".sss");
			try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork net = UNetNetwork.create(UNetConfig.acdc(), root, 3)) {
				SssModel.write(tmp, net, List.of("background", "RV", "Myo", "LV"), 32, null);
			}
			goodModel = Files.readAllBytes(tmp);
			Files.delete(tmp);
		}
		return goodModel;
	}

	interface Rewrite {
		/** Changes the entries (name to bytes, in order) of a zip. */
		void apply(Map<String, byte[]> entries) throws IOException;
	}

	private void modelCase(final String name, final String fileName, final Content content, final String... problem) {
		add(".sss model", name, dir -> {
			final Path model = Files.write(dir.resolve(fileName), content.bytes(dir));
			final List<String> expected = new ArrayList<>(List.of(fileName));
			expected.addAll(Arrays.asList(problem));
			return Invocation.cli(expected, "predict", "--model", model.toString(), "--input", goodLabels(dir).toString(), "--out",
				dir.resolve("out").toString());
		});
	}

	private void modelRewrite(final String name, final String fileName, final Rewrite rewrite, final String... problem) {
		modelCase(name, fileName, dir -> rezip(goodModel(), rewrite), problem);
	}

	private static void meta(final Map<String, byte[]> entries, final Consumer<com.google.gson.JsonObject> change) {
		final com.google.gson.JsonObject meta = com.google.gson.JsonParser.parseString(new String(entries.get("meta.json"), StandardCharsets.UTF_8))
			.getAsJsonObject();
		change.accept(meta);
		entries.put("meta.json", meta.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static String firstTensor(final Map<String, byte[]> entries) {
		return entries.keySet().stream().filter(n -> n.startsWith("tensors/")).findFirst().orElseThrow().substring("tensors/".length());
	}

	private static void index(final Map<String, byte[]> entries, final Consumer<com.google.gson.JsonObject> change) {
		final com.google.gson.JsonObject index = com.google.gson.JsonParser
			.parseString(new String(entries.get("tensors.json"), StandardCharsets.UTF_8)).getAsJsonObject();
		change.accept(index);
		entries.put("tensors.json", index.toString().getBytes(StandardCharsets.UTF_8));
	}

	private void sssModels() {
		modelCase("truncated (half)", "half.sss", dir -> Arrays.copyOf(goodModel(), goodModel().length / 2), "not a valid SSS file");
		modelCase("truncated (100 bytes)", "cut100.sss", dir -> Arrays.copyOf(goodModel(), 100), "not a valid SSS file");
		modelCase("not a zip", "text.sss", dir -> "just text".getBytes(StandardCharsets.UTF_8), "not a valid SSS file");
		modelCase("empty file", "empty.sss", dir -> new byte[0], "empty.sss");
		modelCase("a NIfTI file named .sss", "nifti.sss", dir -> nifti1(h -> {}), "not a valid SSS file");
		modelCase("an empty zip", "emptyzip.sss", dir -> zip(Map.of()), "not an SSS file");
		modelRewrite("meta.json missing", "nometa.sss", e -> e.remove("meta.json"), "meta.json");
		modelRewrite("tensors.json missing", "noindex.sss", e -> e.remove("tensors.json"), "tensors.json");
		modelRewrite("meta.json not JSON", "badmeta.sss", e -> e.put("meta.json", "{\"format\": ".getBytes(StandardCharsets.UTF_8)), "meta.json");
		modelRewrite("meta.json an array", "arraymeta.sss", e -> e.put("meta.json", "[1, 2]".getBytes(StandardCharsets.UTF_8)), "meta.json");
		modelRewrite("meta.json empty", "emptymeta.sss", e -> e.put("meta.json", new byte[0]), "meta.json");
		modelRewrite("meta.json a zip bomb", "metabomb.sss", e -> e.put("meta.json", zeros(BOMB_BYTES)), "meta.json");
		modelRewrite("format tag wrong", "format.sss", e -> meta(e, m -> m.addProperty("format", "sss-sam2")), "format");
		modelRewrite("format tag missing", "noformat.sss", e -> meta(e, m -> m.remove("format")), "format");
		modelRewrite("format tag a number", "numformat.sss", e -> meta(e, m -> m.addProperty("format", 7)), "format");
		modelRewrite("format tag an object", "objformat.sss", e -> meta(e, m -> m.add("format", new com.google.gson.JsonObject())), "format");
		modelRewrite("normalisation unknown", "norm.sss", e -> meta(e, m -> m.addProperty("normalisation", "z-score")), "normalisation");
		modelRewrite("inputSize missing", "nosize.sss", e -> meta(e, m -> m.remove("inputSize")), "inputSize");
		modelRewrite("inputSize 0", "size0.sss", e -> meta(e, m -> m.addProperty("inputSize", 0)), "inputSize");
		modelRewrite("inputSize -32", "sizeneg.sss", e -> meta(e, m -> m.addProperty("inputSize", -32)), "inputSize");
		modelRewrite("inputSize text", "sizetext.sss", e -> meta(e, m -> m.addProperty("inputSize", "big")), "inputSize");
		modelRewrite("inputSize 1e12", "sizehuge.sss", e -> meta(e, m -> m.addProperty("inputSize", 1e12)), "inputSize");
		modelRewrite("classNames missing", "nonames.sss", e -> meta(e, m -> m.remove("classNames")), "classNames");
		modelRewrite("classNames a string", "namesstring.sss", e -> meta(e, m -> m.addProperty("classNames", "LV")), "classNames");
		modelRewrite("classNames of another count (2 for a 4-class network)", "twonames.sss", e -> meta(e, m -> {
			final com.google.gson.JsonArray names = new com.google.gson.JsonArray();
			names.add("background");
			names.add("LV");
			m.add("classNames", names);
		}), "2 class names", "4 classes");
		modelRewrite("classNames holding objects", "namesobj.sss", e -> meta(e, m -> {
			final com.google.gson.JsonArray names = new com.google.gson.JsonArray();
			for (int i = 0; i < 4; i++)
				names.add(new com.google.gson.JsonObject());
			m.add("classNames", names);
		}), "classNames");
		modelRewrite("backbone unknown", "backbone.sss", e -> meta(e, m -> m.addProperty("backbone", "resnet")), "resnet");
		modelRewrite("architecture missing", "noarch.sss", e -> meta(e, m -> m.remove("architecture")), "architecture");
		modelRewrite("architecture with another class count", "archclasses.sss", e -> meta(e, m -> {
			final com.google.gson.JsonObject a = m.getAsJsonObject("architecture");
			for (final String key : a.keySet())
				if (key.toLowerCase().contains("class")) a.addProperty(key, 7);
		}), "class");
		modelRewrite("tensors.json not JSON", "badindex.sss", e -> e.put("tensors.json", "{".getBytes(StandardCharsets.UTF_8)), "tensors.json");
		modelRewrite("tensors.json entry not a shape", "indexshape.sss", e -> index(e, i -> i.addProperty(firstTensor(e), "big")), "tensor");
		modelRewrite("tensors.json shape with a negative extent", "negshape.sss", e -> index(e, i -> {
			final com.google.gson.JsonArray s = new com.google.gson.JsonArray();
			s.add(-4);
			s.add(-2);
			i.add(firstTensor(e), s);
		}), "tensor");
		modelRewrite("tensors.json shape of 2^62 elements", "hugeshape.sss", e -> index(e, i -> {
			final com.google.gson.JsonArray s = new com.google.gson.JsonArray();
			s.add(1L << 31);
			s.add(1L << 31);
			i.add(firstTensor(e), s);
		}), "tensor");
		modelRewrite("tensor listed but missing", "missingtensor.sss", e -> e.remove("tensors/" + firstTensor(e)), "missing");
		modelRewrite("tensor of wrong shape", "wrongshape.sss", e -> {
			final String name = firstTensor(e);
			final int floats = e.get("tensors/" + name).length / 4;
			index(e, i -> {
				final com.google.gson.JsonArray s = new com.google.gson.JsonArray();
				s.add(floats);
				i.add(name, s);
			});
		}, "shape");
		modelRewrite("tensor with too few bytes", "fewbytes.sss", e -> {
			final String name = "tensors/" + firstTensor(e);
			e.put(name, Arrays.copyOf(e.get(name), 4));
		}, "bytes");
		modelRewrite("tensor a zip bomb", "tensorbomb.sss", e -> e.put("tensors/" + firstTensor(e), zeros(BOMB_BYTES)), "bytes");
		modelRewrite("tensor of the network missing from the file", "dropped.sss", e -> {
			final String name = firstTensor(e);
			e.remove("tensors/" + name);
			index(e, i -> i.remove(name));
		}, "missing");
	}

	/** Size of the zip bomb entries once inflated. */
	static final long BOMB_BYTES = 256L << 20;

	/** Stands for {@link #BOMB_BYTES} zero bytes in {@link #zip}, which streams them (no such array is made). */
	private static final byte[] ZERO_BOMB = new byte[0];

	/** A zip bomb entry: {@code head} then zeros up to {@link #BOMB_BYTES}, or {@code head} then {@code fill} bytes. */
	private static final Map<byte[], byte[]> BOMB_HEADS = new java.util.IdentityHashMap<>();
	private static final Map<byte[], Byte> BOMB_FILLS = new java.util.IdentityHashMap<>();

	private static byte[] zeros(final long count) {
		return ZERO_BOMB;
	}

	private static synchronized byte[] bomb(final byte[] head, final byte fill) {
		final byte[] marker = new byte[0];
		BOMB_HEADS.put(marker, head);
		BOMB_FILLS.put(marker, fill);
		return marker;
	}

	/** The zip {@code bytes} with its entries changed by {@code rewrite}. */
	static byte[] rezip(final byte[] bytes, final Rewrite rewrite) throws IOException {
		final Map<String, byte[]> entries = new LinkedHashMap<>();
		try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
			for (ZipEntry e; (e = in.getNextEntry()) != null;)
				entries.put(e.getName(), in.readAllBytes());
		}
		rewrite.apply(entries);
		return zip(entries);
	}

	static byte[] zip(final Map<String, byte[]> entries) throws IOException {
		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			zip.setLevel(Deflater.BEST_COMPRESSION);
			for (final Map.Entry<String, byte[]> e : entries.entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey()));
				final byte[] head;
				final byte fill;
				synchronized (BadInputCorpus.class) {
					head = e.getValue() == ZERO_BOMB ? new byte[0] : BOMB_HEADS.get(e.getValue());
					fill = e.getValue() == ZERO_BOMB ? 0 : BOMB_FILLS.getOrDefault(e.getValue(), (byte) 0);
				}
				if (head == null) zip.write(e.getValue());
				else {
					zip.write(head);
					final byte[] block = new byte[1 << 20];
					Arrays.fill(block, fill);
					for (long n = head.length; n < BOMB_BYTES; n += block.length)
						zip.write(block, 0, (int) Math.min(block.length, BOMB_BYTES - n));
				}
				zip.closeEntry();
			}
		}
		return bytes.toByteArray();
	}

	// ---------------------------------------------------------------- .sam2.zip model files

	private void sam2Files() {
		final Map<String, Content> files = new LinkedHashMap<>();
		files.put("not a zip", dir -> "text".getBytes(StandardCharsets.UTF_8));
		files.put("empty file", dir -> new byte[0]);
		files.put("empty zip", dir -> zip(Map.of()));
		files.put("truncated zip", dir -> Arrays.copyOf(zip(Map.of("sss-sam2.json", "{\"format\":\"sss-sam2\"}".getBytes(), "config.json",
			"{}".getBytes())), 40));
		files.put("sss-sam2.json invalid JSON", dir -> zip(Map.of("sss-sam2.json", "{".getBytes())));
		files.put("sss-sam2.json wrong format tag", dir -> zip(Map.of("sss-sam2.json", "{\"format\":\"sss-model\",\"version\":1}".getBytes())));
		files.put("sss-sam2.json future version", dir -> zip(Map.of("sss-sam2.json", "{\"format\":\"sss-sam2\",\"version\":99}".getBytes())));
		files.put("sss-sam2.json a zip bomb", dir -> zip(Map.of("sss-sam2.json", zeros(BOMB_BYTES))));
		files.put("config.json missing", dir -> zip(Map.of("sss-sam2.json", "{\"format\":\"sss-sam2\",\"version\":1}".getBytes())));
		files.put("config.json invalid", dir -> zip(Map.of("sss-sam2.json", "{\"format\":\"sss-sam2\",\"version\":1}".getBytes(), "config.json",
			"[[".getBytes())));
		files.put("weights missing", dir -> zip(Map.of("sss-sam2.json", "{\"format\":\"sss-sam2\",\"version\":1}".getBytes(), "config.json",
			"{}".getBytes())));
		for (final Map.Entry<String, Content> e : files.entrySet()) {
			final String fileName = slug(e.getKey()) + ".sam2.zip";
			add(".sam2.zip", e.getKey() + " [Sam2ModelFiles.load]", dir -> {
				final Path file = Files.write(dir.resolve(fileName), e.getValue().bytes(dir));
				return Invocation.reader(() -> {
					try (NDManager manager = Engines.pytorch().newBaseManager()) {
						Sam2ModelFiles.load(file, manager);
					}
				}, fileName);
			});
		}
	}

	// ---------------------------------------------------------------- .pt and .npz checkpoints

	private void checkpoints() {
		final String[][] globals = { { "os", "system" }, { "posix", "system" }, { "nt", "system" }, { "builtins", "eval" }, { "builtins", "exec" },
			{ "__builtin__", "eval" }, { "subprocess", "Popen" }, { "subprocess", "call" }, { "shutil", "rmtree" }, { "builtins", "getattr" },
			{ "importlib", "import_module" }, { "pickle", "loads" }, { "torch", "load" }, { "numpy", "load" } };
		for (final String[] g : globals)
			checkpointCase("global " + g[0] + "." + g[1], "g-" + g[0] + "-" + g[1] + ".pt",
				dir -> torchArchive(new PickleBytes().proto().global(g[0], g[1]).mark().string("touch " + dir.resolve("pwned")).tuple().reduce().stop().bytes(),
					Map.of()), g[0] + "." + g[1]);
		checkpointCase("STACK_GLOBAL os.system", "stackglobal.pt", dir -> torchArchive(new PickleBytes().proto().string("os").string("system").op(0x93)
			.mark().string("true").tuple().reduce().stop().bytes(), Map.of()), "os.system");
		checkpointCase("INST os.system", "inst.pt", dir -> torchArchive("(S'true'\nios\nsystem\n.".getBytes(StandardCharsets.ISO_8859_1), Map.of()),
			"INST");
		checkpointCase("BUILD on a dict", "build.pt", dir -> torchArchive(new PickleBytes().proto().emptyDict().emptyDict().op('b').stop().bytes(),
			Map.of()), "BUILD");
		checkpointCase("deeply nested lists (100000 levels)", "nested.pt", dir -> {
			final PickleBytes p = new PickleBytes().proto();
			for (int i = 0; i < 100_000; i++)
				p.op(']').op('(');
			return torchArchive(p.stop().bytes(), Map.of());
		}, "nested.pt");
		checkpointCase("deeply nested tuples via MARK (100000 levels)", "marks.pt", dir -> {
			final PickleBytes p = new PickleBytes().proto();
			for (int i = 0; i < 100_000; i++)
				p.mark();
			for (int i = 0; i < 100_000; i++)
				p.op('t');
			return torchArchive(p.stop().bytes(), Map.of());
		}, "marks.pt");
		checkpointCase("storage of 2^31 floats declared", "hugestorage.pt", dir -> torchArchive(new PickleBytes().proto().emptyDict().mark().string("w")
			.tensor("FloatStorage", "0", Integer.MAX_VALUE, 0, new int[] { Integer.MAX_VALUE }, new int[] { 1 }).op('u').stop().bytes(),
			Map.of("0", new byte[8])), "hugestorage.pt");
		checkpointCase("tensor of 2^31 x 2^31 elements over a small storage", "hugetensor.pt", dir -> torchArchive(new PickleBytes().proto().emptyDict()
			.mark().string("w").tensor("FloatStorage", "0", 2, 0, new int[] { Integer.MAX_VALUE, Integer.MAX_VALUE }, new int[] { 1, 1 }).op('u')
			.stop().bytes(), Map.of("0", new byte[8])), "hugetensor.pt");
		checkpointCase("negative tensor size", "negsize.pt", dir -> torchArchive(new PickleBytes().proto().emptyDict().mark().string("w")
			.tensor("FloatStorage", "0", 2, 0, new int[] { -2 }, new int[] { 1 }).op('u').stop().bytes(), Map.of("0", new byte[8])), "negsize.pt");
		checkpointCase("storage entry a zip bomb", "storagebomb.pt", dir -> torchArchive(new PickleBytes().proto().emptyDict().mark().string("w")
			.tensor("FloatStorage", "0", 2, 0, new int[] { 2 }, new int[] { 1 }).op('u').stop().bytes(), Map.of("0", zeros(BOMB_BYTES))),
			"storagebomb.pt");
		checkpointCase("data.pkl a zip bomb", "picklebomb.pt", dir -> {
			return torchArchive(bomb(new byte[] { (byte) 0x80, 2 }, (byte) '('), Map.of());
		}, "picklebomb.pt");
		checkpointCase("unknown storage type", "storagetype.pt", dir -> torchArchive(new PickleBytes().proto().emptyDict().mark().string("w")
			.tensor("ComplexStorage", "0", 2, 0, new int[] { 2 }, new int[] { 1 }).op('u').stop().bytes(), Map.of("0", new byte[8])),
			"ComplexStorage");
		checkpointCase("pickle cut in the middle", "cutpickle.pt", dir -> torchArchive(Arrays.copyOf(new PickleBytes().proto().emptyDict().mark().string("w")
			.tensor("FloatStorage", "0", 2, 0, new int[] { 2 }, new int[] { 1 }).op('u').stop().bytes(), 30), Map.of("0", new byte[8])),
			"cutpickle.pt");
		checkpointCase("unknown opcode", "opcode.pt", dir -> torchArchive(new byte[] { (byte) 0x80, 2, (byte) 0xff, '.' }, Map.of()), "opcode.pt");
		checkpointCase("truncated zip", "truncated.pt", dir -> {
			final byte[] whole = torchArchive(new PickleBytes().proto().emptyDict().mark().string("w")
				.tensor("FloatStorage", "0", 2, 0, new int[] { 2 }, new int[] { 1 }).op('u').stop().bytes(), Map.of("0", new byte[64]));
			return Arrays.copyOf(whole, whole.length / 2);
		}, "truncated.pt");
		checkpointCase("not a zip", "text.pt", dir -> "text".getBytes(StandardCharsets.UTF_8), "text.pt");
		checkpointCase("empty file", "empty.pt", dir -> new byte[0], "empty.pt");
		checkpointCase("zip without data.pkl", "nopickle.pt", dir -> zip(Map.of("x/version", "3\n".getBytes())), "data.pkl");
		// .npz
		checkpointCase("npz: not a zip", "text.npz", dir -> "text".getBytes(StandardCharsets.UTF_8), "text.npz");
		checkpointCase("npz: truncated", "truncated.npz", dir -> Arrays.copyOf(zip(Map.of("w.npy", npy("<f4", "(4,)", new byte[16]))), 30),
			"truncated.npz");
		checkpointCase("npz: entry not .npy", "other.npz", dir -> zip(Map.of("w.txt", "x".getBytes())), "w.txt");
		checkpointCase("npz: bad npy magic", "magic.npz", dir -> zip(Map.of("w.npy", "not numpy".getBytes())), "magic.npz");
		checkpointCase("npz: object dtype (pickled)", "object.npz", dir -> zip(Map.of("w.npy", npy("|O", "(1,)", new byte[8]))), "object.npz");
		checkpointCase("npz: unknown dtype", "dtype.npz", dir -> zip(Map.of("w.npy", npy("<c8", "(1,)", new byte[8]))), "dtype.npz");
		checkpointCase("npz: declared shape 2^31 x 2^31", "hugeshape.npz", dir -> zip(Map.of("w.npy", npy("<f4", "(2147483648, 2147483648)", new byte[8]))),
			"hugeshape.npz");
		checkpointCase("npz: negative shape", "negshape.npz", dir -> zip(Map.of("w.npy", npy("<f4", "(-4,)", new byte[16]))), "negshape.npz");
		checkpointCase("npz: data shorter than the shape", "short.npz", dir -> zip(Map.of("w.npy", npy("<f4", "(100,)", new byte[16]))), "short.npz");
		checkpointCase("npz: header not a dict", "header.npz", dir -> zip(Map.of("w.npy", npyRaw("[1, 2, 3]", new byte[0]))), "header.npz");
		checkpointCase("npz: entry a zip bomb", "bomb.npz", dir -> {
			return zip(Map.of("w.npy", bomb(npy("<f4", "(2,)", new byte[8]), (byte) 0)));
		}, "bomb.npz");
		checkpointCase("npz: empty file", "empty.npz", dir -> new byte[0], "empty.npz");
	}

	private void checkpointCase(final String name, final String fileName, final Content content, final String problem) {
		add("checkpoint", name + " [Sam2ModelFiles.readCheckpoint]", dir -> {
			final Path file = Files.write(dir.resolve(fileName), content.bytes(dir));
			return Invocation.reader(() -> Sam2ModelFiles.readCheckpoint(file), fileName, problem);
		});
		// a deeply nested pickle is read (razorvine keeps its own stack); only a state dict is refused
		if (fileName.endsWith(".pt") && !name.startsWith("deeply"))
			add("checkpoint", name + " [TorchCheckpoint.read]", dir -> {
				final Path file = Files.write(dir.resolve(fileName), content.bytes(dir));
				return Invocation.reader(() -> TorchCheckpoint.read(file), fileName, problem);
			});
		else
			add("checkpoint", name + " [Npz.read]", dir -> {
				final Path file = Files.write(dir.resolve(fileName), content.bytes(dir));
				return Invocation.reader(() -> Npz.read(file), fileName, problem);
			});
	}

	/** A torch.save-style zip around {@code pickle} (storage entries may be bombs: {@link #zip}). */
	private static byte[] torchArchive(final byte[] pickle, final Map<String, byte[]> storages) throws IOException {
		return zip(PickleBytes.archiveEntries("archive", pickle, storages));
	}

	private static byte[] npy(final String dtype, final String shape, final byte[] data) {
		return npyRaw("{'descr': '" + dtype + "', 'fortran_order': False, 'shape': " + shape + ", }", data);
	}

	private static byte[] npyRaw(final String header, final byte[] data) {
		final StringBuilder h = new StringBuilder(header);
		while ((10 + h.length() + 1) % 64 != 0)
			h.append(' ');
		h.append('\n');
		final byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
		final ByteBuffer b = ByteBuffer.allocate(10 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) hb.length).put(hb).put(data);
		return b.array();
	}

	// ---------------------------------------------------------------- Jazzer findings

	/**
	 * The inputs the Jazzer fuzz tests found (their saved inputs stay the fuzz tests' regression
	 * cases), remade here by our own writers and run through the CLI command that reaches the reader.
	 */
	private void fuzzFindings() {
		final String category = "fuzz findings";
		// CheckpointFuzzTest (unpickler): an empty data.pkl ended in razorvine's "premature end of file" IOException
		add(category, "import-sam2: empty data.pkl", dir -> importSam2(dir, "emptypickle.pt", torchArchive(new byte[0], Map.of()), "truncated"));
		// CheckpointFuzzTest (unpickler): DUP on an empty stack gave razorvine's IndexOutOfBoundsException
		add(category, "import-sam2: DUP on an empty stack", dir -> importSam2(dir, "dup.pt", torchArchive(new PickleBytes().op('2').bytes(), Map.of()),
			"fewer values"));
		// CheckpointFuzzTest (unpickler): a BINUNICODE declaring 1 GiB made razorvine allocate it (OutOfMemoryError under Jazzer's heap)
		add(category, "import-sam2: a string declaring 1 GiB in a pickle of 9 bytes", dir -> importSam2(dir, "longstring.pt",
			torchArchive(new PickleBytes().proto().op('X').op(0).op(0).op(0).op(0x40).op('a').stop().bytes(), Map.of()), "1073741824 bytes"));
		// CheckpointFuzzTest (unpickler): sizes whose product was negative (2 x -1123287039), cast to int, made the copy ask for 8 GB
		add(category, "import-sam2: a tensor of size 2 x -1123287039", dir -> importSam2(dir, "negproduct.pt",
			torchArchive(new PickleBytes().proto().emptyDict().mark().string("w").tensor("FloatStorage", "0", 4, 2, new int[] { 2, -1123287039 },
				new int[] { 1, 1 }).op('u').stop().bytes(), Map.of("0", new byte[16])), "negative size"));
		// the same search: a view of 2^30 elements with stride 0 over a storage of two would make the copy allocate 4 GiB
		add(category, "import-sam2: a tensor of 2^30 elements repeating a storage of 2 (stride 0)", dir -> importSam2(dir, "broadcast.pt",
			torchArchive(new PickleBytes().proto().emptyDict().mark().string("w").tensor("FloatStorage", "0", 2, 0, new int[] { 1 << 30 }, new int[] { 0 })
				.op('u').stop().bytes(), Map.of("0", new byte[8])), "repeat"));
		// CheckpointFuzzTest (npz): a deflated entry whose compressed data ends early gave "Unexpected end of ZLIB input stream" (EOFException)
		add(category, "import-sam2: npz entry whose deflated data ends early", dir -> {
			final byte[] archive = zip(Map.of("w.npy", npy("<f4", "(64,)", new byte[256])));
			final ByteBuffer b = ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN);
			// the central directory's compressed size, which ZipFile trusts, cut to a third
			final int central = indexOf(archive, new byte[] { 'P', 'K', 1, 2 });
			b.putInt(central + 20, b.getInt(central + 20) / 3);
			return importSam2(dir, "cutentry.npz", archive, "truncated or corrupt");
		});
		// Hdf5FuzzTest, twice: a damaged object header size made jhdf allocate what it declares (2 GiB: OutOfMemoryError), or fill
		// what it declares by reading the file's last bytes again and again (453 MiB: 15 s and 453 MiB allocated for 101 bytes)
		final int[][] chunks = { { Integer.MAX_VALUE, 2048 }, { 0x1c4a1c4a, 453 } };
		for (final int[] chunk : chunks)
			imageCases(category, "HDF5 root object header declaring a " + chunk[1] + " MiB chunk", "hugeheader" + chunk[1] + ".h5", dir -> {
				final byte[] h5 = hdf5Bytes(dir, f -> {
					f.putDataset("image", new float[2][3][4]);
					f.putDataset("label", new byte[2][3][4]);
				});
				// an object header v2: "OHDR", version, flags; flags bits 0-1 = 2: the size of chunk #0 is 4 bytes
				final int header = indexOf(h5, "OHDR".getBytes(StandardCharsets.US_ASCII));
				if (h5[header + 4] != 2 || (h5[header + 5] & 3) != 2) throw new IllegalStateException("jhdf wrote another object header layout");
				// 2^31 - 1 bytes is more than a Java array can hold, whatever the heap (0xffffffff takes another path, an ArithmeticException)
				ByteBuffer.wrap(h5).order(ByteOrder.LITTLE_ENDIAN).putInt(header + 6, chunk[0]);
				return h5;
			}, "not a readable HDF5 file");
		// SafetensorsFuzzTest: a shape entry that is a non-numeric string gave NumberFormatException; the fix also covers
		// __metadata__ that is no object of strings and shapes whose product overflows
		final String[][] headers = { { "shape entry a word", "{\"t\":{\"dtype\":\"F32\",\"shape\":[\"a\"],\"data_offsets\":[0,0]}}", "malformed" },
			{ "shape product past 2^63", "{\"t\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", "malformed" },
			{ "__metadata__ a number", "{\"__metadata__\":5,\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "__metadata__" },
			{ "__metadata__ entry an object", "{\"__metadata__\":{\"format\":{}},\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
				"__metadata__" } };
		for (final String[] h : headers)
			add(category, "train --pretrained: weights.safetensors " + h[0], dir -> {
				final Path pretrained = Files.write(dir.resolve(slug(h[0]) + ".sam2.zip"), zip(Map.of("sss-sam2.json",
					"{\"format\":\"sss-sam2\",\"format_version\":1,\"weights_sha256\":\"0\"}".getBytes(StandardCharsets.UTF_8), "config.json",
					Sam2Config.micro().toJson().toString().getBytes(StandardCharsets.UTF_8), "weights.safetensors", safetensors(h[1], new byte[4]))));
				return Invocation.cli(words(pretrained.getFileName().toString(), h[2]), "train", "--data", dataset(dir, "data").toString(), "--out",
					dir.resolve("run.sss").toString(), "--iterations", "1", "--threads", "1", "--mode", "supervised", "--backbone", "sam2-micro",
					"--pretrained", pretrained.toString());
			});
	}

	private static Invocation importSam2(final Path dir, final String fileName, final byte[] checkpoint, final String problem) throws IOException {
		final Path file = Files.write(dir.resolve(fileName), checkpoint);
		return Invocation.cli(words(fileName, problem), "import-sam2", file.toString(), "--out", dir.resolve("m.sam2.zip").toString());
	}

	/** A safetensors file: the 8-byte little-endian header length, the JSON header, the data. */
	private static byte[] safetensors(final String header, final byte[] data) {
		final byte[] h = header.getBytes(StandardCharsets.UTF_8);
		return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).put(data).array();
	}

	private static int indexOf(final byte[] bytes, final byte[] what) {
		outer: for (int i = 0; i + what.length <= bytes.length; i++) {
			for (int j = 0; j < what.length; j++)
				if (bytes[i + j] != what[j]) continue outer;
			return i;
		}
		throw new IllegalStateException("not found: " + new String(what, StandardCharsets.ISO_8859_1));
	}

	// ---------------------------------------------------------------- train --config

	private void trainConfigs() {
		final Map<String, String[]> configs = new LinkedHashMap<>();
		configs.put("invalid JSON", new String[] { "{\"lr\": ", "not valid JSON" });
		configs.put("empty file", new String[] { "", "JSON object" });
		configs.put("a JSON array", new String[] { "[1, 2]", "JSON object" });
		configs.put("a JSON string", new String[] { "\"lr\"", "JSON object" });
		configs.put("unknown key", new String[] { "{\"learningRate\": 0.1}", "learningRate" });
		configs.put("misspelt key", new String[] { "{\"iteration\": 10}", "iteration" });
		configs.put("lr -1", new String[] { "{\"lr\": -1}", "lr" });
		configs.put("lr 0", new String[] { "{\"lr\": 0}", "lr" });
		configs.put("lr a string", new String[] { "{\"lr\": \"fast\"}", "lr" });
		configs.put("lr NaN text", new String[] { "{\"lr\": \"NaN\"}", "lr" });
		configs.put("lr an object", new String[] { "{\"lr\": {}}", "lr" });
		configs.put("lr an array", new String[] { "{\"lr\": [0.1]}", "lr" });
		configs.put("crop 0", new String[] { "{\"crop\": 0}", "crop" });
		configs.put("crop -64", new String[] { "{\"crop\": -64}", "crop" });
		configs.put("crop 1.5", new String[] { "{\"crop\": 1.5}", "crop" });
		configs.put("crop 1e12", new String[] { "{\"crop\": 1e12}", "crop" });
		configs.put("batch 0", new String[] { "{\"batch\": 0}", "batch" });
		configs.put("batch -1", new String[] { "{\"batch\": -1}", "batch" });
		configs.put("batch true", new String[] { "{\"batch\": true}", "batch" });
		configs.put("iterations -5", new String[] { "{\"iterations\": -5}", "iterations" });
		configs.put("iterations text", new String[] { "{\"iterations\": \"many\"}", "iterations" });
		configs.put("budgetMinutes -1", new String[] { "{\"budgetMinutes\": -1}", "budgetMinutes" });
		configs.put("mode unknown", new String[] { "{\"mode\": \"magic\"}", "mode" });
		configs.put("backbone unknown", new String[] { "{\"backbone\": \"vit-huge\"}", "backbone" });
		configs.put("optimizer unknown", new String[] { "{\"optimizer\": \"lbfgs\"}", "optimizer" });
		configs.put("dfe not a boolean", new String[] { "{\"dfe\": \"maybe\"}", "dfe" });
		configs.put("seed text", new String[] { "{\"seed\": \"x\"}", "seed" });
		configs.put("threads -2", new String[] { "{\"threads\": -2}", "threads" });
		configs.put("validationInterval 0", new String[] { "{\"validationInterval\": 0}", "validationInterval" });
		configs.put("encoderLr -0.1", new String[] { "{\"encoderLr\": -0.1}", "encoderLr" });
		configs.put("promptProbability 2", new String[] { "{\"promptProbability\": 2}", "promptProbability" });
		configs.put("sequenceLength 0", new String[] { "{\"sequenceLength\": 0}", "sequenceLength" });
		configs.put("emaMax 1.5", new String[] { "{\"emaMax\": 1.5}", "emaMax" });
		for (final Map.Entry<String, String[]> e : configs.entrySet()) {
			final String fileName = "config-" + slug(e.getKey()) + ".json";
			add("train --config", e.getKey(), dir -> {
				final Path file = Files.writeString(dir.resolve(fileName), e.getValue()[0]);
				return Invocation.cli(words(fileName, e.getValue()[1]), "train", "--data", dir.toString(), "--out", dir.resolve("run").toString(),
					"--config", file.toString());
			});
		}
		add("train --config", "config a folder", dir -> {
			final Path folder = Files.createDirectory(dir.resolve("confdir.json"));
			return Invocation.cli(words("confdir.json"), "train", "--data", dir.toString(), "--out", dir.resolve("run").toString(), "--config",
				folder.toString());
		});
		add("train --config", "config file missing", dir -> Invocation.cli(words("none.json", "does not exist"), "train", "--data", dir.toString(),
			"--out", dir.resolve("run").toString(), "--config", dir.resolve("none.json").toString()));
	}

	// ---------------------------------------------------------------- prompt JSON files (PromptsJson.read: no CLI command reads them)

	private void prompts() {
		final Map<String, String[]> files = new LinkedHashMap<>();
		files.put("invalid JSON", new String[] { "{\"prompts\": [", "not valid JSON" });
		files.put("empty file", new String[] { "", "prompts" });
		files.put("no prompts array", new String[] { "{\"points\": []}", "prompts" });
		files.put("prompts not an array", new String[] { "{\"prompts\": 3}", "prompts" });
		files.put("prompt not an object", new String[] { "{\"prompts\": [1]}", "prompt 0" });
		files.put("prompt without class", new String[] { "{\"prompts\": [{\"slice\": 0}]}", "class" });
		files.put("class a string", new String[] { "{\"prompts\": [{\"class\": \"LV\", \"slice\": 0}]}", "class" });
		files.put("class -1", new String[] { "{\"prompts\": [{\"class\": -1, \"slice\": 0, \"box\": [0,0,1,1]}]}", "class" });
		files.put("slice -1", new String[] { "{\"prompts\": [{\"class\": 1, \"slice\": -1, \"box\": [0,0,1,1]}]}", "slice" });
		files.put("class 1e20", new String[] { "{\"prompts\": [{\"class\": 1e20, \"slice\": 0}]}", "class" });
		files.put("box with 3 numbers", new String[] { "{\"prompts\": [{\"class\": 1, \"slice\": 0, \"box\": [0,0,1]}]}", "box" });
		files.put("box holding text", new String[] { "{\"prompts\": [{\"class\": 1, \"slice\": 0, \"box\": [\"a\",0,1,1]}]}", "box" });
		files.put("a root array", new String[] { "[]", "prompts" });
		for (final Map.Entry<String, String[]> e : files.entrySet()) {
			final String fileName = "prompts-" + slug(e.getKey()) + ".json";
			add("prompt JSON", e.getKey() + " [PromptsJson.read]", dir -> {
				final Path file = Files.writeString(dir.resolve(fileName), e.getValue()[0]);
				return Invocation.reader(() -> PromptsJson.read(file), fileName, e.getValue()[1]);
			});
		}
	}

	// ---------------------------------------------------------------- predict --list and split lists

	private void predictLists() {
		final Map<String, String[]> lists = new LinkedHashMap<>();
		lists.put("empty list", new String[] { "", "lists no files" });
		lists.put("only blank lines", new String[] { "\n\n  \n", "lists no files" });
		lists.put("a missing name", new String[] { "GOOD\nmissing.nii.gz\n", "missing.nii.gz" });
		lists.put("a folder as entry", new String[] { "FOLDER\n", "list.txt" });
		for (final Map.Entry<String, String[]> e : lists.entrySet())
			add("predict --list", e.getKey(), dir -> {
				final String text = e.getValue()[0].replace("GOOD", goodLabels(dir).toString()).replace("FOLDER", dir.toString())
					.replace("missing.nii.gz", dir.resolve("missing.nii.gz").toString());
				final Path list = Files.writeString(dir.resolve("list.txt"), text);
				final Path model = Files.write(dir.resolve("m.sss"), goodModel());
				return Invocation.cli(words("list.txt", e.getValue()[1]), "predict", "--model", model.toString(), "--list", list.toString(), "--out",
					dir.resolve("out").toString());
			});
		add("predict --list", "two inputs with one base name", dir -> {
			final Path a = Files.createDirectories(dir.resolve("a")), b = Files.createDirectories(dir.resolve("b"));
			Files.write(a.resolve("x.nii"), nifti1(h -> {}));
			Files.write(b.resolve("x.nii"), nifti1(h -> {}));
			final Path list = Files.writeString(dir.resolve("list.txt"), a.resolve("x.nii") + "\n" + b.resolve("x.nii") + "\n");
			final Path model = Files.write(dir.resolve("m.sss"), goodModel());
			return Invocation.cli(words("x.nii", "same base name"), "predict", "--model", model.toString(), "--list", list.toString(), "--out",
				dir.resolve("out").toString());
		});
		add("predict --input", "an empty folder", dir -> {
			final Path in = Files.createDirectories(dir.resolve("in"));
			final Path model = Files.write(dir.resolve("m.sss"), goodModel());
			return Invocation.cli(words("in", "no image files"), "predict", "--model", model.toString(), "--input", in.toString(), "--out",
				dir.resolve("out").toString());
		});
		add("predict --input", "a folder of files no reader takes", dir -> {
			final Path in = Files.createDirectories(dir.resolve("in"));
			Files.writeString(in.resolve("notes.txt"), "not an image");
			final Path model = Files.write(dir.resolve("m.sss"), goodModel());
			return Invocation.cli(words("in", "no image files", "notes.txt: unsupported file type"), "predict", "--model", model.toString(), "--input",
				in.toString(), "--out", dir.resolve("out").toString());
		});
		// split lists of train --split PATH/labeled.txt, in an ACDC (UniMatch) layout
		final Map<String, String[]> splits = new LinkedHashMap<>();
		splits.put("split list empty", new String[] { "", "labeled.txt" });
		splits.put("split list naming a missing case", new String[] { "patient999_frame01\n", ".txt" });
		splits.put("split list of blank lines", new String[] { "\n \n", "labeled.txt" });
		for (final Map.Entry<String, String[]> e : splits.entrySet())
			add("split list", e.getKey(), dir -> {
				final Path data = dataset(dir, "data");
				final Path split = Files.writeString(dir.resolve("labeled.txt"), e.getValue()[0]);
				return Invocation.cli(words(e.getValue()[1]), "train", "--data", data.toString(), "--split", split.toString(), "--out",
					dir.resolve("run").toString(), "--iterations", "1");
			});
		add("split list", "split list missing", dir -> Invocation.cli(words("nosplit.txt"), "train", "--data", dataset(dir, "data").toString(),
			"--split", dir.resolve("nosplit.txt").toString(), "--out", dir.resolve("run").toString(), "--iterations", "1"));
		add("split list", "split number for a folder dataset", dir -> Invocation.cli(words("split '3'"), "train", "--data",
			dataset(dir, "data").toString(), "--split", "3", "--out", dir.resolve("run").toString(), "--iterations", "1"));
	}

	// ---------------------------------------------------------------- dataset folders

	/** A small valid folder dataset: images/ and labels/ with two 4 x 3 x 2 cases. */
	static Path dataset(final Path dir, final String name) throws IOException {
		final Path root = dir.resolve(name);
		if (Files.exists(root)) return root;
		Files.createDirectories(root.resolve("images"));
		Files.createDirectories(root.resolve("labels"));
		Files.createDirectories(root.resolve("unlabeled"));
		Files.write(root.resolve("unlabeled").resolve("u.nii"), nifti1(h -> {}));
		for (final String c : new String[] { "a", "b" }) {
			Files.write(root.resolve("images").resolve(c + ".nii"), nifti1(h -> {}));
			Files.write(root.resolve("labels").resolve(c + ".nii"), nifti1(h -> {}));
		}
		return root;
	}

	interface DatasetChange {
		void apply(Path root) throws IOException;
	}

	private void datasetCase(final String name, final DatasetChange change, final String... expected) {
		add("dataset folder", name, dir -> {
			final Path root = dataset(dir, "data");
			change.apply(root);
			return Invocation.cli(words(expected), "train", "--data", root.toString(), "--out", dir.resolve("run").toString(), "--iterations", "1",
				"--threads", "1");
		});
	}

	private void datasets() {
		datasetCase("label shape differs from its image", root -> Files.write(root.resolve("labels/a.nii"), nifti1(dims1(3, 4, 3, 1))), "a.nii",
			"differ");
		datasetCase("label 2-D, image 3-D", root -> Files.write(root.resolve("labels/b.nii"), nifti1(dims1(2, 4, 3))), "b.nii");
		datasetCase("labels outside classes.txt", root -> {
			Files.writeString(root.resolve("classes.txt"), "background\n");
			Files.write(root.resolve("labels/a.nii"), nifti1(h -> {}));
		}, "classes.txt");
		datasetCase("label with fractional values", root -> Files.write(root.resolve("labels/a.nii"), floatLabels(0.5f)), "a.nii");
		datasetCase("label with negative values", root -> Files.write(root.resolve("labels/a.nii"), nifti1(h -> {
			h.putShort(70, (short) 256).put(352 + 2, (byte) -1);
		})), "a.nii", "-1");
		datasetCase("empty images folder", root -> {
			for (final String c : new String[] { "a", "b" }) {
				Files.delete(root.resolve("images").resolve(c + ".nii"));
				Files.delete(root.resolve("labels").resolve(c + ".nii"));
			}
		}, "data");
		datasetCase("image without a label", root -> Files.delete(root.resolve("labels/b.nii")), "b");
		datasetCase("label without an image", root -> Files.write(root.resolve("labels/c.nii"), nifti1(h -> {})), "c");
		datasetCase("a damaged image", root -> Files.write(root.resolve("images/b.nii"), Arrays.copyOf(nifti1(h -> {}), 100)), "b.nii");
		datasetCase("a damaged label", root -> Files.write(root.resolve("labels/a.nii"), nifti1(h -> h.putShort(70, (short) 1234))), "a.nii",
			"datatype");
		datasetCase("classes.txt empty", root -> Files.writeString(root.resolve("classes.txt"), ""), "classes.txt");
		datasetCase("dataset.json invalid", root -> Files.writeString(root.resolve("dataset.json"), "{\"labels\": "), "dataset.json");
		datasetCase("dataset.json labels not an object", root -> Files.writeString(root.resolve("dataset.json"), "{\"labels\": 5}"), "dataset.json");
		datasetCase("labels outside a classes.txt of two classes", root -> {
			Files.writeString(root.resolve("classes.txt"), "background\nLV\n");
			Files.write(root.resolve("labels/b.nii"), nifti1(h -> h.put(352 + 3, (byte) 2)));
		}, "b.nii", "[2]", "classes.txt");
		for (final String[] bad : new String[][] { { "missing.sam2.zip", null }, { "text.sam2.zip", "not a zip" }, { "empty.sam2.zip", "" } })
			add("dataset folder", "train --pretrained " + bad[0] + " leaves no run folder", dir -> {
				final Path pretrained = dir.resolve(bad[0]);
				if (bad[1] != null) Files.writeString(pretrained, bad[1]);
				return Invocation.cli(words(bad[0]), "train", "--data", dataset(dir, "data").toString(), "--out", dir.resolve("run.sss").toString(),
					"--iterations", "1", "--threads", "1", "--mode", "supervised", "--backbone", "sam2-micro", "--pretrained", pretrained.toString());
			});
		add("dataset folder", "empty folder", dir -> Invocation.cli(words("empty"), "train", "--data",
			Files.createDirectories(dir.resolve("empty")).toString(), "--out", dir.resolve("run").toString(), "--iterations", "1"));
		add("dataset folder", "--data a file", dir -> Invocation.cli(words("good.nii"), "train", "--data", goodLabels(dir).toString(), "--out",
			dir.resolve("run").toString(), "--iterations", "1"));
	}

	/** A 4 x 3 x 2 float32 NIfTI-1 label map holding {@code v} in its first voxel. */
	private static byte[] floatLabels(final float v) {
		final ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(nifti1(h -> {}), 352 + 24 * 4)).order(ByteOrder.LITTLE_ENDIAN);
		b.putShort(70, (short) 16).putShort(72, (short) 32);
		for (int i = 0; i < 24; i++)
			b.putFloat(352 + 4 * i, i == 0 ? v : 0);
		return b.array();
	}

	// ---------------------------------------------------------------- CLI values

	private void cliValues() {
		// {name, expected words, args...}; GOOD is a valid label map, DIR the case folder, OUT an output folder, MODEL a valid model
		final String[][] lines = {
			{ "unknown command", "unknown command", "frobnicate" },
			{ "info: no file", "missing FILE", "info" },
			{ "info: two files", "expected one FILE", "info", "GOOD", "GOOD" },
			{ "info: missing file", "does not exist", "info", "DIR/none.nii" },
			{ "info: unknown option", "unknown option --verbose", "info", "GOOD", "--verbose" },
			{ "info: a folder", "DIR", "info", "DIR" },
			{ "info: unknown extension", "x.xyz", "info", "XYZ" },
			{ "info: --max-voxels 0", "option --max-voxels: '0' must be at least 1", "info", "GOOD", "--max-voxels", "0" },
			{ "info: --max-voxels not a number", "option --max-voxels: 'lots'", "info", "GOOD", "--max-voxels", "lots" },
			{ "info: an image above --max-voxels", "more than the limit of 10 voxels", "info", "GOOD", "--max-voxels", "10" },
			{ "pcsw: an image above --max-voxels", "more than the limit of 23 voxels", "pcsw", "--input", "GOOD", "--out", "OUT", "--max-voxels", "23" },
			{ "evaluate: no --pred", "--pred", "evaluate", "--gt", "GOOD" },
			{ "evaluate: no --gt", "--gt", "evaluate", "--pred", "GOOD" },
			{ "evaluate: --pred missing file", "none.nii", "evaluate", "--pred", "DIR/none.nii", "--gt", "GOOD" },
			{ "evaluate: --classes -1", "classes", "evaluate", "--pred", "GOOD", "--gt", "GOOD", "--classes", "-1" },
			{ "evaluate: --classes text", "classes", "evaluate", "--pred", "GOOD", "--gt", "GOOD", "--classes", "LV" },
			{ "evaluate: --classes NaN", "classes", "evaluate", "--pred", "GOOD", "--gt", "GOOD", "--classes", "NaN" },
			{ "evaluate: --classes 1,,2", "classes", "evaluate", "--pred", "GOOD", "--gt", "GOOD", "--classes", "1,,2" },
			{ "evaluate: --classes 2^40", "classes", "evaluate", "--pred", "GOOD", "--gt", "GOOD", "--classes", "1099511627776" },
			{ "evaluate: --out a folder", "--out", "evaluate", "--pred", "GOOD", "--gt", "GOOD", "--out", "DIR" },
			{ "evaluate: --out in a missing folder", "--out", "evaluate", "--pred", "GOOD", "--gt", "GOOD", "--out", "DIR/no/m.csv" },
			{ "evaluate: unknown option", "unknown option --dice", "evaluate", "--pred", "GOOD", "--gt", "GOOD", "--dice" },
			{ "evaluate: option twice", "given twice", "evaluate", "--pred", "GOOD", "--pred", "GOOD", "--gt", "GOOD" },
			{ "evaluate: stray argument", "unexpected argument", "evaluate", "--pred", "GOOD", "--gt", "GOOD", "extra" },
			{ "evaluate: shapes differ", "shape", "evaluate", "--pred", "GOOD", "--gt", "OTHER" },
			{ "pcsw: no --input", "--input", "pcsw", "--out", "OUT" },
			{ "pcsw: no --out", "--out", "pcsw", "--input", "GOOD" },
			{ "pcsw: --out a file", "is a file", "pcsw", "--input", "GOOD", "--out", "GOOD" },
			{ "pcsw: --probabilities missing", "none.nii", "pcsw", "--input", "GOOD", "--probabilities", "DIR/none.nii", "--out", "OUT" },
			{ "pcsw: --probabilities of another size", "probabilities.nii", "pcsw", "--input", "GOOD", "--probabilities", "PROB", "--out", "OUT" },
			{ "pcsw: unknown option", "unknown option --foo", "pcsw", "--input", "GOOD", "--out", "OUT", "--foo", "1" },
		};
		for (final String[] line : lines)
			add("CLI values", line[0], dir -> {
				final String[] argv = Arrays.copyOfRange(line, 2, line.length);
				for (int i = 0; i < argv.length; i++)
					argv[i] = substitute(argv[i], dir);
				return Invocation.cli(words(line[1].replace("DIR", dir.getFileName().toString())), argv);
			});
		// each numeric option of pcsw, predict and train with negative, NaN, text and missing values
		// {option, the parameter named when the value is a number out of range}
		final String[][] pcswOptions = { { "window", "window" }, { "min-support", "minSupport" }, { "min-area", "minArea" }, { "iou", "iou" },
			{ "d-max", "maxCentroidDistance" }, { "area-ratio", "maxAreaRatio" }, { "prompt-freq", "promptFrequency" }, { "confidence", "confidence" } };
		for (final String[] option : pcswOptions)
			for (final String value : new String[] { "-1", "NaN", "abc", "Infinity" })
				add("CLI values", "pcsw --" + option[0] + " " + value, dir -> Invocation.cli(words(value.equals("-1") ? option[1] : option[0]), "pcsw",
					"--input", goodLabels(dir).toString(), "--out", dir.resolve("out").toString(), "--" + option[0], value));
		for (final String value : new String[] { "released", "Continuity", "" })
			add("CLI values", "pcsw --rule '" + value + "'", dir -> Invocation.cli(words("--rule"), "pcsw", "--input", goodLabels(dir).toString(), "--out",
				dir.resolve("out").toString(), "--rule", value));
		for (final String value : new String[] { "maybe", "1,x" })
			add("CLI values", "pcsw --single-instance " + value, dir -> Invocation.cli(words("single-instance"), "pcsw", "--input",
				goodLabels(dir).toString(), "--out", dir.resolve("out").toString(), "--single-instance", value));
		final String[][] predictValues = { { "batch", "0" }, { "batch", "-3" }, { "batch", "NaN" }, { "batch", "1e3" }, { "threads", "x" },
			{ "threads", "-2" }, { "overwrite", "yes" }, { "confidence", "2" }, { "tta", "perhaps" }, { "device", "gpu9" }, { "device", "" }, { "format", "png" }, { "format", "" } };
		for (final String[] pv : predictValues)
			add("CLI values", "predict --" + pv[0] + " '" + pv[1] + "'", dir -> {
				final Path model = Files.write(dir.resolve("m.sss"), goodModel());
				return Invocation.cli(words(pv[0]), "predict", "--model", model.toString(), "--input", goodLabels(dir).toString(), "--out",
					dir.resolve("out").toString(), "--" + pv[0], pv[1]);
			});
		final String[][] predictLines = {
			{ "predict: no --model", "--model", "--input", "GOOD", "--out", "OUT" },
			{ "predict: --model missing", "none.sss", "--model", "DIR/none.sss", "--input", "GOOD", "--out", "OUT" },
			{ "predict: both --input and --list", "exactly one", "--model", "MODEL", "--input", "GOOD", "--list", "GOOD", "--out", "OUT" },
			{ "predict: neither --input nor --list", "exactly one", "--model", "MODEL", "--out", "OUT" },
			{ "predict: no --out", "--out", "--model", "MODEL", "--input", "GOOD" },
			{ "predict: unknown option", "unknown option --fast", "--model", "MODEL", "--input", "GOOD", "--out", "OUT", "--fast" },
			{ "predict: --model a folder", "DIR", "--model", "DIR", "--input", "GOOD", "--out", "OUT" },
		};
		for (final String[] line : predictLines)
			add("CLI values", line[0], dir -> {
				final String[] argv = new String[line.length - 1];
				argv[0] = "predict";
				for (int i = 2; i < line.length; i++)
					argv[i - 1] = substitute(line[i], dir);
				return Invocation.cli(words(line[1].replace("DIR", dir.getFileName().toString())), argv);
			});
		final String[][] trainValues = { { "lr", "-1" }, { "lr", "NaN" }, { "lr", "0" }, { "crop", "0" }, { "crop", "-8" }, { "batch", "0" },
			{ "batch", "x" }, { "iterations", "-1" }, { "iterations", "1.5" }, { "budget-minutes", "-2" }, { "budget-minutes", "NaN" },
			{ "seed", "abc" }, { "threads", "-1" }, { "mode", "teacher" }, { "backbone", "sam3" }, { "optimizer", "adam9" }, { "dfe", "2" },
			{ "pcsw", "perhaps" }, { "validation-interval", "0" }, { "pcsw-interval", "-1" }, { "encoder-lr", "-1" },
			{ "prompt-probability", "1.5" }, { "sequence-length", "-1" }, { "prompt-frequency", "0" }, { "ema-max", "NaN" }, { "device", "tpu" },
			{ "pcsw-rule", "released" }, { "test", "maybe" } };
		for (final String[] tv : trainValues)
			add("CLI values", "train --" + tv[0] + " '" + tv[1] + "'", dir -> Invocation.cli(words(tv[0].equals("device") ? "device" : camel(tv[0])),
				"train", "--data", dataset(dir, "data").toString(), "--out", dir.resolve("run").toString(), "--" + tv[0], tv[1]));
		final String[][] trainLines = {
			{ "train: no --data", "--data", "--out", "OUT" },
			{ "train: --data missing", "none", "--data", "DIR/none", "--out", "OUT" },
			{ "train: no --out", "--out", "--data", "DATA" },
			{ "train: unknown option", "unknown option --epochs", "--data", "DATA", "--out", "OUT", "--epochs", "3" },
			{ "train: --resume without a run", "OUT", "--data", "DATA", "--out", "OUT", "--resume" },
			{ "train: --resume with --config", "good.nii", "--data", "DATA", "--out", "OUT", "--resume", "--config", "GOOD" },
			{ "train: --out a file", "good.nii", "--data", "DATA", "--out", "GOOD", "--iterations", "1" },
			{ "train: --test without a test role", "needs a test role", "--data", "DATA", "--out", "OUT", "--test", "true", "--iterations", "1" },
		};
		for (final String[] line : trainLines)
			add("CLI values", line[0], dir -> {
				final String[] argv = new String[line.length - 1];
				argv[0] = "train";
				for (int i = 2; i < line.length; i++)
					argv[i - 1] = substitute(line[i], dir);
				return Invocation.cli(words(line[1].replace("DIR", dir.getFileName().toString()).replace("OUT", "out")), argv);
			});
		final String[][] otherLines = {
			{ "parity: no folder", "missing", "parity" },
			{ "parity: folder missing", "none", "parity", "DIR/none" },
			{ "parity: an empty folder", "config.json", "parity", "DIR" },
			{ "parity: unknown option", "unknown option --tolerance", "parity", "DIR", "--tolerance", "1" },
			{ "parity: --device unknown", "device", "parity", "DIR", "--device", "quantum" },
			{ "import-sam2: no checkpoint", "missing CHECKPOINT", "import-sam2", "--out", "DIR/m.sam2.zip" },
			{ "import-sam2: checkpoint missing", "none.pt", "import-sam2", "DIR/none.pt", "--out", "DIR/m.sam2.zip" },
			{ "import-sam2: no --out", "out", "import-sam2", "GOOD" },
			{ "import-sam2: not a checkpoint", "good.nii", "import-sam2", "GOOD", "--out", "DIR/m.sam2.zip" },
			{ "import-sam2: a text file as .pt", "x.pt", "import-sam2", "TEXT_PT", "--out", "DIR/m.sam2.zip" },
			{ "import-sam2: --out a folder", "folder", "import-sam2", "TEXT_PT", "--out", "DIR" },
			{ "import-sam2: unknown option", "unknown option --force", "import-sam2", "TEXT_PT", "--out", "DIR/m.sam2.zip", "--force", "1" },
			{ "demo: unknown option", "unknown option --fast", "demo", "--fast" },
			{ "demo: --iterations -1", "iterations", "demo", "--iterations", "-1", "--out", "OUT" },
			{ "demo: --budget-minutes NaN", "budget-minutes", "demo", "--budget-minutes", "NaN", "--out", "OUT" },
			{ "demo: --data missing", "none", "demo", "--data", "DIR/none", "--out", "OUT" },
		};
		for (final String[] line : otherLines)
			add("CLI values", line[0], dir -> {
				final String[] argv = Arrays.copyOfRange(line, 2, line.length);
				for (int i = 0; i < argv.length; i++)
					argv[i] = substitute(argv[i], dir);
				return Invocation.cli(words(line[1].replace("DIR", dir.getFileName().toString())), argv);
			});
	}

	/** Replaces the placeholders of a CLI value by files made in {@code dir}. */
	private static String substitute(final String value, final Path dir) throws IOException {
		switch (value) {
			case "GOOD":
				return goodLabels(dir).toString();
			case "OTHER":
				return Files.write(dir.resolve("other.nii"), Arrays.copyOf(nifti1(dims1(3, 5, 3, 2)), 352 + 30)).toString();
			case "PROB":
				return Files.write(dir.resolve("probabilities.nii"), nifti1(dims1(3, 7, 7, 7))).toString();
			case "XYZ":
				return Files.writeString(dir.resolve("x.xyz"), "what").toString();
			case "TEXT_PT":
				return Files.writeString(dir.resolve("x.pt"), "not a checkpoint").toString();
			case "MODEL":
				return Files.write(dir.resolve("m.sss"), goodModel()).toString();
			case "DATA":
				return dataset(dir, "data").toString();
			case "OUT":
				return dir.resolve("out").toString();
			default:
				return value.startsWith("DIR") ? dir + value.substring(3) : value;
		}
	}

	/** {@code budget-minutes} as {@code budgetMinutes}. */
	private static String camel(final String option) {
		final StringBuilder s = new StringBuilder();
		for (int i = 0; i < option.length(); i++)
			if (option.charAt(i) == '-' && i + 1 < option.length()) s.append(Character.toUpperCase(option.charAt(++i)));
			else s.append(option.charAt(i));
		return s.toString();
	}

	static String slug(final String name) {
		return name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
	}

	static byte[] gzip(final byte[] bytes) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (OutputStream gz = new GZIPOutputStream(out)) {
			gz.write(bytes);
		}
		catch (final IOException e) {
			throw new java.io.UncheckedIOException(e); // in memory: does not happen
		}
		return out.toByteArray();
	}
}
