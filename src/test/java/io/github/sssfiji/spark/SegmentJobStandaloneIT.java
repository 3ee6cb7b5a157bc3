package io.github.sssfiji.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.OutputFormat;
import io.github.sssfiji.sss.predict.PredictFiles;

/**
 * The cohort job on a real Spark standalone cluster on 127.0.0.1: a master, a worker and the driver
 * are JVMs this test starts from its own class path (also the executors' class path, through
 * {@code spark.executor.extraClassPath}, so no assembly jar is needed). The worker is killed with its
 * executor while the job runs (a lost node), a new worker joins, and the job completes after Spark
 * runs the lost tasks again. An integration test since it starts five JVMs (about a minute).
 */
class SegmentJobStandaloneIT {

	/** The 18 sample volumes, 128 x 128 x 10-14 each. */
	private static final List<Path> SAMPLE = List.of(Path.of("sample-data", "images"), Path.of("sample-data", "unlabeled"),
		Path.of("sample-data", "val", "images"), Path.of("sample-data", "test", "images"));
	private static final int VOLUMES = 18;
	private static final long TIMEOUT_SECONDS = 240;

	@TempDir
	Path dir;

	private final List<Process> started = new ArrayList<>();

	@AfterEach
	void stopCluster() {
		for (final Process p : started) {
			p.descendants().forEach(ProcessHandle::destroyForcibly);
			p.destroyForcibly();
		}
	}

	/** The JDK module options spark-submit passes on Java 17, for the JVMs this test starts. */
	private static List<String> moduleOptions() {
		return Arrays.asList(JavaModuleOptions.defaultModuleOptions().split(" "));
	}

	private static String classPath() {
		return System.getProperty("java.class.path");
	}

	private Process java(final String name, final List<String> jvm, final String mainClass, final String... args) throws IOException {
		final List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(moduleOptions());
		command.addAll(jvm);
		command.addAll(List.of("-cp", classPath(), mainClass));
		command.addAll(Arrays.asList(args));
		final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
		// an empty SPARK_HOME/jars: the worker builds the executors' class path from it and spark.executor.extraClassPath
		builder.environment().put("SPARK_HOME", dir.resolve("spark-home").toString());
		builder.environment().put("SPARK_SCALA_VERSION", "2.12");
		builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
		builder.environment().put("OMP_WAIT_POLICY", "PASSIVE");
		final Process process = builder.start();
		started.add(process);
		return process;
	}

	private String log(final String name) {
		try {
			final String text = Files.readString(dir.resolve(name + ".log"));
			return "--- " + name + ".log:\n" + text.substring(Math.max(0, text.length() - 6000));
		}
		catch (final IOException e) {
			return "--- " + name + ".log: " + e;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void awaitListening(final int port, final Process process, final String what) throws InterruptedException {
		final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < end) {
			assertTrue(process.isAlive(), what + " exited");
			try (Socket s = new Socket()) {
				s.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return;
			}
			catch (final IOException e) {
				Thread.sleep(200);
			}
		}
		throw new AssertionError(what + " does not listen on " + port);
	}

	/** A worker with one core, so that the executor segments one volume at a time. */
	private Process worker(final String name, final String master) throws IOException {
		return java(name, List.of("-Xmx256m"), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
			"--cores", "1", "--memory", "1536m", "--work-dir", dir.resolve(name + "-work").toString(), master);
	}

	private Process driver(final String name, final Path model, final Path input, final Path out, final String master) throws IOException {
		return java(name,
			List.of("-Xmx512m", "-Dspark.executor.extraClassPath=" + classPath(), "-Dspark.executor.memory=1g", "-Dspark.driver.host=127.0.0.1",
				"-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.ui.enabled=false", "-Dspark.ui.showConsoleProgress=false"),
			SparkMain.class.getName(), "segment", "--model", model.toString(), "--input", input.toString(), "--out", out.toString(), "--master", master,
			"--threads", executorThreads(), "--partitions", String.valueOf(VOLUMES + 1));
	}

	/**
	 * libtorch's intra-op threads for the executors: this JVM's, with which the single-process prediction the job is
	 * compared with runs. Float sums depend on the thread count, and the untrained model's classes are near ties:
	 * on an AVX-512 EPYC one voxel's argmax differed between 1 and 2 threads.
	 */
	private static String executorThreads() {
		return String.valueOf(Engines.threads());
	}

	/**
	 * The job as {@code spark-submit --master URL --class SparkMain APP.jar segment ...} submits it: through
	 * Spark's own {@code SparkSubmit} (what the script runs once it has built the class path), with the
	 * master given to Spark and not to the job. The application jar holds only a manifest, since this JVM's
	 * class path already has the job's classes; the executors get them from {@code extraClassPath} as above.
	 */
	private Process submit(final String name, final Path model, final Path input, final Path out, final String master) throws IOException {
		final Path app = dir.resolve("app.jar");
		final Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(app), manifest)) {
			// the manifest is the whole jar
		}
		return java(name, List.of("-Xmx512m"), "org.apache.spark.deploy.SparkSubmit", "--master", master, "--deploy-mode", "client", "--class",
			SparkMain.class.getName(), "--conf", "spark.executor.extraClassPath=" + classPath(), "--conf", "spark.executor.memory=1g", "--conf",
			"spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.ui.enabled=false", "--conf",
			"spark.ui.showConsoleProgress=false", app.toString(), "segment", "--model", model.toString(), "--input", input.toString(), "--out",
			out.toString(), "--threads", executorThreads(), "--partitions", String.valueOf(VOLUMES + 1));
	}

	private int await(final Process driver, final String name) throws InterruptedException {
		if (!driver.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) throw new AssertionError(name + " did not finish in " + TIMEOUT_SECONDS + " s\n" + logs());
		return driver.exitValue();
	}

	private String logs() {
		return String.join("\n", Stream.of("master", "worker-1", "worker-2", "driver-1", "driver-2").map(this::log).toList());
	}

	private static List<Path> temporaries(final Path folder) throws IOException {
		try (Stream<Path> files = Files.list(folder)) {
			return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
		}
	}

	@Test
	void aWorkerKilledDuringTheJobIsReplacedAndTheJobCompletesWithTheLabelMapsOfTheSingleProcessPredictionAndNoPartialFile() throws Exception {
		Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
		final Path model = SegmentJobTest.untrainedModel(dir), input = Files.createDirectories(dir.resolve("input")), out = dir.resolve("out");
		for (final Path folder : SAMPLE)
			for (final Path file : ImageFiles.list(folder))
				Files.copy(file, input.resolve(file.getFileName()));
		// the first kilobyte of a real volume: a gzip stream cut short
		final byte[] whole = Files.readAllBytes(input.resolve("synthetic_000.nii.gz"));
		Files.write(input.resolve("corrupt.nii.gz"), Arrays.copyOf(whole, 1024));
		// what a task killed while writing on another node leaves, named as AtomicFiles names it: its process id means
		// nothing on this machine and may be a live process here (this JVM's stands for one), so the executor that writes
		// the volume again keeps it, and the driver removes it once every task has ended
		Files.createDirectories(out);
		Files.writeString(out.resolve(".synthetic_017.nii.gz." + ProcessHandle.current().pid() + "-killed.tmp"), "partial");

		final int port = freePort();
		final String master = "spark://127.0.0.1:" + port;
		final Process masterProcess = java("master", List.of("-Xmx256m"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
			String.valueOf(port), "--webui-port", "0");
		awaitListening(port, masterProcess, "the master");
		final Process first = worker("worker-1", master);
		final Process driver = driver("driver-1", model, input, out, master);

		// kill the worker and its executor (a lost node) once two label maps are written: with one core the second
		// task starts only after the driver has the first one's result, so the lost executor has a task to its name
		final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
		while (SegmentJobTest.labelMaps(out).size() < 2) {
			assertTrue(driver.isAlive(), "the job ended before two label maps were written\n" + logs());
			assertTrue(System.nanoTime() < end, "not two label maps in " + TIMEOUT_SECONDS + " s\n" + logs());
			Thread.sleep(50);
		}
		final List<ProcessHandle> executors = first.descendants().toList();
		first.destroyForcibly();
		executors.forEach(ProcessHandle::destroyForcibly);
		first.waitFor();
		final int writtenBeforeTheKill = SegmentJobTest.labelMaps(out).size();
		assertFalse(executors.isEmpty(), "the worker ran an executor");
		assertTrue(writtenBeforeTheKill < VOLUMES, "the kill came before the job's end: " + writtenBeforeTheKill + " label maps");
		worker("worker-2", master);

		assertEquals(1, await(driver, "the job"), "exit code 1: the corrupt volume failed\n" + logs());
		final JsonObject job = SegmentJobTest.json(out.resolve(SegmentJob.JOB));
		System.out.println("killed after " + writtenBeforeTheKill + " label maps; " + job);
		assertEquals(VOLUMES + 1, job.get("volumes").getAsInt(), job.toString());
		assertEquals(VOLUMES, job.get("done").getAsInt() + job.get("skipped").getAsInt(), job.toString());
		assertEquals(1, job.get("failed").getAsInt(), job.toString());
		assertEquals(master, job.get("master").getAsString());
		assertEquals(2, job.get("executors").getAsInt(), "the lost executor and its replacement ran tasks: " + job);
		assertEquals(1, job.get("temporaries_removed").getAsInt(), job.toString());
		final List<String> failures = Files.readAllLines(out.resolve(SegmentJob.FAILURES));
		assertEquals(2, failures.size(), failures.toString());
		assertTrue(failures.get(1).startsWith(input.resolve("corrupt.nii.gz").toAbsolutePath() + ","), failures.toString());
		assertEquals(List.of(), temporaries(out));

		// the label maps of the single-process prediction, voxel for voxel
		final Path single = dir.resolve("single");
		try (SssModel loaded = SssModel.load(model, Device.cpu()); NDManager root = Engines.pytorch().newBaseManager(Device.cpu())) {
			final PredictFiles.Outcome outcome = PredictFiles.run(loaded, PredictFiles.inputs(input, null).images(), single, OutputFormat.NIFTI, 8, false, false, false, root, null);
			assertEquals(VOLUMES, outcome.written().size(), outcome.counts());
		}
		assertEquals(SegmentJobTest.labelMaps(single), SegmentJobTest.labelMaps(out));
		for (final String name : SegmentJobTest.labelMaps(single))
			assertArrayEquals(ImageFiles.readLabels(single.resolve(name)).toLabelArray(), ImageFiles.readLabels(out.resolve(name)).toLabelArray(), name);

		// a second submission, through spark-submit, skips every label map that exists
		assertEquals(1, await(submit("driver-2", model, input, out, master), "the second job"), logs());
		final JsonObject again = SegmentJobTest.json(out.resolve(SegmentJob.JOB));
		assertEquals(master, again.get("master").getAsString(), "the master spark-submit was given: " + again);
		assertEquals(0, again.get("done").getAsInt(), again.toString());
		assertEquals(VOLUMES, again.get("skipped").getAsInt(), again.toString());
		assertEquals(1, again.get("failed").getAsInt(), again.toString());
	}
}
