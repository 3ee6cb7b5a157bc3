package io.github.sssfiji.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import ai.djl.Device;
import io.github.sssfiji.InvalidInputException;

class DefaultSssServiceTest {

	@TempDir
	Path dir;

	/** A stand-in for a loaded model: remembers its file content and whether it was closed. */
	static final class FakeModel implements AutoCloseable {
		final String content;
		boolean closed;

		FakeModel(final String content) {
			this.content = content;
		}

		@Override
		public void close() {
			closed = true;
		}
	}

	private static FakeModel load(final Path file, final Device device) throws java.io.IOException {
		return new FakeModel(Files.readString(file));
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
}
