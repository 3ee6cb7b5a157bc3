package io.github.sssfiji.model.sam2.modeling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;

/** Parsing the fixture config, the official presets, and their parameter counts. */
class Sam2ConfigTest {

	@TempDir
	Path tmp;

	@Test
	void theMicroPresetIsTheFixtureModelAtAnyImageSize() throws IOException {
		final Sam2Config fixture = Sam2Config.parse(TestData.sam2Parity().resolve("config.json"));
		assertEquals(fixture.toJson(), Sam2Config.micro().toJson());
		assertEquals(fixture.toJson(), Sam2Config.preset("micro").toJson());
		final Sam2Config small = Sam2Config.micro().withImageSize(64);
		assertEquals(64, small.imageSize());
		assertEquals(fixture.toJson(), small.withImageSize(256).toJson());
		assertThrows(InvalidInputException.class, () -> Sam2Config.micro().withImageSize(48));
	}

	@Test
	void parsesTheFixtureConfig() throws IOException {
		final Sam2Config c = Sam2Config.parse(TestData.sam2Parity().resolve("config.json"));
		assertEquals(256, c.imageSize());
		assertEquals(8, c.embedDim());
		assertArrayEquals(new int[] { 1, 2, 7, 2 }, c.stages());
		assertArrayEquals(new int[] { 5, 7, 9 }, c.globalAttBlocks());
		assertArrayEquals(new int[] { 8, 4, 14, 7 }, c.windowSpec());
		assertArrayEquals(new int[] { 7, 7 }, c.windowPosEmbedBkgSpatialSize());
		assertArrayEquals(new int[] { 64, 32, 16, 8 }, c.backboneChannelList());
		assertArrayEquals(new int[] { 2, 3 }, c.fpnTopDownLevels());
		assertEquals(48, c.dModel());
		assertEquals(12, c.memDim());
		assertEquals(1, c.scalp());
		assertEquals(64, c.stageDim(3));
		assertEquals(8, c.stageHeads(3));
	}

	/** Trunk parameter counts derived from the official module code (research notes 7.5). */
	@Test
	void officialPresetsHaveTheOfficialTrunkSizes() {
		assertEquals(26_849_472L, trunkParameters(Sam2Config.hieraTiny()));
		assertEquals(33_947_328L, trunkParameters(Sam2Config.hieraSmall()));
		assertEquals(369_664L, countWithPrefix(Sam2Config.hieraTiny(), "image_encoder.neck."));
		// whole models, including the 256-value Gaussian matrix buffer of the prompt encoder
		assertEquals(38_946_242L, countWithPrefix(Sam2Config.hieraTiny(), ""));
		assertEquals(46_044_098L, countWithPrefix(Sam2Config.hieraSmall(), ""));
		assertEquals(468, Sam2Model.expectedShapes(Sam2Config.hieraTiny()).size());
		assertEquals(516, Sam2Model.expectedShapes(Sam2Config.hieraSmall()).size());
		assertEquals(48, Sam2Config.hieraLarge().depth());
		assertEquals(24, Sam2Config.preset("b+").depth());
		assertArrayEquals(new int[] { 1152, 576, 288, 144 }, Sam2Config.preset("large").backboneChannelList());
	}

	@Test
	void modelKeysAreTheFixtureKeys() throws IOException {
		final Map<String, long[]> expected = Sam2Model.expectedShapes(Sam2Config.parse(TestData.sam2Parity().resolve("config.json")));
		final StateDictCheck check = StateDictCheck.compare(expected,
			io.github.sssfiji.io.torch.Npz.read(TestData.sam2Parity().resolve("weights.npz")));
		assertTrue(check.isExactMatch(), check.summary());
		assertEquals(468, expected.size());
		assertTrue(expected.containsKey("image_encoder.trunk.blocks.10.proj.weight"));
		assertTrue(expected.containsKey("image_encoder.neck.convs.3.conv.bias"));
	}

	@Test
	void rejectsUnsupportedOrInconsistentConfigs() throws IOException {
		final String base = Files.readString(TestData.sam2Parity().resolve("config.json"));
		final Path bilinear = tmp.resolve("bilinear.json");
		Files.writeString(bilinear, base.replace("\"nearest\"", "\"bilinear\""));
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sam2Config.parse(bilinear));
		assertTrue(e.getMessage().contains("bilinear.json") && e.getMessage().contains("fpn_interp_model"), e.getMessage());
		final Path wrongChannels = tmp.resolve("channels.json");
		Files.writeString(wrongChannels, base.replace("\"embed_dim\": 8", "\"embed_dim\": 12"));
		assertThrows(InvalidInputException.class, () -> Sam2Config.parse(wrongChannels));
		assertThrows(InvalidInputException.class, () -> Sam2Config.preset("huge"));
	}

	private static long trunkParameters(final Sam2Config config) {
		return countWithPrefix(config, "image_encoder.trunk.");
	}

	private static long countWithPrefix(final Sam2Config config, final String prefix) {
		long n = 0;
		for (final Map.Entry<String, long[]> e : Sam2Model.expectedShapes(config).entrySet()) {
			if (!e.getKey().startsWith(prefix)) continue;
			long p = 1;
			for (final long d : e.getValue()) p *= d;
			n += p;
		}
		return n;
	}

	@Test
	void toJsonReadsBackToTheSameStructure() throws IOException {
		for (final Sam2Config c : new Sam2Config[] { Sam2Config.hieraTiny(), Sam2Config.hieraSmall(), Sam2Config.hieraBasePlus(),
			Sam2Config.hieraLarge(), Sam2Config.parse(TestData.sam2Parity().resolve("config.json")) })
		{
			final Sam2Config back = Sam2Config.fromJson("round trip", c.toJson());
			assertEquals(c.toJson(), back.toJson(), c.name());
			final Map<String, long[]> a = Sam2Model.expectedShapes(c), b = Sam2Model.expectedShapes(back);
			assertEquals(a.keySet(), b.keySet(), c.name());
			for (final String key : a.keySet()) assertArrayEquals(a.get(key), b.get(key), c.name() + " " + key);
			assertEquals(c.imageSize(), back.imageSize());
			assertEquals(c.scalp(), back.scalp());
			assertArrayEquals(c.globalAttBlocks(), back.globalAttBlocks());
			assertArrayEquals(c.windowSpec(), back.windowSpec());
			assertArrayEquals(c.fpnTopDownLevels(), back.fpnTopDownLevels());
		}
	}
}
