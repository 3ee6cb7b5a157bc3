package io.github.sssfiji.io.torch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes checkpoints in the form Meta publishes SAM 2's ({@code torch.save({"model": state_dict})} with
 * torch 1.6 or later): a zip with {@code <stem>/data.pkl} (protocol 2; the state dict an
 * {@code OrderedDict} with its {@code _metadata} set by BUILD, each tensor
 * {@code _rebuild_tensor_v2} of its own float32 storage), {@code <stem>/data/<key>} little-endian storages,
 * {@code <stem>/byteorder} and {@code <stem>/version}. For tests that need an official-format
 * checkpoint of a real preset without shipping one: the values are random, the keys and shapes those given
 * (in their order).
 */
public final class OfficialCheckpoints {

	private OfficialCheckpoints() {}

	/**
	 * A random state dict with the given keys and shapes: every tensor 0.02 N(0, 1), LayerNorm weights
	 * ({@code norm} in the name, ending in {@code .weight}) 1 + 0.02 N(0, 1), drawn in key order from
	 * {@code seed}, written to {@code file} under {@code "model"}.
	 */
	public static void writeRandom(final Path file, final Map<String, long[]> shapes, final long seed) throws IOException {
		final SplittableRandom random = new SplittableRandom(seed);
		final String stem = stem(file);
		final PickleBytes pickle = new PickleBytes().proto().emptyDict().mark();
		pickle.string("model");
		pickle.global("collections", "OrderedDict").emptyTuple().reduce();
		pickle.mark();
		int key = 0;
		for (final Map.Entry<String, long[]> e : shapes.entrySet()) {
			final long[] shape = e.getValue();
			final int[] size = new int[shape.length], stride = new int[shape.length];
			long numel = 1;
			for (int d = shape.length - 1; d >= 0; d--) {
				size[d] = Math.toIntExact(shape[d]);
				stride[d] = (int) numel;
				numel *= shape[d];
			}
			pickle.string(e.getKey()).tensor("FloatStorage", Integer.toString(key++), Math.toIntExact(numel), 0, size, stride);
		}
		pickle.setItems();
		pickle.emptyDict().mark().string("_metadata").global("collections", "OrderedDict").emptyTuple().reduce().setItems().build();
		pickle.setItems().stop();

		try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
			// torch stores its entries uncompressed; random floats would not compress anyway
			zip.setLevel(Deflater.NO_COMPRESSION);
			put(zip, stem + "/data.pkl", pickle.bytes());
			put(zip, stem + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
			key = 0;
			for (final Map.Entry<String, long[]> e : shapes.entrySet()) {
				long numel = 1;
				for (final long s : e.getValue())
					numel *= s;
				final boolean layerNorm = e.getKey().contains("norm") && e.getKey().endsWith(".weight");
				final ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(numel * 4)).order(ByteOrder.LITTLE_ENDIAN);
				for (long i = 0; i < numel; i++)
					b.putFloat((float) ((layerNorm ? 1 : 0) + 0.02 * gaussian(random)));
				put(zip, stem + "/data/" + key++, b.array());
			}
			put(zip, stem + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
		}
	}

	private static double gaussian(final SplittableRandom random) {
		// Box-Muller; SplittableRandom has no nextGaussian before Java 17's RandomGenerator default
		final double u = 1 - random.nextDouble(), v = random.nextDouble();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	private static String stem(final Path file) {
		final String name = file.getFileName().toString();
		final int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(0, dot) : name;
	}

	private static void put(final ZipOutputStream zip, final String name, final byte[] data) throws IOException {
		zip.putNextEntry(new ZipEntry(name));
		zip.write(data);
		zip.closeEntry();
	}
}
