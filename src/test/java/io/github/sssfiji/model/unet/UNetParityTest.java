package io.github.sssfiji.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.sss.loss.CeDiceLoss;

/**
 * The DJL U-Net is the same function as the PyTorch reference in {@code bench/unet/unet_torch.py}
 * (UniMatch's module layout): with the reference's weights, imported through
 * {@link UniMatchNames}, the eval and train logits, the running statistics after a training pass,
 * the CE+Dice loss and some parameter gradients agree.
 * <p>
 * The committed fixture is a narrow network (channels 2-4-8-16-32, dropout 0) so it stays small;
 * {@code bench/unet/run.sh} re-runs this test on a full-width fixture by setting
 * {@code -Dsss.unet.parity.fixture=<file> -Dsss.unet.parity.channels=16,32,64,128,256}.
 * </p>
 */
class UNetParityTest {

	private static final double TOLERANCE = 1e-4;

	@Test
	void matchesPyTorchReference() {
		final String file = System.getProperty("sss.unet.parity.fixture");
		final String channelList = System.getProperty("sss.unet.parity.channels", "2,4,8,16,32");
		final int[] channels = java.util.Arrays.stream(channelList.split(",")).mapToInt(Integer::parseInt).toArray();
		try (NDManager root = Engines.pytorch().newBaseManager();
			UNet net = UNet.create(new UNetConfig(1, 4, channels, new double[5]), root, 0);
			NDManager step = root.newSubManager())
		{
			final Map<String, NDArray> fixture = file == null
				? NpzFixture.resource(UNetParityTest.class, "unet-parity-small.npz", step)
				: NpzFixture.file(Paths.get(file), step);
			int loaded = 0;
			for (final Map.Entry<String, NDArray> e : fixture.entrySet()) {
				if (!e.getKey().startsWith("w.")) continue;
				final String name = UniMatchNames.toUNetName(e.getKey().substring(2));
				final NDArray values = e.getValue().toType(DataType.FLOAT32, false);
				net.state().assign(name, values.toFloatArray(), values.getShape(), "parity fixture");
				loaded++;
			}
			assertEquals(net.state().parameters().size() + net.state().buffers().size(), loaded, "every tensor loaded");

			final NDArray x = fixture.get("input").toType(DataType.FLOAT32, false);
			assertClose(fixture.get("eval_logits"), net.forward(x, false), "eval logits");

			final NDArray target = fixture.get("target");
			net.state().zeroGradients();
			try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
				final NDArray logits = net.forward(x, true);
				assertClose(fixture.get("train_logits"), logits, "train logits");
				final NDArray loss = CeDiceLoss.of(logits, target);
				assertEquals(fixture.get("train_loss").getFloat(), loss.getFloat(), TOLERANCE, "CE+Dice loss");
				collector.backward(loss);
			}
			for (final Map.Entry<String, NDArray> e : fixture.entrySet()) {
				if (e.getKey().startsWith("grad.")) {
					final NDArray parameter = net.state().get(UniMatchNames.toUNetName(e.getKey().substring(5)));
					try (NDArray gradient = parameter.getGradient()) {
						assertClose(e.getValue(), gradient, e.getKey());
					}
				}
				else if (e.getKey().startsWith("after_train.")) {
					assertClose(e.getValue(), net.state().get(UniMatchNames.toUNetName(e.getKey().substring(12))), e.getKey());
				}
			}
		}
	}

	private static void assertClose(final NDArray expected, final NDArray actual, final String what) {
		assertEquals(expected.getShape(), actual.getShape(), what + " shape");
		final float[] e = expected.toType(DataType.FLOAT32, false).toFloatArray();
		final float[] a = actual.toFloatArray();
		double worst = 0;
		for (int i = 0; i < e.length; i++)
			worst = Math.max(worst, Math.abs(e[i] - a[i]) / (1 + Math.abs(e[i])));
		assertTrue(worst <= TOLERANCE, what + ": max relative difference " + worst);
	}
}
