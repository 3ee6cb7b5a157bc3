package io.github.sssfiji.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import net.imglib2.img.array.ArrayImgs;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.UNetNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.PredictFiles;

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

	/** The model of a lease that is closed at once: what a command that has finished used. */
	private static FakeModel used(final SssService sss, final Path file) throws java.io.IOException {
		try (SssService.Lease<FakeModel> lease = sss.lease(file, FakeModel.class, DefaultSssServiceTest::load)) {
			return lease.get();
		}
	}

	@Test
	void loadsAModelOnceAndAgainWhenItsContentChanges() throws Exception {
		final Path file = dir.resolve("model.sss");
		Files.writeString(file, "weights v1");
		try (Context context = new Context(SssService.class)) {
			final SssService sss = context.service(SssService.class);
			sss.setDeviceChoice(SssService.DeviceChoice.CPU);
			final FakeModel first = used(sss, file);
			assertSame(first, used(sss, file));
			// touching the file without changing it keeps the model: the hash decides
			Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
			assertSame(first, used(sss, file));
			assertEquals(1, sss.loadCount());
			assertFalse(first.closed, "a cached model stays open between jobs");

			Files.writeString(file, "weights v2, retrained");
			final FakeModel second = used(sss, file);
			assertNotSame(first, second);
			assertTrue(first.closed, "the replaced model frees its native memory");
			assertEquals("weights v2, retrained", second.content);
			assertEquals(2, sss.loadCount());

			context.dispose();
			assertTrue(second.closed, "dispose closes every cached model");
		}
	}

	@Test
	void aReplacedEvictedOrDisposedModelStaysOpenUntilItsLastLeaseEnds() throws Exception {
		final Path file = dir.resolve("model.sss");
		Files.writeString(file, "weights v1");
		try (Context context = new Context(SssService.class)) {
			final DefaultSssService sss = service(context, ONE_GPU);
			sss.setDeviceChoice(SssService.DeviceChoice.CPU);
			final SssService.Lease<FakeModel> jobA = sss.lease(file, FakeModel.class, DefaultSssServiceTest::load);
			final SssService.Lease<FakeModel> jobB = sss.lease(file, FakeModel.class, DefaultSssServiceTest::load);
			final FakeModel v1 = jobA.get();
			assertSame(v1, jobB.get());

			// a new file content replaces the cached model while two jobs use it
			Files.writeString(file, "weights v2, retrained");
			final FakeModel v2 = used(sss, file);
			assertNotSame(v1, v2);
			assertFalse(v1.closed, "closed under two running jobs");
			jobA.close();
			jobA.close();
			assertFalse(v1.closed, "closed under the second job; a lease closed twice counts once");
			jobB.close();
			assertTrue(v1.closed, "freed when the last job ended");
			assertThrows(IllegalStateException.class, jobA::get, "a closed lease hands out no model");

			// SSS Options changing the device while a job predicts
			final SssService.Lease<FakeModel> jobC = sss.lease(file, FakeModel.class, DefaultSssServiceTest::load);
			sss.setDeviceChoice(SssService.DeviceChoice.AUTO);
			final FakeModel onGpu = used(sss, file);
			assertEquals(Device.gpu(0), onGpu.device);
			assertFalse(v2.closed, "closed under a job when the device changed");
			jobC.close();
			assertTrue(v2.closed);

			// evict and dispose while a job runs
			final SssService.Lease<FakeModel> jobD = sss.lease(file, FakeModel.class, DefaultSssServiceTest::load);
			sss.evict(file);
			assertFalse(onGpu.closed, "evicted under a job");
			jobD.close();
			assertTrue(onGpu.closed);
			final SssService.Lease<FakeModel> jobE = sss.lease(file, FakeModel.class, DefaultSssServiceTest::load);
			final FakeModel last = jobE.get();
			context.dispose();
			assertFalse(last.closed, "disposed under a job");
			jobE.close();
			assertTrue(last.closed);
		}
	}

	@Test
	void missingModelFileIsNamed() {
		try (Context context = new Context(SssService.class)) {
			final InvalidInputException e = assertThrows(InvalidInputException.class,
				() -> context.service(SssService.class).lease(dir.resolve("nope.sss"), FakeModel.class, DefaultSssServiceTest::load));
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
			assertEquals(Device.cpu(), sss.lease(file, FakeModel.class, DefaultSssServiceTest::load).get().device, "the loader is told the CPU");
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
			assertEquals(Device.gpu(0), sss.lease(file, FakeModel.class, DefaultSssServiceTest::load).get().device, "the loader is told the GPU");

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
			final FakeModel onGpu = used(sss, file);
			sss.setDeviceChoice(SssService.DeviceChoice.CPU);
			final FakeModel onCpu = used(sss, file);
			assertNotSame(onGpu, onCpu);
			assertTrue(onGpu.closed, "the model on the GPU is freed");
			assertEquals(Device.cpu(), onCpu.device);
			assertSame(onCpu, used(sss, file));
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
			final SssModel model = sss.lease(file, SssModel.class, SssModel::load).get();
			for (final var e : model.network().state().parameters().entrySet())
				assertEquals(device, e.getValue().getDevice(), e.getKey());
			assertTrue(lines.stream().anyMatch(l -> l.startsWith("SSS: loaded unet.sss") && l.endsWith(" on " + device)), lines.toString());
			try (NDManager manager = sss.newManager()) {
				assertEquals(device, manager.getDevice());
			}
		}
	}

	private static void writeUNet(final Path file, final int seed) throws java.io.IOException {
		try (NDManager root = Engines.pytorch().newBaseManager(Device.cpu());
			UNetNetwork net = UNetNetwork.create(new UNetConfig(1, 2, new int[] { 2, 4, 8, 8, 16 }, new double[5]), root, seed))
		{
			SssModel.write(file, net, List.of("background", "object"), 32, null);
		}
	}

	/**
	 * A job predicting with a cached model while another replaces that model (a retrained file, as a
	 * training run writes it) and evicts it: the job's prediction completes with the model it started
	 * with, the same as with a model loaded for it alone.
	 */
	@Test
	void aModelReplacedAndEvictedWhileAJobPredictsWithItFinishesThatPrediction() throws Exception {
		final Path file = dir.resolve("unet.sss");
		writeUNet(file, 1);
		final float[] pixels = new float[48 * 40 * 3];
		for (int i = 0; i < pixels.length; i++)
			pixels[i] = (float) Math.sin(i * 0.37) + (i % 48) / 48f;
		final MedicalImage image = new MedicalImage("volume", "test", ArrayImgs.floats(pixels, 48, 40, 3), new double[] { 1, 1, 1 }, null);
		final int[] expected;
		try (SssModel alone = SssModel.load(file, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			expected = PredictFiles.predict(alone, image, 2, false, root).toLabelArray();
		}
		try (Context context = new Context(SssService.class)) {
			final SssService sss = context.service(SssService.class);
			sss.setDeviceChoice(SssService.DeviceChoice.CPU);
			final CountDownLatch leased = new CountDownLatch(1), replaced = new CountDownLatch(1);
			final ExecutorService pool = Executors.newSingleThreadExecutor();
			final Future<int[]> job = pool.submit(() -> {
				try (SssService.Lease<SssModel> lease = sss.lease(file, SssModel.class, SssModel::load); NDManager root = sss.newManager()) {
					leased.countDown();
					replaced.await();
					return PredictFiles.predict(lease.get(), image, 2, false, root).toLabelArray();
				}
			});
			try {
				leased.await();
				writeUNet(file, 2);
				try (SssService.Lease<SssModel> retrained = sss.lease(file, SssModel.class, SssModel::load)) {
					assertEquals(2, sss.loadCount(), "the retrained file is loaded anew");
				}
				sss.evict(file);
				replaced.countDown();
				assertArrayEquals(expected, job.get(), "the job predicted with the model it started with");
				try (SssService.Lease<SssModel> retrained = sss.lease(file, SssModel.class, SssModel::load); NDManager root = sss.newManager()) {
					assertFalse(java.util.Arrays.equals(expected, PredictFiles.predict(retrained.get(), image, 2, false, root).toLabelArray()),
						"the retrained model predicts otherwise, so the job's result tells which model it used");
				}
			}
			finally {
				replaced.countDown();
				pool.shutdown();
			}
		}
	}
}
