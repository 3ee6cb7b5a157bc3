package io.github.sssfiji.djl;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs test code on a new thread, as Fiji runs commands on pool threads: libtorch keeps its grad
 * mode per thread, and only the thread that started the engine has it off, so code that works on
 * the test thread may still record autograd graphs elsewhere.
 */
public final class FreshThreads {

	private FreshThreads() {}

	/** Calls {@code task} on a new thread and returns its result; its exceptions and assertion errors are rethrown here. */
	public static <T> T call(final Callable<T> task) throws Exception {
		final ExecutorService thread = Executors.newSingleThreadExecutor();
		try {
			return thread.submit(task).get();
		}
		catch (final ExecutionException e) {
			if (e.getCause() instanceof Error error) throw error;
			if (e.getCause() instanceof Exception exception) throw exception;
			throw e;
		}
		finally {
			thread.shutdownNow();
		}
	}
}
