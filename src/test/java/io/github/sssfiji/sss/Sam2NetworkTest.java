package io.github.sssfiji.sss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.TestData;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.sam2.files.Sam2ModelFiles;
import io.github.sssfiji.model.sam2.modeling.Sam2Config;
import io.github.sssfiji.sss.dfe.Dfe;
import io.github.sssfiji.sss.loss.CeDiceLoss;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.train.Optimizer;

/** The SAM-2 backbone with the micro configuration at 64 x 64: outputs, prompts, gradients, model files and the frozen pretrained encoder. */
class Sam2NetworkTest {

	private static final int SIZE = 64, CLASSES = 4;

	@TempDir
	Path temp;

	private static NDArray images(final NDManager manager, final int count, final long seed) {
		final java.util.Random random = new java.util.Random(seed);
		final float[] values = new float[count * SIZE * SIZE];
		for (int i = 0; i < values.length; i++)
			values[i] = random.nextFloat();
		return manager.create(values, new Shape(count, 1, SIZE, SIZE));
	}

	@Test
	void logitsHaveAZeroBackgroundAndClassTokensMakeClassesDiffer() {
		try (NDManager root = Engines.pytorch().newBaseManager();
			Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, root, 3);
			NDManager step = root.newSubManager())
		{
			assertArrayEquals(new int[] { 48, 48, 48 }, net.featureChannels());
			final NDList features = net.encode(images(step, 2, 1), false);
			assertEquals(new Shape(2, 48, 16, 16), features.get(0).getShape());
			assertEquals(new Shape(2, 48, 8, 8), features.get(1).getShape());
			assertEquals(new Shape(2, 48, 4, 4), features.get(2).getShape());
			final NDArray logits = net.decode(features, false);
			assertEquals(new Shape(2, CLASSES, SIZE, SIZE), logits.getShape());
			assertEquals(0f, logits.get(new NDIndex(":, 0")).abs().max().getFloat());
			// the classes differ only by their tokens
			assertTrue(logits.get(new NDIndex(":, 1")).sub(logits.get(new NDIndex(":, 2"))).abs().max().getFloat() > 0);
			// every array of the call lives in the step's manager
			assertSame(step, logits.getManager());
		}
	}

	@Test
	void aPromptChangesOnlyItsSliceAndClass() {
		try (NDManager root = Engines.pytorch().newBaseManager();
			Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, root, 3);
			NDManager step = root.newSubManager())
		{
			final NDList features = net.encode(images(step, 2, 2), false);
			final NDArray plain = net.decode(features, SlicePrompts.none(2, CLASSES), false);
			assertArrayEquals(net.decode(features, false).toFloatArray(), plain.toFloatArray(), 0f, "no prompt is the padding case");
			final int[] labels = new int[2 * SIZE * SIZE];
			for (int y = 20; y < 40; y++)
				for (int x = 10; x < 30; x++)
					labels[y * SIZE + x] = 2;
			final NDArray prompted = net.decode(features, SlicePrompts.fromLabels(labels, null, 2, SIZE, CLASSES), false);
			assertTrue(changed(plain, prompted, 0, 2));
			assertFalse(changed(plain, prompted, 0, 1));
			assertFalse(changed(plain, prompted, 0, 3));
			assertFalse(changed(plain, prompted, 1, 2));
		}
	}

	private static boolean changed(final NDArray a, final NDArray b, final int slice, final int c) {
		final NDIndex index = new NDIndex(slice + ", " + c);
		return a.get(index).sub(b.get(index)).abs().max().getFloat() > 0;
	}

	@Test
	void dfeAndClassTokensGetGradients() {
		final Engine engine = Engines.pytorch();
		try (NDManager root = engine.newBaseManager();
			Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, root, 4);
			Dfe dfe = Dfe.create(net.featureChannels(), root, 5);
			NDManager step = root.newSubManager())
		{
			final NDList weak = net.encode(images(step, 2, 3), false);
			final int[] labels = new int[2 * SIZE * SIZE];
			for (int i = 0; i < labels.length; i++)
				labels[i] = i % SIZE < 16 ? 0 : 1 + i / SIZE % 3;
			final NDArray target = step.create(labels, new Shape(2, SIZE, SIZE));
			net.state().zeroGradients();
			dfe.state().zeroGradients();
			try (GradientCollector collector = engine.newGradientCollector()) {
				final NDList strong = dfe.enhance(weak, net.encode(images(step, 2, 4), true));
				final SlicePrompts prompts = SlicePrompts.fromLabels(labels, null, 2, SIZE, CLASSES);
				collector.backward(CeDiceLoss.of(net.decode(strong, prompts, true), target));
			}
			final float[] tokens = net.state().parameters().get(Sam2Network.CLASS_TOKENS).getGradient().abs().sum(new int[] { 1 }).toFloatArray();
			assertEquals(CLASSES - 1, tokens.length);
			for (final float g : tokens)
				assertTrue(g > 0, "every class token gets a gradient");
			for (int level = 0; level < 3; level++)
				assertTrue(dfe.state().parameters().get("level" + level + ".out.weight").getGradient().abs().sum().getFloat() > 0,
					"DFE level " + level + " gets a gradient");
			// the whole state is reached: every parameter has a gradient, the image encoder's a non-zero one
			for (final Map.Entry<String, NDArray> e : net.state().parameters().entrySet()) {
				assertTrue(e.getValue().hasGradient(), e.getKey());
				assertTrue(Float.isFinite(e.getValue().getGradient().sum().getFloat()), e.getKey());
			}
			assertTrue(net.state().parameters().get("image_encoder.trunk.patch_embed.proj.weight").getGradient().abs().sum().getFloat() > 0);
		}
	}

	@Test
	void modelFileRoundTripGivesIdenticalLogits() throws IOException {
		final Path file = temp.resolve("m.sss");
		final float[] before;
		try (NDManager root = Engines.pytorch().newBaseManager();
			Sam2Network net = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, null, root, 8);
			NDManager step = root.newSubManager())
		{
			before = net.decode(net.encode(images(step, 2, 5), false), false).toFloatArray();
			SssModel.write(file, net, List.of("bg", "RV", "Myo", "LV"), SIZE, null);
			// no memory tensors in the file: prediction is slice by slice
			assertFalse(net.state().parameters().keySet().stream().anyMatch(k -> k.startsWith("memory_")));
		}
		try (SssModel model = SssModel.load(file, Device.cpu()); NDManager step = Engines.pytorch().newBaseManager()) {
			assertEquals(Sam2Network.MICRO, model.network().kind());
			assertEquals(SIZE, model.inputSize());
			final float[] after = model.network().decode(model.network().encode(images(step, 2, 5), false), false).toFloatArray();
			assertArrayEquals(before, after, 0f);
		}
	}

	@Test
	void aPretrainedModelGivesAFrozenEncoderForUnlabelledSamples() throws IOException {
		final Path file = temp.resolve("micro" + Sam2ModelFiles.EXTENSION);
		final Path fixture = TestData.sam2Parity();
		Sam2ModelFiles.importCheckpoint(fixture.resolve("weights.pt"), Sam2Config.parse(fixture.resolve("config.json")), file);
		final Engine engine = Engines.pytorch();
		try (NDManager root = engine.newBaseManager();
			Sam2Network student = Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, file, root, 1);
			Sam2Network teacher = (Sam2Network) student.newInstance(root, 2);
			NDManager step = root.newSubManager())
		{
			assertTrue(student.hasFrozenEncoder());
			assertSame(student.frozenModel(), teacher.frozenModel(), "the teacher shares the frozen encoder");
			final Map<String, NDArray> frozen = student.frozenModel().tensors();
			final Map<String, float[]> pretrained = new HashMap<>();
			frozen.forEach((name, p) -> pretrained.put(name, p.toFloatArray()));
			// the student starts from the imported weights
			final String patch = "image_encoder.trunk.patch_embed.proj.weight";
			assertArrayEquals(pretrained.get(patch), student.state().get(patch).toFloatArray(), 0f);
			final NDArray x = images(step, 3, 6);
			// the unlabelled samples go through the frozen encoder: the same features as for a batch without labelled samples
			final NDList split = student.encode(x, 1, false);
			final NDList unlabelled = student.encode(x.get(new NDIndex("1:")), 0, false);
			final NDList own = student.encode(x.get(new NDIndex("0:1")), false);
			assertArrayEquals(unlabelled.get(2).toFloatArray(), split.get(2).get(new NDIndex("1:")).toFloatArray(), 1e-6f);
			assertArrayEquals(own.get(2).toFloatArray(), split.get(2).get(new NDIndex("0:1")).toFloatArray(), 1e-6f);
			// a few AdamW steps with the encoder at a lower learning rate
			try (Optimizer optimizer = new Optimizer(Optimizer.Kind.ADAMW, 0.9, 0.01, student.state().parameters(), root)) {
				for (final String name : student.state().parameters().keySet())
					if (Sam2Network.isEncoderParameter(name)) optimizer.scaleLearningRate(name, 0.1);
				final int[] labels = new int[3 * SIZE * SIZE];
				for (int i = 0; i < labels.length; i++)
					labels[i] = i % SIZE / 16;
				for (int it = 0; it < 2; it++) {
					student.state().zeroGradients();
					try (NDManager inner = step.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
						collector.backward(CeDiceLoss.of(student.decode(student.encode(x, 1, true), true), inner.create(labels, new Shape(3, SIZE, SIZE))));
					}
					optimizer.step(1e-3);
				}
			}
			for (final Map.Entry<String, NDArray> e : frozen.entrySet()) {
				assertFalse(e.getValue().hasGradient(), e.getKey() + " of the frozen encoder has a gradient");
				assertArrayEquals(pretrained.get(e.getKey()), e.getValue().toFloatArray(), 0f, e.getKey() + " of the frozen encoder changed");
			}
			assertNotEquals(pretrained.get(patch)[0], student.state().get(patch).toFloatArray()[0], "the student's encoder learns");
			// a model file of it records the imported file; the backbone built from that architecture keeps the record
			// and imports nothing (a saved model holds its own weights)
			assertEquals(file.getFileName().toString(), student.architecture().get(Sam2Network.IMPORTED_FROM).getAsString());
			try (Sam2Network saved = Sam2Network.create(Sam2Network.MICRO, student.architecture(), root, 3, "test")) {
				assertEquals(file.getFileName().toString(), saved.architecture().get(Sam2Network.IMPORTED_FROM).getAsString());
				assertFalse(saved.hasFrozenEncoder());
			}
		}
	}

	@Test
	void badKindsSizesAndPretrainedFilesAreRefused() throws IOException {
		try (NDManager root = Engines.pytorch().newBaseManager()) {
			final InvalidInputException kind = assertThrows(InvalidInputException.class,
				() -> Sam2Network.create("sam2-huge", CLASSES, SIZE, null, root, 0));
			assertTrue(kind.getMessage().contains("sam2-huge"), kind.getMessage());
			final InvalidInputException size = assertThrows(InvalidInputException.class,
				() -> Sam2Network.create(Sam2Network.MICRO, CLASSES, 48, null, root, 0));
			assertTrue(size.getMessage().contains("48"), size.getMessage());
			final InvalidInputException missing = assertThrows(InvalidInputException.class,
				() -> Sam2Network.create(Sam2Network.MICRO, CLASSES, SIZE, temp.resolve("none.sam2.zip"), root, 0));
			assertTrue(missing.getMessage().contains("none.sam2.zip"), missing.getMessage());
			// a micro model file for the tiny backbone
			final Path file = temp.resolve("micro" + Sam2ModelFiles.EXTENSION);
			final Path fixture = TestData.sam2Parity();
			Sam2ModelFiles.importCheckpoint(fixture.resolve("weights.pt"), Sam2Config.parse(fixture.resolve("config.json")), file);
			final InvalidInputException mismatch = assertThrows(InvalidInputException.class,
				() -> Sam2Network.create(Sam2Network.TINY, CLASSES, SIZE, file, root, 0));
			assertTrue(mismatch.getMessage().contains(file.toString()), mismatch.getMessage());
		}
	}
}
