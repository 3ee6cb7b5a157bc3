package io.github.sssfiji.spark;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.spark.SparkEnv;
import org.scijava.Context;

import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.service.SssService.DeviceChoice;
import io.github.sssfiji.sss.modelfile.SssModel;

/**
 * The SSS state of one JVM of a Spark job, made on first use and kept until the JVM ends: one
 * SciJava context, whose {@link SssService} owns the engine, its device and threads, and loads each
 * model once (cached by file content and device). On a cluster each executor has its own; in local
 * mode the driver's JVM holds the one for every task thread. Tasks of one executor share the model:
 * prediction is inference only (no gradients, evaluation mode), which libtorch runs from several
 * threads at once.
 */
final class ExecutorContext {

	private static Context context;

	private ExecutorContext() {}

	/**
	 * The service of this JVM; the first call sets the device ({@code auto} or {@code cpu}, null for
	 * the service's choice) and the engine's threads (0 for the engine's choice), later calls return
	 * the same service.
	 */
	static synchronized SssService service(final String device, final int threads) {
		if (context == null) {
			Engines.configureOffline();
			final Context made = new Context(SssService.class);
			final SssService service = made.service(SssService.class);
			if (device != null) service.setDeviceChoice(DeviceChoice.parse(device, "option --device"), false);
			if (threads > 0) service.setThreads(threads, false);
			context = made;
		}
		return context.service(SssService.class);
	}

	/** A lease on the model of {@code file}, loaded once per JVM (per file content and device). */
	static SssService.Lease<SssModel> model(final SssService service, final Path file) throws IOException {
		return service.lease(file, SssModel.class, SssModel::load);
	}

	/** The Spark executor this runs on ({@code driver} in local mode). */
	static String executorId() {
		final SparkEnv env = SparkEnv.get();
		return env == null ? "unknown" : env.executorId();
	}

	/** Model loads of this JVM so far, for the job's report (0 before the first task). */
	static synchronized int loads() {
		return context == null ? 0 : context.service(SssService.class).loadCount();
	}
}
