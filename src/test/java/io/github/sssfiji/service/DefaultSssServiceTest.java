package io.github.sssfiji.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.log.LogService;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;

class DefaultSssServiceTest {

	@TempDir
	Path dir;

	/** A stand-in for a loaded model: remembers its file content and whether it was closed. */
	static final class FakeModel implements AutoCloseable {
		final String content;
		final Device device;
		boolean closed;

		FakeModel(final String content, final Device device) {
			this.content = content;
			this.device = device;
		}

		@Override
		public void close() {
			closed = true;
		}
	}

	private static FakeModel load(final Path file, final Device device) throws java.io.IOException {
		return new FakeModel(Files.readString(file), device);
	}

	@Test
	void loadsAModelOnceAndAgainWhenItsContentChanges() throws Exception {
		final Path file = dir.resolve("model.sss");
		Files.writeString(file, "weights v1");
		try (Context context = new Context(SssService.class)) {
			final SssService sss = context.service(SssService.class);
			sss.setDeviceChoice(SssService.DeviceChoice.CPU);
			final FakeModel first = sss.model(file, FakeModel.class, DefaultSssServiceTest::load);
			assertSame(first, sss.model(file, FakeModel.class, DefaultSssServiceTest::load));
			// touching the file without changing it keeps the model: the hash decides
			Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
			assertSame(first, sss.model(file, FakeModel.class, DefaultSssServiceTest::load));
			assertEquals(1, sss.loadCount());

			Files.writeString(file, "weights v2, retrained");
			final FakeModel second = sss.model(file, FakeModel.class, DefaultSssServiceTest::load);
			assertNotSame(first, second);
			assertTrue(first.closed, "the replaced model frees its native memory");
			assertEquals("weights v2, retrained", second.content);
			assertEquals(2, sss.loadCount());

			context.dispose();
			assertTrue(second.closed, "dispose closes every cached model");
		}
	}

	@Test
	void missingModelFileIsNamed() {
		try (Context context = new Context(SssService.class)) {
			final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> context.service(SssService.class).model(dir.resolve("nope.sss"), FakeModel.class, DefaultSssServiceTest::load));
			assertTrue(e.getMessage().contains("nope.sss") && e.getMessage().contains("not found"), e.getMessage());
		}
	}

	@Test
	void trainingRunsOneAtATime() throws Exception {
		try (Context context = new Context(SssService.class)) {
			final SssService sss = context.service(SssService.class);
			final CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
			final ExecutorService pool = Executors.newSingleThreadExecutor();
			final Future<String> first = pool.submit(() -> sss.train("run A", 0, () -> {
				started.countDown();
				release.await();
				return "A done";
			}));
			started.await();
			final IllegalStateException busy = assertThrows(IllegalStateException.class, () -> sss.train("run B", 0, () -> "B"));
			assertTrue(busy.getMessage().contains("'run B'") && busy.getMessage().contains("'run A' is running"), busy.getMessage());
			release.countDown();
			assertEquals("A done", first.get());
			assertEquals("B", sss.train("run B", 0, () -> "B"));
			pool.shutdown();
		}
	}

	@Test
	void cpuCanBeForced() {
		try (Context context = new Context(SssService.class)) {
			final SssService sss = context.service(SssService.class);
			sss.setDeviceChoice(SssService.DeviceChoice.CPU);
			assertEquals(Device.cpu(), sss.device());
			assertThrows(InvalidInputException.class, () -> sss.setThreads(0));
		}
	}

	/** A machine with one GPU, as DJL would list it, for a test on one without. */
	private static final DeviceSource ONE_GPU = () -> new Device[] { Device.gpu(0) };

	private static DefaultSssService service(final Context context, final DeviceSource devices) {
		final DefaultSssService sss = (DefaultSssService) context.service(SssService.class);
		sss.setDeviceSource(devices);
		return sss;
	}

	@Test
	void cpuPinsEveryLoadToTheCpuWhenTheMachineHasAGpu() throws Exception {
		final Path file = dir.resolve("model.sss");
		Files.writeString(file, "weights");
		try (Context context = new Context(SssService.class)) {
			final DefaultSssService sss = service(context, ONE_GPU);
			sss.setDeviceChoice(SssService.DeviceChoice.CPU);
			assertEquals(Device.cpu(), sss.device());
			assertEquals(Device.cpu(), sss.model(file, FakeModel.class, DefaultSssServiceTest::load).device, "the loader is told the CPU");
		}
	}

	@Test
	void autoPicksTheGpuWhenThereIsOneAndTheCpuOtherwise() throws Exception {
		final Path file = dir.resolve("model.sss");
		Files.writeString(file, "weights");
		try (Context context = new Context(SssService.class)) {
			final DefaultSssService sss = service(context, ONE_GPU);
			sss.setDeviceChoice(SssService.DeviceChoice.AUTO);
			assertEquals(Device.gpu(0), sss.device());
			assertEquals(Device.gpu(0), sss.model(file, FakeModel.class, DefaultSssServiceTest::load).device, "the loader is told the GPU");

			sss.setDeviceSource(() -> new Device[] { Device.cpu() });
			assertEquals(Device.cpu(), sss.device());
		}
	}

	@Test
	void aCachedModelIsLoadedAgainOnTheNewDeviceWhenTheChoiceChanges() throws Exception {
		final Path file = dir.resolve("model.sss");
		Files.writeString(file, "weights");
		try (Context context = new Context(SssService.class)) {
			final DefaultSssService sss = service(context, ONE_GPU);
			sss.setDeviceChoice(SssService.DeviceChoice.AUTO);
			final FakeModel onGpu = sss.model(file, FakeModel.class, DefaultSssServiceTest::load);
			sss.setDeviceChoice(SssService.DeviceChoice.CPU);
			final FakeModel onCpu = sss.model(file, FakeModel.class, DefaultSssServiceTest::load);
			assertNotSame(onGpu, onCpu);
			assertTrue(onGpu.closed, "the model on the GPU is freed");
			assertEquals(Device.cpu(), onCpu.device);
			assertSame(onCpu, sss.model(file, FakeModel.class, DefaultSssServiceTest::load));
			assertEquals(2, sss.loadCount());
		}
	}

	@Test
	void cpuDoesNotAskForTheDeviceListWhichWouldStartTheEngine() {
		try (Context context = new Context(SssService.class)) {
			final DefaultSssService sss = service(context, () -> {
				throw new AssertionError("the device list was asked for");
			});
			sss.setDeviceChoice(SssService.DeviceChoice.CPU);
			assertEquals(Device.cpu(), sss.device());
		}
	}

	@Test
	void theDevicePropertyChoosesForThisJvmAndABadValueIsNamed() {
		System.setProperty(DefaultSssService.DEVICE_PROPERTY, "CPU");
		try (Context context = new Context(SssService.class)) {
			assertEquals(SssService.DeviceChoice.CPU, context.service(SssService.class).deviceChoice());
		}
		finally {
			System.clearProperty(DefaultSssService.DEVICE_PROPERTY);
		}
		final InvalidInputException e = assertThrows(InvalidInputException.class, () -> SssService.DeviceChoice.parse("cuda", "option --device"));
		assertEquals("option --device: 'cuda' is not a device choice (auto, cpu)", e.getMessage());
	}

	@Test
	void aLoadedSssModelIsOnTheServiceDeviceAndTheLogNamesIt() throws Exception {
		final Path file = dir.resolve("unet.sss");
		try (NDManager root = Engines.pytorch().newBaseManager(Device.cpu());
			UNetNetwork net = UNetNetwork.create(new UNetConfig(1, 2, new int[] { 2, 4, 8, 8, 16 }, new double[5]), root, 1))
		{
			SssModel.write(file, net, List.of("background", "object"), 32, null);
		}
		try (Context context = new Context(SssService.class, LogService.class)) {
			final List<String> lines = new ArrayList<>();
			context.service(LogService.class).addLogListener(message -> lines.add(message.text()));
			final SssService sss = context.service(SssService.class);
			sss.setDeviceChoice(SssService.DeviceChoice.AUTO);
			// this machine has no GPU, so auto is the CPU, and the model must really be there
			final Device device = sss.device();
			assertEquals(Device.cpu(), device);
			final SssModel model = sss.model(file, SssModel.class, SssModel::load);
			for (final var e : model.network().state().parameters().entrySet())
				assertEquals(device, e.getValue().getDevice(), e.getKey());
			assertTrue(lines.stream().anyMatch(l -> l.startsWith("SSS: loaded unet.sss") && l.endsWith(" on " + device)), lines.toString());
			try (NDManager manager = sss.newManager()) {
				assertEquals(device, manager.getDevice());
			}
		}
	}
}
