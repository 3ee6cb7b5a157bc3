package io.github.sssfiji.sss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.dfe.Dfe;
import io.github.sssfiji.sss.dfe.DfeForm;
import io.github.sssfiji.sss.dfe.DfeScope;
import io.github.sssfiji.sss.modelfile.SssModel;

/** {@link DfeNetwork}: the identity at start, its DFE applied to every encoding, and kept by model files. */
class DfeNetworkTest {

	private static final UNetConfig SMALL = new UNetConfig(1, 3, new int[] { 4, 8, 8, 16, 16 }, new double[] { 0, 0, 0, 0, 0 });

	@Test
	void startsAsItsInnerBackbone() {
		try (NDManager root = Engines.pytorch().newBaseManager(); DfeNetwork net = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.ALL, 2);
			NDManager step = root.newSubManager())
		{
			step.getEngine().setRandomSeed(6);
			final NDArray x = step.randomNormal(new Shape(2, 1, 32, 32));
			final NDList wrapped = net.encode(x, false), plain = net.inner().encode(x, false);
			for (int k = 0; k < plain.size(); k++)
				assertArrayEquals(plain.get(k).toFloatArray(), wrapped.get(k).toFloatArray(), 0f, "level " + k);
			// one registry: DFE's tensors sit in the inner network's state under their prefix, six per level
			assertSame(net.inner().state(), net.state());
			assertEquals(6 * UNetConfig.LEVELS, net.state().parameters().keySet().stream().filter(n -> n.startsWith(DfeNetwork.PREFIX)).count());
			assertEquals(0, net.state().buffers().keySet().stream().filter(n -> n.startsWith(DfeNetwork.PREFIX)).count());
			assertTrue(net.state().parameters().containsKey(DfeNetwork.PREFIX + "level0.out.weight"));
			assertTrue(net.architecture().get(DfeNetwork.ARCHITECTURE_KEY).getAsBoolean());
			assertEquals(net.inner().kind(), net.kind());
		}
	}

	/** A trained DFE changes the prediction, and a model file written and read back predicts the same. */
	@Test
	void modelFilesKeepTheDfe(@TempDir final Path folder) throws Exception {
		final Path file = folder.resolve("dfe.sss");
		final float[] written, plain;
		try (NDManager root = Engines.pytorch().newBaseManager(); DfeNetwork net = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.ALL, 2);
			NDManager step = root.newSubManager())
		{
			step.getEngine().setRandomSeed(7);
			// as if trained: the zero-initialised output convolutions now act
			for (int k = 0; k < UNetConfig.LEVELS; k++) {
				final NDArray out = net.state().get(DfeNetwork.PREFIX + "level" + k + ".out.weight");
				out.set(step.randomNormal(out.getShape()).mul(0.1f).toFloatArray());
			}
			final NDArray x = step.randomNormal(new Shape(1, 1, 32, 32));
			written = net.decode(net.encode(x, false), false).toFloatArray();
			plain = net.inner().decode(net.inner().encode(x, false), false).toFloatArray();
			SssModel.write(file, net, List.of("background", "a", "b"), 32, null);
			try (SssModel model = SssModel.load(file, Device.cpu()); NDManager again = root.newSubManager()) {
				final Network loaded = assertInstanceOf(DfeNetwork.class, model.network());
				final NDArray y = again.create(x.toFloatArray(), x.getShape());
				assertArrayEquals(written, loaded.decode(loaded.encode(y, false), false).toFloatArray(), 1e-6f);
			}
		}
		double difference = 0;
		for (int i = 0; i < plain.length; i++)
			difference += Math.abs(plain[i] - written[i]);
		assertFalse(difference < 1e-3, "DFE changes the logits");
	}

	/**
	 * With scope "strong" a trained DFE leaves the network's encoding (and so prediction) to the inner
	 * encoder and enhances only what the training step asks of it; the scope survives a model file, and
	 * a record without a scope is read as "all", the only scope model files held before it was recorded.
	 */
	@Test
	void scopeStrongEncodesAsTheInnerBackboneAndIsKeptByModelFiles(@TempDir final Path folder) throws Exception {
		final Path file = folder.resolve("strong.sss");
		try (NDManager root = Engines.pytorch().newBaseManager();
			DfeNetwork net = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.STRONG, 2);
			NDManager step = root.newSubManager())
		{
			step.getEngine().setRandomSeed(8);
			for (int k = 0; k < UNetConfig.LEVELS; k++) {
				final NDArray out = net.state().get(DfeNetwork.PREFIX + "level" + k + ".out.weight");
				out.set(step.randomNormal(out.getShape()).mul(0.1f).toFloatArray());
			}
			final NDArray x = step.randomNormal(new Shape(2, 1, 32, 32));
			final NDList encoded = net.encode(x, false), inner = net.inner().encode(x, false), raw = net.encoderFeatures(x, 2, false);
			for (int k = 0; k < inner.size(); k++) {
				assertArrayEquals(inner.get(k).toFloatArray(), encoded.get(k).toFloatArray(), 0f, "level " + k);
				assertArrayEquals(inner.get(k).toFloatArray(), raw.get(k).toFloatArray(), 0f, "level " + k);
				assertArrayEquals(inner.get(k).toFloatArray(), net.selfEnhanced(raw).get(k).toFloatArray(), 0f, "level " + k);
			}
			// the same weights with scope "all" enhance every encoding
			final JsonObject all = net.architecture();
			all.addProperty(DfeNetwork.SCOPE_KEY, "all");
			try (Network everywhere = Networks.create(net.kind(), all, root, 0, "test")) {
				net.state().parameters().forEach((name, array) -> everywhere.state().get(name).set(array.toFloatArray()));
				net.state().buffers().forEach((name, array) -> everywhere.state().get(name).set(array.toFloatArray()));
				assertFalse(java.util.Arrays.equals(inner.get(0).toFloatArray(), everywhere.encode(x, false).get(0).toFloatArray()));
			}
			assertEquals("strong", net.architecture().get(DfeNetwork.SCOPE_KEY).getAsString());
			SssModel.write(file, net, List.of("background", "a", "b"), 32, null);
			try (SssModel model = SssModel.load(file, Device.cpu())) {
				assertEquals(DfeScope.STRONG, assertInstanceOf(DfeNetwork.class, model.network()).scope());
			}
			final JsonObject old = net.architecture();
			old.remove(DfeNetwork.SCOPE_KEY);
			assertEquals(DfeScope.ALL, DfeNetwork.scope(old, "old.sss"));
			final JsonObject bad = net.architecture();
			bad.addProperty(DfeNetwork.SCOPE_KEY, "weak");
			assertTrue(assertThrows(InvalidInputException.class, () -> DfeNetwork.scope(bad, "bad.sss")).getMessage().contains("bad.sss"));
		}
	}

	/**
	 * The released form on the deepest three levels (its default) is recorded in the architecture
	 * ({@code "dfeForm": "released", "dfeLevels": 3}), rebuilt from a model file and predicts as before it
	 * was written; our form's record is as before the form existed (neither key), and a record without
	 * them is ours on every level.
	 */
	@Test
	void releasedFormIsKeptByModelFilesAndPredictsTheSame(@TempDir final Path folder) throws Exception {
		final Path file = folder.resolve("released.sss");
		try (NDManager root = Engines.pytorch().newBaseManager();
			DfeNetwork net = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.ALL, DfeForm.RELEASED, 3, 2);
			DfeNetwork ours = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.ALL, 2);
			NDManager step = root.newSubManager())
		{
			assertEquals(DfeForm.RELEASED, net.form());
			assertEquals("released", net.architecture().get(DfeNetwork.FORM_KEY).getAsString());
			assertEquals(3, net.architecture().get(DfeNetwork.LEVELS_KEY).getAsInt());
			assertTrue(net.state().parameters().containsKey(DfeNetwork.PREFIX + "dfe_modules.2.mlp.net.0.weight"));
			assertFalse(net.state().parameters().keySet().stream().anyMatch(n -> n.matches("dfe\\.[a-z_]+\\.[01]\\..*")), "no DFE on levels 0 and 1");
			assertEquals(DfeForm.OURS, ours.form());
			assertFalse(ours.architecture().has(DfeNetwork.FORM_KEY) || ours.architecture().has(DfeNetwork.LEVELS_KEY));
			assertEquals(DfeForm.OURS, DfeNetwork.form(ours.architecture(), "old.sss"));
			assertEquals(Dfe.ALL_LEVELS, DfeNetwork.levels(ours.architecture(), "old.sss"));
			step.getEngine().setRandomSeed(9);
			final NDArray x = step.randomNormal(new Shape(2, 1, 32, 32));
			final float[] written = net.decode(net.encode(x, false), false).toFloatArray();
			final float[] plain = net.inner().decode(net.inner().encode(x, false), false).toFloatArray();
			assertFalse(java.util.Arrays.equals(plain, written), "the released form changes the logits from the start");
			SssModel.write(file, net, List.of("background", "a", "b"), 32, null);
			try (SssModel model = SssModel.load(file, Device.cpu()); NDManager again = root.newSubManager()) {
				final DfeNetwork loaded = assertInstanceOf(DfeNetwork.class, model.network());
				assertEquals(DfeForm.RELEASED, loaded.form());
				assertEquals(DfeScope.ALL, loaded.scope());
				assertEquals(3, loaded.levels());
				final NDArray y = again.create(x.toFloatArray(), x.getShape());
				assertArrayEquals(written, loaded.decode(loaded.encode(y, false), false).toFloatArray(), 1e-6f);
				// the teacher a run makes from the student has the same form
				try (Network copy = loaded.newInstance(root, 3)) {
					assertEquals(DfeForm.RELEASED, assertInstanceOf(DfeNetwork.class, copy).form());
					assertEquals(3, ((DfeNetwork) copy).levels());
					assertEquals(loaded.state().parameters().keySet(), copy.state().parameters().keySet());
				}
			}
			final JsonObject bad = net.architecture();
			bad.addProperty(DfeNetwork.FORM_KEY, "paper");
			assertTrue(assertThrows(InvalidInputException.class, () -> DfeNetwork.form(bad, "bad.sss")).getMessage().contains("bad.sss"));
			// more levels than the backbone has is an input error; all of them is recorded as every level
			assertThrows(InvalidInputException.class, () -> DfeNetwork.wrap(net.inner(), DfeScope.STRONG, DfeForm.RELEASED, 6, 2));
			try (DfeNetwork five = DfeNetwork.wrap(UNetNetwork.create(SMALL, root, 1), DfeScope.ALL, DfeForm.OURS, 5, 2)) {
				assertEquals(Dfe.ALL_LEVELS, five.levels());
				assertEquals(ours.architecture(), five.architecture());
			}
		}
	}

	/** On SAM-2, whose state tracks only the modules its forward reads, DFE's tensors are still trained and saved. */
	@Test
	void dfeOnSam2IsPartOfTheTrainedState() {
		try (NDManager root = Engines.pytorch().newBaseManager();
			DfeNetwork net = DfeNetwork.wrap(Sam2Network.create(Sam2Network.MICRO, 3, 64, null, false, root, 1), DfeScope.STRONG, 2))
		{
			final long dfe = net.state().parameters().keySet().stream().filter(n -> n.startsWith(DfeNetwork.PREFIX)).count();
			assertEquals(6L * net.featureChannels().length, dfe);
			assertTrue(net.state().parameters().containsKey(DfeNetwork.PREFIX + "level0.out.weight"));
		}
	}
}
