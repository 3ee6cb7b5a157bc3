package io.github.sssfiji.sss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.unet.UNetConfig;

/** The promptable U-Net: prompt maps projected onto each feature level. */
class UNetNetworkTest {

	private static final UNetConfig SMALL = new UNetConfig(1, 3, new int[] { 4, 8, 8, 16, 16 }, new double[5]);

	/**
	 * The prompt projections are drawn after every other weight and start at zero: a promptable
	 * U-Net has the same weights as the U-Net without prompts, decodes as it does, and its model
	 * file's architecture says so.
	 */
	@Test
	void aPromptableUNetStartsAsThePlainOne() {
		try (NDManager root = Engines.pytorch().newBaseManager(); UNetNetwork plain = UNetNetwork.create(SMALL, root, 5);
			UNetNetwork promptable = UNetNetwork.create(SMALL.withPromptChannels(PromptMaps.channels(3)), root, 5); NDManager step = root.newSubManager())
		{
			assertFalse(plain.usesPrompts());
			assertTrue(promptable.usesPrompts());
			final Map<String, NDArray> p = plain.state().parameters(), q = promptable.state().parameters();
			assertEquals(p.size() + 5, q.size());
			p.forEach((name, array) -> assertArrayEquals(array.toFloatArray(), q.get(name).toFloatArray(), name));
			assertEquals(new Shape(4, 4, 1, 1), q.get("prompt.level0.weight").getShape());
			final NDArray x = step.randomNormal(new Shape(2, 1, 32, 32));
			final SlicePrompts prompts = new SlicePrompts.Builder(2, 3).set(0, 1, new int[] { 3, 4, 20, 25 }, new int[] { 10, 10 }).build();
			assertArrayEquals(plain.decode(plain.encode(x, false), false).toFloatArray(),
				promptable.decode(promptable.encode(x, false), prompts, false).toFloatArray(), 0);
			assertEquals(4, promptable.architecture().get("promptChannels").getAsInt());
			assertFalse(plain.architecture().has("promptChannels"));
			assertEquals(4, UNetNetwork.config(promptable.architecture(), "test").promptChannels());
		}
	}

	/** Once trained (here: random projections), a prompt changes the logits of its slice only, and an absent prompt adds nothing. */
	@Test
	void promptsChangeOnlyTheSlicesThatHaveThem() {
		try (NDManager root = Engines.pytorch().newBaseManager();
			UNetNetwork net = UNetNetwork.create(SMALL.withPromptChannels(PromptMaps.channels(3)), root, 5); NDManager step = root.newSubManager())
		{
			final Random random = new Random(3);
			net.state().parameters().forEach((name, array) -> {
				if (!name.startsWith("prompt.")) return;
				final float[] values = new float[(int) array.size()];
				for (int i = 0; i < values.length; i++)
					values[i] = (float) random.nextGaussian();
				array.set(values);
			});
			final NDArray x = step.randomNormal(new Shape(2, 1, 32, 32));
			final NDList features = net.encode(x, false);
			final float[] none = net.decode(features, false).toFloatArray();
			assertArrayEquals(none, net.decode(features, SlicePrompts.none(2, 3), false).toFloatArray(), 0);
			assertArrayEquals(none, net.decode(features, (SlicePrompts) null, false).toFloatArray(), 0);
			final float[] prompted = net.decode(features, new SlicePrompts.Builder(2, 3).set(1, 2, new int[] { 3, 4, 20, 25 }, new int[] { 10, 10 }).build(),
				false).toFloatArray();
			final int half = none.length / 2;
			assertArrayEquals(Arrays.copyOf(none, half), Arrays.copyOf(prompted, half), 0);
			assertFalse(Arrays.equals(Arrays.copyOfRange(none, half, none.length), Arrays.copyOfRange(prompted, half, none.length)));
		}
	}
}
