package io.github.sssfiji.model.sam2.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.sssfiji.TestData;
import io.github.sssfiji.io.torch.Npz;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.model.sam2.modeling.Sam2Model;

/**
 * Preset inference from state-dict shapes: each preset's own shapes give exactly that preset; the
 * micro fixture checkpoint, and a preset's shapes with one tensor dropped or reshaped, give none.
 */
class Sam2PresetsTest {

	@Test
	void eachPresetIsRecognisedByItsShapesAlone() {
		for (final String name : Sam2Presets.NAMES) {
			final Map<String, long[]> shapes = Sam2Model.expectedShapes(Sam2Config.preset(name));
			assertEquals(List.of(name), Sam2Presets.matching(shapes), name);
			assertEquals(0, Sam2Presets.problems(shapes).get(name));
		}
	}

	@Test
	void aCheckpointOffByOneTensorFitsNoPreset() throws IOException {
		final Map<String, long[]> tiny = new LinkedHashMap<>(Sam2Model.expectedShapes(Sam2Config.hieraTiny()));
		tiny.remove("no_obj_ptr");
		assertEquals(List.of(), Sam2Presets.matching(tiny));
		assertEquals(1, Sam2Presets.problems(tiny).get("tiny"));
		final Map<String, long[]> reshaped = new LinkedHashMap<>(Sam2Model.expectedShapes(Sam2Config.hieraSmall()));
		reshaped.put("no_obj_ptr", new long[] { 1, 255 });
		reshaped.put("extra.weight", new long[] { 3 });
		assertEquals(List.of(), Sam2Presets.matching(reshaped));
		assertEquals(2, Sam2Presets.problems(reshaped).get("small"));
		// the micro parity model has the official key names but its own widths
		assertEquals(List.of(), Sam2Presets.matching(Sam2Presets.shapes(Npz.read(TestData.sam2Parity().resolve("weights.npz")))));
	}

	/**
	 * Hiera-T has the micro fixture's depths, so the official code's key list for the fixture
	 * ({@code keys.tsv}) is also sam2_hiera_tiny.pt's: the keys the tests write their official-format
	 * Hiera-T checkpoints with (in this model's declaration order; readers do not depend on the order).
	 */
	@Test
	void hieraTinyHasTheOfficialKeys() throws IOException {
		final java.util.Set<String> official = new java.util.TreeSet<>();
		for (final String line : java.nio.file.Files.readAllLines(TestData.sam2Parity().resolve("keys.tsv")).subList(1, 469))
			official.add(line.substring(0, line.indexOf('\t')));
		assertEquals(official, new java.util.TreeSet<>(Sam2Model.expectedShapes(Sam2Config.hieraTiny()).keySet()));
	}
}
