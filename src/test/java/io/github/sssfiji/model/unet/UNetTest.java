package io.github.sssfiji.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.loss.CeDiceLoss;

/** Structure, shapes, modes, memory ownership and trainability of the U-Net. */
class UNetTest {

	/** A narrow network for tests that exercise behaviour, not size. */
	private static final UNetConfig SMALL = new UNetConfig(1, 4, new int[] { 2, 4, 8, 8, 16 }, new double[] { 0.1, 0.1, 0.1, 0.1, 0.5 });

	/**
	 * By hand: ConvBlock(i, o) = 9io + o (conv1) + 2o (norm1) + 9o^2 + o (conv2) + 2o (norm2)
	 * = 9io + 9o^2 + 6o. Encoder: (1,16) 2544 + (16,32) 14016 + (32,64) 55680 + (64,128) 221952 +
	 * (128,256) 886272 = 1180464. UpBlock(d, s) = ds + s (1x1) + ConvBlock(2s, s) = ds + s + 27s^2 + 6s:
	 * (256,128) 476032 + (128,64) 119232 + (64,32) 29920 + (32,16) 7536 = 632720; head 9*16*4 + 4 = 580.
	 * Total 1180464 + 632720 + 580 = 1813764.
	 */
	@Test
	void acdcNetworkHasTheHandDerivedParameterCount() {
		try (NDManager root = Engines.pytorch().newBaseManager(); UNet net = UNet.create(UNetConfig.acdc(), root, 1)) {
			assertEquals(1_813_764L, net.state().parameterCount());
			// 5 + 4 ConvBlocks with 2 BatchNorms each, 2 running statistics per BatchNorm
			assertEquals(9 * 2 * 2, net.state().buffers().size());
			// per ConvBlock 8 parameters, per UpBlock 2 more, head 2
			assertEquals(9 * 8 + 4 * 2 + 2, net.state().parameters().size());
		}
	}

	@Test
	void tensorNamesAreReadableAndInModuleOrder() {
		try (NDManager root = Engines.pytorch().newBaseManager(); UNet net = UNet.create(UNetConfig.acdc(), root, 1)) {
			final List<String> names = new ArrayList<>(net.state().parameters().keySet());
			assertEquals(List.of("encoder.level0.conv1.weight", "encoder.level0.conv1.bias", "encoder.level0.norm1.weight",
				"encoder.level0.norm1.bias", "encoder.level0.conv2.weight"), names.subList(0, 5));
			// five encoder ConvBlocks of 8 parameters each come first
			assertEquals("decoder.up1.reduce.weight", names.get(5 * 8));
			assertEquals(List.of("decoder.head.weight", "decoder.head.bias"), names.subList(names.size() - 2, names.size()));
			final NDArray reduce = net.state().get("decoder.up1.reduce.weight");
			assertEquals(new Shape(128, 256, 1, 1), reduce.getShape());
			assertEquals(new Shape(256), net.state().get("encoder.level4.norm2.running_var").getShape());
		}
	}

	@Test
	void encodeGivesFiveLevelsAndDecodeGivesLogits() {
		try (NDManager root = Engines.pytorch().newBaseManager(); UNet net = UNet.create(UNetConfig.acdc(), root, 1);
			NDManager step = root.newSubManager())
		{
			final NDArray x = step.randomNormal(new Shape(2, 1, 48, 32));
			final NDList features = net.encode(x, false);
			assertEquals(5, features.size());
			final int[] channels = { 16, 32, 64, 128, 256 };
			for (int k = 0; k < 5; k++)
				assertEquals(new Shape(2, channels[k], 48 >> k, 32 >> k), features.get(k).getShape());
			final NDArray logits = net.decode(features, false);
			assertEquals(new Shape(2, 4, 48, 32), logits.getShape());
			assertTrue(logits.allClose(net.forward(x, false)), "eval mode is deterministic");
		}
	}

	@Test
	void trainingModeUsesDropoutAndBatchStatistics() {
		try (NDManager root = Engines.pytorch().newBaseManager(); UNet net = UNet.create(SMALL, root, 1);
			NDManager step = root.newSubManager())
		{
			final NDArray x = step.randomNormal(new Shape(2, 1, 32, 32));
			final NDArray runningMean = net.state().get("encoder.level0.norm1.running_mean");
			final float before = runningMean.sum().getFloat();
			assertEquals(0f, before);
			final NDArray a = net.forward(x, true);
			final NDArray b = net.forward(x, true);
			assertFalse(a.allClose(b), "dropout makes two training passes differ");
			assertTrue(Math.abs(runningMean.sum().getFloat()) > 1e-6, "training updates the running mean");
		}
	}

	@Test
	void rejectsInputsThatDoNotFit() {
		try (NDManager root = Engines.pytorch().newBaseManager(); UNet net = UNet.create(UNetConfig.acdc(), root, 1);
			NDManager step = root.newSubManager())
		{
			assertThrows(InvalidInputException.class, () -> net.encode(step.zeros(new Shape(1, 2, 32, 32)), false));
			assertThrows(InvalidInputException.class, () -> net.encode(step.zeros(new Shape(1, 1, 40, 32)), false));
			assertThrows(InvalidInputException.class, () -> net.encode(step.zeros(new Shape(1, 32, 32)), false));
			assertThrows(IllegalArgumentException.class, () -> net.decode(new NDList(step.zeros(new Shape(1, 16, 2, 2))), false));
		}
		assertThrows(IllegalArgumentException.class, () -> new UNetConfig(1, 4, new int[] { 1, 2, 3, 4 }, new double[5]));
		assertThrows(IllegalArgumentException.class,
			() -> new UNetConfig(1, 4, new int[] { 1, 2, 3, 4, 5 }, new double[] { 0, 0, 0, 0, 1 }));
	}

	/**
	 * A step's arrays must not land in the model's manager (the leak pattern of djl-notes section 6):
	 * after forward, loss, backward and closing the gradient handles, the model manager holds only
	 * its own tensors.
	 */
	@Test
	void trainingStepLeavesNothingInTheModelManager() {
		try (NDManager root = Engines.pytorch().newBaseManager(); UNet net = UNet.create(SMALL, root, 1)) {
			final int owned = net.state().manager().getManagedArrays().size();
			for (int i = 0; i < 2; i++) {
				try (NDManager step = root.newSubManager()) {
					final NDArray x = step.randomNormal(new Shape(2, 1, 32, 32));
					final NDArray y = step.randomInteger(0, 4, new Shape(2, 32, 32), DataType.INT64);
					net.state().zeroGradients();
					try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
						final NDList features = net.encode(x, true);
						final NDArray mask = FeaturePerturbation.complementaryMasks(step, 2, 16, new java.util.Random(1)).get(0);
						collector.backward(CeDiceLoss.of(net.decode(FeaturePerturbation.withDeepestMasked(features, mask), true), y));
					}
				}
			}
			assertEquals(owned, net.state().manager().getManagedArrays().size());
		}
	}

	@Test
	void sgdOnOneBatchLowersTheLoss() {
		try (NDManager root = Engines.pytorch().newBaseManager();
			UNet net = UNet.create(new UNetConfig(1, 3, new int[] { 4, 8, 8, 16, 16 }, new double[5]), root, 3);
			NDManager data = root.newSubManager())
		{
			final NDArray x = data.randomNormal(new Shape(2, 1, 16, 16));
			// target: class by quadrant-ish threshold of the input, learnable from the pixels
			final NDArray y = x.squeeze(1).gt(0.5).toType(DataType.INT64, false).add(x.squeeze(1).lt(-0.5).toType(DataType.INT64, false).mul(2));
			float first = Float.NaN;
			float last = Float.NaN;
			for (int i = 0; i < 15; i++) {
				try (NDManager step = root.newSubManager()) {
					net.state().zeroGradients();
					final float loss;
					try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
						final NDArray l = CeDiceLoss.of(net.forward(x, true), y);
						l.tempAttach(step);
						collector.backward(l);
						loss = l.getFloat();
					}
					for (final Map.Entry<String, NDArray> p : net.state().parameters().entrySet())
						try (NDArray g = p.getValue().getGradient(); NDArray update = g.mul(0.3)) {
							p.getValue().subi(update);
						}
					if (i == 0) first = loss;
					last = loss;
				}
			}
			assertTrue(last < 0.8 * first, "loss " + first + " -> " + last);
		}
	}
}
