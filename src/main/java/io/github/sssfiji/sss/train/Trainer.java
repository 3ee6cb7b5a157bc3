package io.github.sssfiji.sss.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.DatasetItem;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.model.unet.UNetConfig;
import io.github.sssfiji.sss.DfeNetwork;
import io.github.sssfiji.sss.Network;
import io.github.sssfiji.sss.Networks;
import io.github.sssfiji.sss.Sam2Network;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.modelfile.TensorArchive;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.util.ProcessMemory;
import io.github.sssfiji.util.SssVersion;

/**
 * The SSS training loop: iterations of {@link TrainingStep} on batches from {@link BatchSampler},
 * PCSW refreshes every {@code pcswInterval} iterations, validation every
 * {@code validationInterval} iterations with checkpoints, until the iteration count or the
 * wall-clock budget is reached, or until {@link TrainingListener#stopRequested()} says stop.
 * <p>
 * Files in the run folder: {@value #BEST} and {@value #LAST} (model files, {@link SssModel}: of the
 * network that scored higher at that validation when {@code validate} is {@code both}, otherwise of
 * the network validated; without validation volumes {@value #BEST} is the latest model: the EMA
 * teacher in semi-supervised modes unless {@code validate} is {@code student}, the student in
 * supervised mode) and {@value #STATE} (everything needed to resume: student, teacher, DFE, optimiser, the
 * completed iteration count, best score and PCSW masks). All are written atomically. Randomness
 * of iteration t is a function of (seed, t), so a run resumed from its last checkpoint repeats the
 * iterations an uninterrupted run would have made.
 * </p>
 * <p>
 * With held-out test items ({@link TrainingData#test()}), once the last checkpoint is written (a run
 * that ends on its iterations or its budget, not on a stop request), the best and the last model
 * files are scored on them, read then for the first time, and the scores go into both files'
 * provenance ({@code test}: {@code volumes}, {@code best} and {@code last}, each with the
 * checkpoint's iteration, network and Dice per class and mean). The listener (e.g. the run folder's
 * {@code metrics.csv} and {@code training.png}, {@link TrainingMetrics}) hears of every
 * iteration and validation.
 * </p>
 */
public final class Trainer {

	public static final String BEST = "best.sss", LAST = "last.sss", STATE = "last.state";
	static final String STATE_FORMAT = "sss-training-state", PCSW_ENTRY = "pcsw.bin", PROMPTS_ENTRY = "prompts.bin";

	private final TrainingConfig config;
	private final TrainingData data;
	private final Path folder;
	private final TrainingListener listener;
	private final PrintStream log;

	private long completed;
	private double best = -1;
	private long bestIteration = -1;
	private long lastCheckpoint = -1;
	private long skipped;
	/** Training time of the whole run, resumed parts included, as of the last completed iteration. */
	private double trainingSeconds;
	private double lastMean = Double.NaN;
	/** The best validation so far, as the model files record it ({@link #validationEntry}), or null before the first. */
	private JsonObject bestValidation;
	/** The model file the weights started from ({@code init}), or {@code null}. */
	private InitialWeights.Source init;
	private Device device;

	private Trainer(final TrainingConfig config, final TrainingData data, final Path folder, final TrainingListener listener, final PrintStream log) {
		this.config = config;
		this.data = data;
		this.folder = folder;
		this.listener = listener == null ? new TrainingListener() {} : listener;
		this.log = log;
	}

	/**
	 * What a run ended with.
	 *
	 * @param stopped whether the run ended early because its listener asked it to
	 * @param test the held-out test's scores as the model files' provenance records them, or null
	 *          without a test (or when the run was stopped)
	 */
	public record Summary(long completedIterations, double bestMeanDice, long bestIteration, double[] lastClassDice, long skippedSteps,
		double seconds, boolean stopped, JsonObject test)
	{}

	/**
	 * Trains into {@code folder} (created if needed).
	 *
	 * @param resume continue from {@value #STATE} in the folder
	 * @param log progress lines, or {@code null}
	 * @param device where the networks, the optimiser state and the batches live (the SSS service's
	 *          device in Fiji and the CLI)
	 */
	public static Summary run(final TrainingConfig config, final TrainingData data, final Path folder, final boolean resume,
		final TrainingListener listener, final PrintStream log, final Device device) throws IOException
	{
		if (data.classNames().size() < 2) throw new InvalidInputException("the dataset must name at least 2 classes");
		final boolean created = !Files.exists(folder);
		Files.createDirectories(folder);
		// a run killed while writing a checkpoint left a hidden temporary file beside it
		AtomicFiles.removeAbandoned(List.of(folder.resolve(BEST), folder.resolve(LAST), folder.resolve(STATE)));
		try {
			return new Trainer(config, data, folder, listener, log).train(resume, device);
		}
		catch (final IOException | RuntimeException | Error e) {
			// a run that failed before its first checkpoint (a bad pretrained file, say) leaves no folder behind
			if (created && !Files.exists(folder.resolve(STATE))) deleteQuietly(folder);
			throw e;
		}
	}

	/** Deletes a run folder that this run created and that holds no checkpoint; what cannot be deleted stays. */
	private static void deleteQuietly(final Path folder) {
		try (java.util.stream.Stream<Path> walk = Files.walk(folder)) {
			walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		}
		catch (final IOException | java.io.UncheckedIOException e) {
			// the error that ended the run matters more than a leftover folder
		}
	}

	/** The configuration saved in a run folder's state file (to resume with). */
	public static TrainingConfig savedConfig(final Path folder) throws IOException {
		return saved(folder).config();
	}

	/**
	 * Where a run folder's last checkpoint stands: its configuration, the iterations completed and
	 * the training seconds spent (across resumed runs).
	 */
	public record Checkpoint(TrainingConfig config, long completed, double trainingSeconds) {

		/** Whether a run with these iterations and budget (minutes, 0 for none) has nothing left to train. */
		public boolean finished(final long iterations, final double budgetMinutes) {
			return completed >= iterations || budgetMinutes > 0 && trainingSeconds >= budgetMinutes * 60;
		}
	}

	/** The last checkpoint in a run folder's state file, read without its tensors. */
	public static Checkpoint saved(final Path folder) throws IOException {
		final Path file = folder.resolve(STATE);
		if (!Files.isRegularFile(file)) throw new InvalidInputException(file + ": no training state to resume from");
		final JsonObject meta = TensorArchive.readMeta(file);
		if (!STATE_FORMAT.equals(meta.has("format") ? meta.get("format").getAsString() : null))
			throw new InvalidInputException(file + ": not an SSS training-state file");
		return new Checkpoint(TrainingConfig.of(meta.getAsJsonObject("config"), file.toString()), meta.get("completed").getAsLong(),
			meta.has("trainingSeconds") ? meta.get("trainingSeconds").getAsDouble() : 0);
	}

	private Summary train(final boolean resume, final Device device) throws IOException {
		final long start = System.nanoTime();
		this.device = device;
		final Engine engine = Engines.pytorch();
		final int classes = data.classNames().size();
		// on a thread other than the engine's first, autograd would be on outside the gradient collector
		try (Engines.NoGrad noGrad = Engines.noGrad();
			NDManager root = engine.newBaseManager(device);
			Network student = newStudent(config, classes, root);
			Network teacher = config.semiSupervised() ? student.newInstance(root, config.run().seed()) : null)
		{
			if (!resume && !config.run().init().isEmpty()) init = InitialWeights.load(Path.of(config.run().init()), student, data.classNames(), root, log);
			if (teacher != null) Ema.copy(student.state(), teacher.state());
			final Map<String, NDArray> trained = new LinkedHashMap<>();
			student.state().parameters().forEach((name, array) -> trained.put("student/" + name, array));
			final TrainingConfig.Optimisation optimisation = config.optimisation();
			try (Optimizer optimizer = new Optimizer(optimisation.optimizer(), optimisation.momentum(), optimisation.weightDecay(), trained, root)) {
				if (Sam2Network.KINDS.contains(student.kind()) && optimisation.encoderLr() != optimisation.lr())
					for (final String name : student.state().parameters().keySet())
						if (Sam2Network.isEncoderParameter(name)) optimizer.scaleLearningRate("student/" + name, optimisation.encoderLr() / optimisation.lr());
				if (resume) restore(student, teacher, optimizer);
				else if (log != null) log.println("training: " + config);
				listener.started(completed);
				final TrainingStep step = new TrainingStep(config, student, teacher, optimizer);
				final BatchSampler sampler = new BatchSampler(config, data);
				final Map<String, Network> validated = validatedNetworks(student, teacher);
				final PcswParameters pcsw = pcswParameters(config);
				// training time counts across resumed runs, so that a budget is the whole run's
				final long resumedAt = System.nanoTime();
				final double secondsBefore = trainingSeconds;
				final long first = completed;
				double[] lastDice = null;
				double recent = 0;
				boolean stopped = false;
				while (completed < config.run().iterations()) {
					if (listener.stopRequested()) {
						stopped = true;
						if (log != null) log.printf(Locale.ROOT, "stopped on request after %d iterations%n", completed);
						break;
					}
					trainingSeconds = secondsBefore + (System.nanoTime() - resumedAt) / 1e9;
					if (config.run().budgetMinutes() > 0 && trainingSeconds >= config.run().budgetMinutes() * 60) {
						if (log != null) log.printf(Locale.ROOT, "budget of %.1f min reached after %d iterations%n", config.run().budgetMinutes(), completed);
						break;
					}
					final long t = completed;
					final double progress = Schedule.progress(t, config.run().iterations(), trainingSeconds, config.run().budgetMinutes());
					final double weight = Schedule.unlabelledWeight(config, progress);
					if (weight > 0 && config.method().pcsw() && t > 0 && t % config.method().pcswInterval() == 0) {
						final PcswRefresh.Summary refreshed = PcswRefresh.refresh(teacher, data.unlabelledVolumes(), config.sampling().crop(),
							config.run().inferenceBatch(), pcsw, config.prompting().pseudoLabels(), config.consistency().confidenceThreshold(), root);
						if (log != null) log.printf(Locale.ROOT, "pcsw at iteration %d: %.2f%% of unlabelled pixels rejected%s (%.1f s)%n", t, 100 * refreshed.rejected(),
							config.prompting().prompted() ? String.format(Locale.ROOT, ", %.1f%% of unlabelled slices prompted", 100 * refreshed.promptedSlices()) : "",
							refreshed.seconds());
					}
					final StepResult result = step.run(sampler.sample(t, weight > 0), t, Schedule.learningRate(config, progress), weight, root);
					completed = t + 1;
					trainingSeconds = secondsBefore + (System.nanoTime() - resumedAt) / 1e9;
					if (result.skipped()) {
						skipped++;
						if (log != null) log.printf(Locale.ROOT, "iteration %d: update skipped, %s%n", t, result.skipReason());
					}
					recent = recent == 0 ? result.seconds() : 0.9 * recent + 0.1 * result.seconds();
					listener.iteration(result);
					if (log != null && (t == first || completed % config.run().logInterval() == 0))
						log.println(progress(result, recent));
					if (completed % config.run().validationInterval() == 0 || completed == config.run().iterations()) {
						lastDice = validateAndSave(validated, student, teacher, optimizer, root);
					}
				}
				if (lastCheckpoint != completed) lastDice = validateAndSave(validated, student, teacher, optimizer, root);
				JsonObject test = null;
				if (!data.test().isEmpty()) {
					if (stopped) {
						if (log != null) log.println("held-out test skipped: the run was stopped; resume it to finish training and test");
					}
					else test = test(root);
				}
				return new Summary(completed, best, bestIteration, lastDice, skipped, (System.nanoTime() - start) / 1e9, stopped, test);
			}
		}
	}

	/**
	 * The PCSW parameters of a run's refreshes: the preset ({@code pcswPreset}), the rule ({@code pcswRule}) and the
	 * prompting's {@code promptFrequency}.
	 */
	static PcswParameters pcswParameters(final TrainingConfig config) {
		return config.method().pcswPreset().parameters().toBuilder().rule(config.method().pcswRule()).promptFrequency(config.prompting().promptFrequency())
			.build();
	}

	/**
	 * The network a run trains: the U-Net, or a SAM-2 backbone with random or imported ({@code pretrained}) weights at the crop size,
	 * with memory when it trains on sequences ({@code sequenceLength} above 1; its rule {@code memoryBank}), and with DFE (in the scope {@code dfeScope}, the form {@code dfeForm}, on {@code dfeLevels}) when
	 * {@code dfe} is on in mode sss.
	 */
	static Network newStudent(final TrainingConfig config, final int classes, final NDManager root) {
		final String pretrained = config.sam2().pretrained();
		return Networks.create(new Networks.Spec(config.method().backbone(), classes, config.sampling().crop(), pretrained.isEmpty() ? null : Path.of(pretrained),
			config.sam2().sequenceLength() > 1, config.sam2().memoryBank(), config.method().dfe() ? config.method().dfeScope() : null, config.method().dfeForm(), config.method().dfeLevels(),
			config.prompting().prompted()), root,
			config.run().seed());
	}

	private String progress(final StepResult r, final double secondsPerIteration) {
		final long remaining = config.run().iterations() - completed;
		double eta = remaining * secondsPerIteration;
		if (config.run().budgetMinutes() > 0) eta = Math.min(eta, Math.max(0, config.run().budgetMinutes() * 60 - trainingSeconds));
		return String.format(Locale.ROOT, "iter %d/%d  loss %.4f (l %.4f, u %s)  lr %.5f  %.2f s/it  ETA %s%s%s", completed, config.run().iterations(), r.loss(),
			r.labelledLoss(), Double.isNaN(r.unlabelledLoss()) ? "-" : String.format(Locale.ROOT, "%.4f x %.2f", r.unlabelledLoss(), r.unlabelledWeight()), r.lr(),
			secondsPerIteration, duration(eta), Double.isNaN(r.confidentFraction()) ? "" :
				String.format(Locale.ROOT, "  confident %.1f%%", 100 * r.confidentFraction()),
			Double.isNaN(lastMean) ? "" : String.format(Locale.ROOT, "  val Dice %.4f", lastMean));
	}

	/**
	 * The networks a validation scores, by name, per {@code validate}; the first also stands for the
	 * run when there is nothing to validate on.
	 */
	private Map<String, Network> validatedNetworks(final Network student, final Network teacher) {
		final Map<String, Network> networks = new LinkedHashMap<>();
		if (teacher != null && config.run().validate() != TrainingConfig.Validated.STUDENT) networks.put("teacher", teacher);
		if (teacher == null || config.run().validate() != TrainingConfig.Validated.TEACHER) networks.put("student", student);
		return networks;
	}

	private double[] validateAndSave(final Map<String, Network> validated, final Network student, final Network teacher,
		final Optimizer optimizer, final NDManager root) throws IOException
	{
		double[] dice = null;
		String kept = validated.keySet().iterator().next();
		boolean improved = false;
		if (!data.validation().isEmpty()) {
			final long v0 = System.nanoTime();
			final StringBuilder scores = new StringBuilder();
			final Map<String, Double> means = new LinkedHashMap<>();
			for (final Map.Entry<String, Network> network : validated.entrySet()) {
				final double[] scored = Validation.run(network.getValue(), data.validation(), config.sampling().crop(), config.run().inferenceBatch(), root);
				final double mean = scored[scored.length - 1];
				means.put(network.getKey(), mean);
				scores.append(String.format(Locale.ROOT, "  %s %.4f", network.getKey(), mean));
				if (dice == null || mean > dice[dice.length - 1]) {
					dice = scored;
					kept = network.getKey();
				}
			}
			final double mean = dice[dice.length - 1];
			lastMean = mean;
			improved = mean > best;
			if (improved) {
				best = mean;
				bestIteration = completed;
				bestValidation = validationEntry(completed, kept, dice);
			}
			listener.validated(completed, dice, means);
			if (log != null) {
				final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "validation at %d: Dice", completed));
				for (int c = 1; c < dice.length - 1; c++)
					line.append(String.format(Locale.ROOT, " %s %.4f", data.classNames().get(c), dice[c]));
				line.append(String.format(Locale.ROOT, "  mean %.4f  (best %.4f at %d, %.1f s)  rss %.0f MB  heap %.0f MB", mean, best, bestIteration,
					(System.nanoTime() - v0) / 1e9, ProcessMemory.residentMegabytes(), ProcessMemory.heapCommittedMegabytes()));
				// the per-network means only where there is a choice: the kept one is the higher
				if (validated.size() > 1) line.append(scores).append(", kept ").append(kept);
				log.println(line);
			}
		}
		final JsonObject meta = new JsonObject();
		meta.add("training", config.toJson());
		meta.addProperty("iteration", completed);
		meta.addProperty("network", kept);
		final JsonObject last = dice == null ? null : validationEntry(completed, kept, dice);
		if (last != null) meta.add("validationDice", last.get("dice").deepCopy());
		meta.add("provenance", provenance(last));
		final Network network = validated.get(kept);
		SssModel.write(folder.resolve(LAST), network, data.classNames(), config.sampling().crop(), meta);
		// without validation volumes there is no best: the latest model stands in for it
		if (improved || data.validation().isEmpty()) SssModel.write(folder.resolve(BEST), network, data.classNames(), config.sampling().crop(), meta);
		writeState(student, teacher, optimizer);
		lastCheckpoint = completed;
		return dice;
	}

	/**
	 * The held-out test: the best and the last model file scored on the test items (read now, one
	 * volume at a time, as validation scores: {@link Validation}), the scores recorded in both files'
	 * provenance.
	 */
	private JsonObject test(final NDManager root) throws IOException {
		final long t0 = System.nanoTime();
		final List<String> checkpoints = List.of("best", "last");
		final Path[] files = { folder.resolve(BEST), folder.resolve(LAST) };
		final JsonObject test = new JsonObject();
		test.addProperty("volumes", data.test().size());
		try (NDManager manager = root.newSubManager(); SssModel best = SssModel.load(files[0], manager); SssModel last = SssModel.load(files[1], manager)) {
			final List<SssModel> models = List.of(best, last);
			final int classes = data.classNames().size();
			final double[][] sums = new double[models.size()][classes + 1];
			for (final DatasetItem item : data.test()) {
				final List<VolumeData> volume = List.of(TrainingData.volume(item));
				for (int m = 0; m < models.size(); m++) {
					final double[] dice = Validation.run(models.get(m).network(), volume, models.get(m).inputSize(), config.run().inferenceBatch(), manager);
					for (int c = 1; c <= classes; c++)
						sums[m][c] += dice[c];
				}
			}
			final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "held-out test on %d volumes:", data.test().size()));
			for (int m = 0; m < models.size(); m++) {
				final double[] dice = new double[classes + 1];
				dice[0] = Double.NaN;
				for (int c = 1; c <= classes; c++)
					dice[c] = sums[m][c] / data.test().size();
				final JsonObject meta = models.get(m).meta();
				final long iteration = meta.get("iteration").getAsLong();
				test.add(checkpoints.get(m), validationEntry(iteration, meta.get("network").getAsString(), dice));
				line.append(String.format(Locale.ROOT, "  %s (iteration %d) Dice", checkpoints.get(m), iteration));
				for (int c = 1; c < classes; c++)
					line.append(String.format(Locale.ROOT, " %s %.4f", data.classNames().get(c), dice[c]));
				line.append(String.format(Locale.ROOT, " mean %.4f;", dice[classes]));
			}
			for (int m = 0; m < models.size(); m++) {
				final JsonObject meta = models.get(m).meta();
				meta.getAsJsonObject("provenance").add("test", test.deepCopy());
				SssModel.write(files[m], models.get(m).network(), models.get(m).classNames(), models.get(m).inputSize(), meta);
			}
			if (log != null) log.println(line.substring(0, line.length() - 1) + String.format(Locale.ROOT, "  (%.1f s)", (System.nanoTime() - t0) / 1e9));
		}
		return test;
	}

	/** One validation (or test) as the provenance records it: the iteration, the network kept, Dice by class and the mean. */
	private JsonObject validationEntry(final long iteration, final String network, final double[] dice) {
		final JsonObject entry = new JsonObject();
		entry.addProperty("iteration", iteration);
		entry.addProperty("network", network);
		final JsonObject scores = new JsonObject();
		for (int c = 1; c < dice.length - 1; c++)
			scores.addProperty(data.classNames().get(c), dice[c]);
		scores.addProperty("mean", dice[dice.length - 1]);
		entry.add("dice", scores);
		return entry;
	}

	/**
	 * What a model file records of how it was made: the SSS version, when it was written, the engine,
	 * device and threads, the seed, the data ({@link io.github.sssfiji.data.DataSources}: split lists,
	 * files and their SHA-256), the model file the weights started from ({@code init}: its name and SHA-256, only
	 * when the configuration names one), the best validation so far and this one ({@code last}, null without
	 * validation volumes), and {@code test}, null until the held-out test after training records its
	 * scores ({@link #test}). The
	 * configuration is the model file's {@code training} entry.
	 */
	private JsonObject provenance(final JsonObject last) {
		final JsonObject provenance = new JsonObject();
		provenance.addProperty("sssVersion", SssVersion.get());
		provenance.addProperty("created", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
		final Engine engine = Engines.pytorch();
		provenance.addProperty("engine", engine.getEngineName() + " " + engine.getVersion());
		provenance.addProperty("device", device.toString());
		provenance.addProperty("threads", Engines.threads());
		provenance.addProperty("seed", config.run().seed());
		provenance.add("data", data.sources().toJson());
		if (init != null) provenance.add("init", init.toJson());
		final JsonObject validation = new JsonObject();
		validation.addProperty("volumes", data.validation().size());
		validation.add("best", bestValidation == null ? JsonNull.INSTANCE : bestValidation.deepCopy());
		validation.add("last", last == null ? JsonNull.INSTANCE : last);
		provenance.add("validation", validation);
		provenance.add("test", JsonNull.INSTANCE);
		return provenance;
	}

	private void writeState(final Network student, final Network teacher, final Optimizer optimizer) throws IOException {
		final JsonObject meta = new JsonObject();
		meta.addProperty("format", STATE_FORMAT);
		meta.addProperty("version", 1);
		meta.add("config", config.toJson());
		meta.addProperty("completed", completed);
		meta.addProperty("best", best);
		meta.addProperty("bestIteration", bestIteration);
		if (bestValidation != null) meta.add("bestValidation", bestValidation);
		if (init != null) meta.add("init", init.toJson());
		meta.addProperty("skipped", skipped);
		meta.addProperty("trainingSeconds", trainingSeconds);
		meta.addProperty("optimizerSteps", optimizer.steps());
		// every random draw of iteration t derives from (seed, t): the next iteration is the generators' whole state
		final JsonObject rng = new JsonObject();
		rng.addProperty("kind", "splitmix64 per (seed, iteration, stream); torch reseeded per iteration");
		rng.addProperty("seed", config.run().seed());
		rng.addProperty("nextIteration", completed);
		meta.add("rng", rng);
		meta.addProperty("labelledSlices", data.labelled().size());
		meta.addProperty("unlabelledSlices", data.unlabelled().size());
		final JsonArray names = new JsonArray();
		data.classNames().forEach(names::add);
		meta.add("classNames", names);
		final TensorArchive.Writer writer = new TensorArchive.Writer(meta).add("student/", student.state()).add("optimizer/", optimizer.state());
		if (teacher != null) writer.add("teacher/", teacher.state());
		writer.blob(PCSW_ENTRY, PcswRefresh.save(data.unlabelled()));
		if (config.prompting().prompted()) writer.blob(PROMPTS_ENTRY, PcswRefresh.savePrompts(data.unlabelled()));
		AtomicFiles.write(folder.resolve(STATE), writer::writeTo);
	}

	private void restore(final Network student, final Network teacher, final Optimizer optimizer) throws IOException {
		final Path file = folder.resolve(STATE);
		if (!Files.isRegularFile(file)) throw new InvalidInputException(file + ": no training state to resume from");
		final TensorArchive archive = TensorArchive.read(file);
		final JsonObject meta = archive.meta();
		final String source = file.toString();
		if (!STATE_FORMAT.equals(meta.has("format") ? meta.get("format").getAsString() : null))
			throw new InvalidInputException(file + ": not an SSS training-state file");
		// through the reader, so that keys added since the run started compare as their defaults
		final TrainingConfig saved = TrainingConfig.of(meta.getAsJsonObject("config"), source);
		final String changed = saved.changedKey(config);
		if (changed != null)
			throw new InvalidInputException(source + ": the run was started with '" + changed + "' = " + saved.toJson().get(changed) + ", now " +
				config.toJson().get(changed) + "; a resumed run must keep its settings");
		if (meta.get("labelledSlices").getAsInt() != data.labelled().size() || meta.get("unlabelledSlices").getAsInt() != data.unlabelled().size())
			throw new InvalidInputException(source + ": the run used " + meta.get("labelledSlices") + " labelled and " + meta.get("unlabelledSlices") +
				" unlabelled slices, the data now has " + data.labelled().size() + " and " + data.unlabelled().size());
		if (student.dfe() != null && archive.has("dfe/")) {
			// a run started when DFE with scope "strong" was kept beside the network ("dfe/"), and the teacher had
			// none: its tensors and their optimiser state are the student's DFE now; the teacher's DFE, which that
			// scope never reads, starts as the student's
			for (final String into : new String[] { "student/", "teacher/" })
				archive.alias("dfe/", into + DfeNetwork.PREFIX);
			for (final String moment : new String[] { "m/", "v/", "momentum/" })
				archive.alias("optimizer/" + moment + "dfe/", "optimizer/" + moment + "student/" + DfeNetwork.PREFIX);
		}
		archive.loadInto("student/", student.state(), source);
		archive.load("optimizer/", optimizer.state(), source);
		if (teacher != null) archive.loadInto("teacher/", teacher.state(), source);
		optimizer.setSteps(meta.get("optimizerSteps").getAsLong());
		completed = meta.get("completed").getAsLong();
		best = meta.get("best").getAsDouble();
		bestIteration = meta.get("bestIteration").getAsLong();
		bestValidation = meta.has("bestValidation") ? meta.getAsJsonObject("bestValidation") : null;
		if (meta.has("init")) init = InitialWeights.Source.of(meta.getAsJsonObject("init"));
		skipped = meta.get("skipped").getAsLong();
		trainingSeconds = meta.has("trainingSeconds") ? meta.get("trainingSeconds").getAsDouble() : 0;
		lastCheckpoint = completed;
		final byte[] masks = archive.blob(PCSW_ENTRY);
		if (masks != null) PcswRefresh.load(masks, data.unlabelled(), source);
		final byte[] prompts = archive.blob(PROMPTS_ENTRY);
		if (prompts != null) PcswRefresh.loadPrompts(prompts, data.unlabelled(), source);
		if (log != null) log.printf(Locale.ROOT, "resumed %s at iteration %d (best mean Dice %.4f at %d)%n", folder, completed, best, bestIteration);
	}

	private static String duration(final double seconds) {
		final long s = Math.round(seconds);
		return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
	}
}
