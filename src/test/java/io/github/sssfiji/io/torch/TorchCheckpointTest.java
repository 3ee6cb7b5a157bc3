package io.github.sssfiji.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;

/** Reading torch zip checkpoints: the SAM 2 fixture, hand-built dtype/stride cases, and hostile files. */
class TorchCheckpointTest {

	@TempDir
	Path tmp;

	@Test
	void fixtureCheckpointMatchesKeysTableAndNpzExactly() throws IOException {
		final Path dir = TestData.sam2Parity();
		final StateDict pt = TorchCheckpoint.readStateDict(dir.resolve("weights.pt"));
		final StateDict npz = Npz.read(dir.resolve("weights.npz"));
		final List<String> rows = Files.readAllLines(dir.resolve("keys.tsv"));
		assertEquals(rows.size() - 1, pt.size());
		assertEquals(468, pt.size());
		for (final String row : rows.subList(1, rows.size())) {
			final String[] f = row.split("\t");
			final long[] shape = Arrays.stream(f[1].replaceAll("[\\[\\] ]", "").split(",")).filter(s -> !s.isEmpty())
				.mapToLong(Long::parseLong).toArray();
			assertArrayEquals(shape, pt.get(f[0]).shape(), f[0]);
			assertEquals(Long.parseLong(f[3]), pt.get(f[0]).numel(), f[0]);
			assertArrayEquals(pt.get(f[0]).floats(), npz.get(f[0]).floats(), f[0]);
			assertArrayEquals(shape, npz.get(f[0]).shape(), f[0]);
		}
		assertTrue(List.copyOf(pt.names()).equals(List.copyOf(npz.names())), "both files keep state_dict order");
		assertEquals("maskmem_tpos_enc", pt.names().iterator().next());
	}

	@Test
	void handBuiltDtypesStridesOffsetsAndScalars() throws IOException {
		final PickleBytes p = new PickleBytes().proto().emptyDict().mark();
		p.string("model");
		// an OrderedDict state_dict with _metadata set through BUILD, as nn.Module.state_dict() pickles it
		p.global("collections", "OrderedDict").emptyTuple().reduce();
		p.mark();
		p.string("half").tensor("HalfStorage", "0", 4, 0, new int[] { 4 }, new int[] { 1 });
		p.string("bf16").tensor("BFloat16Storage", "1", 2, 0, new int[] { 2 }, new int[] { 1 });
		p.string("transposed").tensor("FloatStorage", "2", 6, 0, new int[] { 3, 2 }, new int[] { 1, 3 });
		p.string("offset").tensor("FloatStorage", "2", 6, 2, new int[] { 2 }, new int[] { 2 });
		p.string("scalar").tensor("FloatStorage", "2", 6, 1, new int[0], new int[0]);
		p.string("long").tensor("LongStorage", "3", 2, 0, new int[] { 2, 1 }, new int[] { 1, 1 });
		p.string("param").global("torch._utils", "_rebuild_parameter").mark()
			.tensor("FloatStorage", "2", 6, 4, new int[] { 2 }, new int[] { 1 }).newFalse()
			.global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
		p.setItems();
		p.emptyDict().mark().string("_metadata").global("collections", "OrderedDict").emptyTuple().reduce().setItems().build();
		p.setItems().stop();

		final Map<String, byte[]> storages = new LinkedHashMap<>();
		storages.put("0", le(2, b -> {
			b.putShort((short) 0x3e00); // 1.5
			b.putShort((short) 0xc000); // -2
			b.putShort((short) 0x7bff); // 65504, largest half
			b.putShort((short) 0x0001); // 2^-24, smallest subnormal
		}, 4));
		storages.put("1", le(2, b -> {
			b.putShort((short) 0x3f80); // 1.0
			b.putShort((short) 0xc060); // -3.5
		}, 2));
		storages.put("2", le(4, b -> {
			for (int i = 0; i < 6; i++) b.putFloat(i);
		}, 6));
		storages.put("3", le(8, b -> {
			b.putLong(7);
			b.putLong(-9_000_000_000L);
		}, 2));
		final Path file = tmp.resolve("hand.pt");
		PickleBytes.writeArchive(file, "hand", p.bytes(), storages);

		final StateDict sd = TorchCheckpoint.readStateDict(file);
		assertEquals(List.of("half", "bf16", "transposed", "offset", "scalar", "long", "param"), List.copyOf(sd.names()));
		assertArrayEquals(new float[] { 1.5f, -2f, 65504f, 0x1p-24f }, sd.get("half").floats());
		assertEquals(TensorType.FLOAT16, sd.get("half").sourceType());
		assertArrayEquals(new float[] { 1f, -3.5f }, sd.get("bf16").floats());
		assertArrayEquals(new float[] { 0, 3, 1, 4, 2, 5 }, sd.get("transposed").floats());
		assertArrayEquals(new long[] { 3, 2 }, sd.get("transposed").shape());
		assertArrayEquals(new float[] { 2, 4 }, sd.get("offset").floats());
		assertArrayEquals(new long[0], sd.get("scalar").shape());
		assertArrayEquals(new float[] { 1 }, sd.get("scalar").floats());
		assertArrayEquals(new long[] { 7, -9_000_000_000L }, sd.get("long").longs());
		assertArrayEquals(new float[] { 4, 5 }, sd.get("param").floats());
	}

	@Test
	void bigEndianArchiveIsHonoured() throws IOException {
		final PickleBytes p = new PickleBytes().proto().emptyDict().mark()
			.string("w").tensor("FloatStorage", "0", 2, 0, new int[] { 2 }, new int[] { 1 }).setItems().stop();
		final ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.25f).putFloat(-7f);
		final Path file = tmp.resolve("big.pt");
		final Map<String, byte[]> storages = new LinkedHashMap<>();
		storages.put("0", b.array());
		PickleBytes.writeArchive(file, "big", p.bytes(), storages);
		// the byteorder record is added by hand: rewrite the archive with it
		final Path withOrder = tmp.resolve("big2.pt");
		try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(withOrder))) {
			put(zip, "big2/data.pkl", p.bytes());
			put(zip, "big2/byteorder", "big".getBytes());
			put(zip, "big2/data/0", b.array());
		}
		assertArrayEquals(new float[] { 1.25f, -7f }, TorchCheckpoint.readStateDict(withOrder).get("w").floats());
	}

	@Test
	void refusesCodeExecutionGlobalsWithoutRunningThem() throws IOException {
		final Path marker = tmp.resolve("pwned");
		final String[][] globals = { { "os", "system" }, { "posix", "system" }, { "builtins", "eval" }, { "subprocess", "call" } };
		for (final String[] g : globals) {
			final String command = g[1].equals("eval") ? "__import__('os').system('touch " + marker + "')" : "touch " + marker;
			final byte[] pickle = new PickleBytes().proto().global(g[0], g[1]).mark().string(command).tuple().reduce().stop().bytes();
			final Path file = tmp.resolve(g[0] + ".pt");
			PickleBytes.writeArchive(file, "evil", pickle, Map.of());
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.read(file));
			assertTrue(e.getMessage().contains(g[0] + "." + g[1]), e.getMessage());
			assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
			assertFalse(Files.exists(marker), "the payload ran");
		}
	}

	@Test
	void refusesStackGlobalInstAndUnknownBuild() throws IOException {
		// STACK_GLOBAL (protocol 4) names the callable through two strings on the stack
		final byte[] stackGlobal = new PickleBytes().proto().string("os").string("system").op(0x93)
			.mark().string("true").tuple().reduce().stop().bytes();
		// INST instantiates a class directly
		final byte[] inst = "(S'true'\nios\nsystem\n.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
		// BUILD on a plain dict would otherwise reach razorvine's reflective __setstate__
		final byte[] build = new PickleBytes().proto().emptyDict().emptyDict().build().stop().bytes();
		final String[] expected = { "os.system", "INST", "BUILD" };
		final byte[][] pickles = { stackGlobal, inst, build };
		for (int i = 0; i < pickles.length; i++) {
			final Path file = tmp.resolve("case" + i + ".pt");
			PickleBytes.writeArchive(file, "evil", pickles[i], Map.of());
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.read(file));
			assertTrue(e.getMessage().contains(expected[i]), e.getMessage());
		}
	}

	@Test
	void truncatedOrIncompleteArchivesGiveClearErrors() throws IOException {
		final byte[] whole = Files.readAllBytes(TestData.sam2Parity().resolve("weights.pt"));
		final Path truncated = tmp.resolve("truncated.pt");
		Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
		final InvalidInputException t = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.readStateDict(truncated));
		assertTrue(t.getMessage().contains("truncated.pt") && t.getMessage().contains("zip"), t.getMessage());

		final Path noPickle = tmp.resolve("nopickle.pt");
		PickleBytes.writeArchive(noPickle, "x", null, Map.of("0", new byte[4]));
		final InvalidInputException n = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.readStateDict(noPickle));
		assertTrue(n.getMessage().contains("nopickle.pt") && n.getMessage().contains("data.pkl"), n.getMessage());

		final Path missingStorage = tmp.resolve("nostorage.pt");
		final byte[] pickle = new PickleBytes().proto().emptyDict().mark()
			.string("w").tensor("FloatStorage", "5", 2, 0, new int[] { 2 }, new int[] { 1 }).setItems().stop().bytes();
		PickleBytes.writeArchive(missingStorage, "x", pickle, Map.of());
		final InvalidInputException m = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.readStateDict(missingStorage));
		assertTrue(m.getMessage().contains("data/5"), m.getMessage());

		final Path outside = tmp.resolve("outside.pt");
		final byte[] overrun = new PickleBytes().proto().emptyDict().mark()
			.string("w").tensor("FloatStorage", "0", 2, 1, new int[] { 2 }, new int[] { 1 }).setItems().stop().bytes();
		PickleBytes.writeArchive(outside, "x", overrun, Map.of("0", new byte[8]));
		final InvalidInputException o = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.readStateDict(outside));
		assertTrue(o.getMessage().contains("outside storage"), o.getMessage());

		final Path legacy = tmp.resolve("legacy.pt");
		Files.write(legacy, new PickleBytes().proto().emptyDict().stop().bytes());
		final InvalidInputException l = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.readStateDict(legacy));
		assertTrue(l.getMessage().contains("legacy"), l.getMessage());
	}

	@Test
	void aPickleCutShortOrPoppingAnEmptyStackIsRefusedAsDamaged() throws IOException {
		// both found by CheckpointFuzzTest: razorvine's IOException and IndexOutOfBoundsException
		final Path empty = tmp.resolve("emptypickle.pt");
		PickleBytes.writeArchive(empty, "x", new byte[0], Map.of());
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.read(empty));
		assertTrue(e.getMessage().contains("emptypickle.pt") && e.getMessage().contains("data.pkl is truncated"), e.getMessage());

		final Path dup = tmp.resolve("dup.pt");
		PickleBytes.writeArchive(dup, "x", new PickleBytes().op('2').stop().bytes(), Map.of());
		final InvalidInputException d = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.read(dup));
		assertEquals("checkpoint " + dup + ": its data.pkl is damaged (an operation finds fewer values than it needs)", d.getMessage());
	}

	@Test
	void aStringLongerThanThePickleIsRefusedBeforeItIsAllocated() throws IOException {
		// found by CheckpointFuzzTest: razorvine allocated the declared length (here 1 GiB) at once
		final Path file = tmp.resolve("longstring.pt");
		PickleBytes.writeArchive(file, "x", new PickleBytes().proto().op('X').op(0).op(0).op(0).op(0x40).op('a').stop().bytes(), Map.of());
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.read(file));
		assertEquals("refused to load " + file + ": its pickle declares a value of 1073741824 bytes where 2 remain (truncated or damaged)", e.getMessage());
		for (final int opcode : new int[] { 'T', 'B', 0x8b })
			assertThrows(InvalidInputException.class, () -> {
				PickleBytes.writeArchive(file, "x", new PickleBytes().proto().op(opcode).op(0xff).op(0xff).op(0xff).op(0xff).stop().bytes(), Map.of());
				TorchCheckpoint.read(file);
			});
		for (final int opcode : new int[] { 0x8d, 0x8e, 0x96 })
			assertThrows(InvalidInputException.class, () -> {
				PickleBytes.writeArchive(file, "x", new PickleBytes().proto().op(opcode).op(0).op(0).op(0).op(0).op(0).op(0).op(0).op(0x80).stop().bytes(),
					Map.of());
				TorchCheckpoint.read(file);
			});
		// a length that fits is read as before
		PickleBytes.writeArchive(file, "x", new PickleBytes().proto().op('X').op(1).op(0).op(0).op(0).op('a').stop().bytes(), Map.of());
		assertEquals("a", TorchCheckpoint.read(file));
	}

	@Test
	void aViewRepeatingItsStorageIsCopiedUpToALimitAndRefusedBeyondIt() throws IOException {
		// an expanded tensor (stride 0) repeats its storage's elements: a small one reads as torch gives it
		final Path file = tmp.resolve("expanded.pt");
		final Map<String, byte[]> storage = Map.of("0", le(4, b -> b.putFloat(1.5f).putFloat(-2f), 2));
		PickleBytes.writeArchive(file, "x", new PickleBytes().proto().emptyDict().mark().string("w")
			.tensor("FloatStorage", "0", 2, 0, new int[] { 3, 2 }, new int[] { 0, 1 }).op('u').stop().bytes(), storage);
		assertArrayEquals(new float[] { 1.5f, -2f, 1.5f, -2f, 1.5f, -2f }, TorchCheckpoint.readStateDict(file).get("w").floats());
		// 2^30 repeats of a two-element storage would make the copy allocate 4 GiB
		PickleBytes.writeArchive(file, "x", new PickleBytes().proto().emptyDict().mark().string("w")
			.tensor("FloatStorage", "0", 2, 0, new int[] { 1 << 30 }, new int[] { 0 }).op('u').stop().bytes(), storage);
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.read(file));
		assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("1073741824 elements that repeat the storage's 2"), e.getMessage());
	}

	@Test
	void sizesWhoseProductIsNegativeOrOverflowsAreRefusedBeforeAnythingIsAllocated() throws IOException {
		// found by CheckpointFuzzTest: 2 x -1123287039 is negative, and cast to int it asked for 8 GB
		final Path file = tmp.resolve("sizes.pt");
		final Map<String, byte[]> storage = Map.of("0", new byte[16]);
		for (final int[][] sizeStride : new int[][][] { { { 2, -1123287039 }, { 1, 1 } }, { { 4 }, { -1 } },
			{ { 65536, 65536, 65536, 65536 }, { 0, 0, 0, 0 } }, { { 2, 2 }, { Integer.MAX_VALUE, Integer.MAX_VALUE } } })
		{
			PickleBytes.writeArchive(file, "x", new PickleBytes().proto().emptyDict().mark().string("w")
				.tensor("FloatStorage", "0", 4, 0, sizeStride[0], sizeStride[1]).op('u').stop().bytes(), storage);
			final InvalidInputException e = assertThrows(InvalidInputException.class, () -> TorchCheckpoint.read(file), Arrays.toString(sizeStride[0]));
			assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
		}
	}

	private static void put(final java.util.zip.ZipOutputStream zip, final String name, final byte[] data) throws IOException {
		zip.putNextEntry(new java.util.zip.ZipEntry(name));
		zip.write(data);
		zip.closeEntry();
	}

	private static byte[] le(final int width, final java.util.function.Consumer<ByteBuffer> fill, final int count) {
		final ByteBuffer b = ByteBuffer.allocate(width * count).order(ByteOrder.LITTLE_ENDIAN);
		fill.accept(b);
		return b.array();
	}
}
