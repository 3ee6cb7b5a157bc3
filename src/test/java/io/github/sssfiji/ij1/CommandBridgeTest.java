package io.github.sssfiji.ij1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.app.event.StatusEvent;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.Macro;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import ij.plugin.filter.Analyzer;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.sss.pcsw.Prompt;
import io.github.sssfiji.sss.pcsw.PromptsJson;

/**
 * The bridge in this JVM, as ImageJ calls it from {@code run("SSS ...", options)}: on a thread whose name
 * starts with {@code Run$_}, the only kind for which {@link Macro#getOptions()} answers. The complete
 * headless macro runs are {@code MacrosIT}.
 */
class CommandBridgeTest {

	@TempDir
	Path dir;

	/** Runs the bridge as a macro's {@code run(...)} would, on a macro-named thread. */
	private static void runAsMacro(final String commandClass, final String options) throws InterruptedException {
		final AtomicReference<Throwable> failure = new AtomicReference<>();
		final Thread thread = new Thread(() -> {
			Macro.setOptions(Thread.currentThread(), options);
			try {
				new CommandBridge().run(commandClass);
			}
			finally {
				Macro.setOptions(Thread.currentThread(), null);
			}
		}, "Run$_CommandBridgeTest");
		thread.setUncaughtExceptionHandler((t, e) -> failure.set(e));
		thread.start();
		thread.join();
		assertNull(failure.get());
	}

	/** Class 2 on every one of 5 slices; a class-1 blob on slice 3 only. */
	private Path labels() {
		final int nx = 24, ny = 20;
		final ImageStack stack = new ImageStack(nx, ny);
		for (int z = 0; z < 5; z++) {
			final byte[] plane = new byte[nx * ny];
			for (int y = 4; y <= 8; y++)
				for (int x = 5; x <= 10; x++)
					plane[y * nx + x] = 2;
			if (z == 3) for (int y = 14; y <= 17; y++)
				for (int x = 17; x <= 20; x++)
					plane[y * nx + x] = 1;
			stack.addSlice(null, plane);
		}
		final Path file = dir.resolve("heart.tif");
		assertTrue(new FileSaver(new ImagePlus("heart", stack)).saveAsTiffStack(file.toString()));
		return file;
	}

	@Test
	void runsCommandsWithMacroOptionsAndPublishesTheResultsTable() throws Exception {
		final Path out = dir.resolve("my prompts");
		runAsMacro("io.github.sssfiji.command.GeneratePromptsFolderCommand", "input=[" + labels() + "] output=[" + out + "] prompt_freq=1 ");
		final List<Prompt> prompts = PromptsJson.read(out.resolve("prompts.json"));
		assertEquals(List.of(0, 1, 2, 3, 4), prompts.stream().map(Prompt::slice).toList(), "prompt_freq=1 reached the command");

		runAsMacro("io.github.sssfiji.command.EvaluateCommand", "prediction=[" + out.resolve("filtered.nii.gz") + "] ground_truth=[" + labels() + "] ");
		final ResultsTable results = Analyzer.getResultsTable();
		assertEquals(2, results.size(), "one row per class of the reference");
		assertEquals(0, results.getValue("dice", 0), "the one-slice blob of class 1 was filtered out");
		assertEquals(1, results.getValue("dice", 1), 1e-12);
	}

	@Test
	void failuresAreReportedWithTheInvalidInputMessage() {
		final Throwable wrapped = new ExecutionException(new IllegalStateException("SSS Evaluate: could not read",
			new InvalidInputException("/data/a.nii.gz: truncated gzip")));
		assertEquals("/data/a.nii.gz: truncated gzip", CommandBridge.message(wrapped));
		assertEquals("SSS Evaluate: disk full", CommandBridge.message(new ExecutionException(new IllegalStateException("SSS Evaluate: disk full"))));
		assertEquals("java.lang.NullPointerException", CommandBridge.message(new ExecutionException(null, new NullPointerException())));
	}

	/** Counts the status events it receives; nothing but the event bus refers to it. */
	public static final class StatusCounter {

		static final AtomicInteger RECEIVED = new AtomicInteger();

		@EventHandler
		public void onEvent(final StatusEvent event) {
			RECEIVED.incrementAndGet();
		}
	}

	/** Runs the garbage collector until an object only weakly referenced is gone. */
	private static void collectGarbage() throws InterruptedException {
		final WeakReference<Object> sentinel = new WeakReference<>(new Object());
		for (int i = 0; i < 100 && sentinel.get() != null; i++) {
			System.gc();
			Thread.sleep(10);
		}
		assertNull(sentinel.get(), "no garbage collection happened");
	}

	@Test
	void theHandlersOfACommandRunReceiveEventsAfterAGarbageCollectionAndNoneAfterTheRun() throws InterruptedException {
		try (Context context = new Context(EventService.class)) {
			final EventService events = context.service(EventService.class);
			StatusCounter.RECEIVED.set(0);
			try (CommandBridge.Subscriptions run = new CommandBridge.Subscriptions(events, new StatusCounter())) {
				collectGarbage();
				events.publish(new StatusEvent("iteration 11"));
				assertEquals(1, StatusCounter.RECEIVED.get(), "the handler outlives a collection during the run");
			}
			events.publish(new StatusEvent("after the run"));
			assertEquals(1, StatusCounter.RECEIVED.get(), "unsubscribed when the run ended");

			// what Subscriptions is for: the bus alone holds a handler weakly, and a collection ends it
			events.subscribe(new StatusCounter());
			collectGarbage();
			events.publish(new StatusEvent("iteration 11"));
			assertEquals(1, StatusCounter.RECEIVED.get(), "SciJava's event bus kept a handler nothing else refers to");
		}
	}
}
