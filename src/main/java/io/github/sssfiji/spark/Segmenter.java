package io.github.sssfiji.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.data.Preprocessing;
import io.github.sssfiji.eval.CasePair;
import io.github.sssfiji.eval.Evaluator;
import io.github.sssfiji.eval.MetricsRow;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.spark.VolumeResult.Score;
import io.github.sssfiji.spark.VolumeResult.Status;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.Pcsw;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PromptsJson;
import io.github.sssfiji.sss.predict.OutputFormat;
import io.github.sssfiji.sss.predict.PredictFiles;

/**
 * The executor side of the cohort job: segments one volume with the one-file operation of
 * {@code predict} ({@link PredictFiles#run}: the label map is skipped when it exists, written
 * atomically otherwise, and a volume that cannot be read, predicted or written is a failure, not an
 * exception), with {@code pcsw} first writing the PCSW prompts of its prediction beside it, and with
 * a reference scores the label map as {@code evaluate} does. Sent to the executors with the job.
 *
 * @param model the {@code .sss} file, an absolute path
 * @param output the output folder, an absolute path (created by the driver)
 * @param batch slices per forward pass
 * @param pcsw also write {@code <base>.prompts.json}
 * @param device {@code auto}, {@code cpu}, or null for the service's choice
 * @param threads the engine's intra-op threads per executor, 0 for the engine's choice
 * @param classes the classes to score (the model's foreground classes unless chosen)
 */
record Segmenter(String model, String output, int batch, boolean pcsw, String device, int threads, int[] classes) implements Serializable {

	/** {@code <base>.prompts.json} beside the label map {@code <base>.nii.gz}. */
	static Path promptsTarget(final Path target) {
		final String name = target.getFileName().toString();
		return target.resolveSibling(name.substring(0, name.length() - ".nii.gz".length()) + ".prompts.json");
	}

	/**
	 * Segments one volume. A model that cannot be loaded fails the task (Spark retries it, then fails
	 * the job): it concerns every volume, not this one.
	 */
	VolumeResult segment(final VolumeTask task) {
		final long started = System.currentTimeMillis(), start = System.nanoTime();
		final SssService service = ExecutorContext.service(device, threads);
		final SssService.Lease<SssModel> loaded;
		try {
			loaded = ExecutorContext.model(service, Path.of(model));
		}
		catch (final IOException e) {
			throw new UncheckedIOException(model + ": the model could not be loaded", e);
		}
		final Path input = Path.of(task.input()), target = Path.of(task.target());
		final PredictFiles.Outcome outcome;
		// the lease ends with the volume; the executor's service keeps the model loaded for its next task
		try (loaded; NDManager root = service.newManager()) {
			outcome = PredictFiles.run(loaded.get(), List.of(input), Path.of(output), OutputFormat.NIFTI, batch, false, false, false, root, null,
				pcsw ? Segmenter::writePrompts : null);
		}
		catch (final IOException e) {
			// only the output folder's creation throws here; one volume's failures are in the outcome
			throw new UncheckedIOException(e);
		}
		final Status status;
		String reason = null;
		if (!outcome.failed().isEmpty()) {
			status = Status.FAILED;
			reason = outcome.failed().get(0).reason();
		}
		else status = outcome.written().isEmpty() ? Status.SKIPPED : Status.DONE;
		List<Score> scores = List.of();
		String metricsFailure = null;
		if (status != Status.FAILED && task.reference() != null) {
			try {
				final CasePair pair = CasePair.of(ImageFiles.readLabels(target), ImageFiles.readLabels(Path.of(task.reference())));
				scores = Evaluator.evaluate(List.of(pair), classes).rows().stream().map(Score::of).toList();
			}
			// a reference that does not fit (shape, spacing, unreadable) is this volume's problem
			catch (final IOException | RuntimeException e) {
				metricsFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
			}
		}
		return new VolumeResult(task.index(), task.input(), status, reason, started, (System.nanoTime() - start) / 1e9, ExecutorContext.executorId(), scores,
			metricsFailure);
	}

	/** PCSW (the default parameters) on the prediction's class probabilities; the prompts as JSON, atomically. */
	private static void writePrompts(final MedicalImage image, final float[] probabilities, final int classes, final Path target)
		throws IOException
	{
		final int[] volume = Preprocessing.volumeDims(image, image.name());
		final int[] dims = { volume[0], volume[1], volume[2], classes };
		PromptsJson.write(Pcsw.fromProbabilities(probabilities, dims, image.spacing(), PcswParameters.defaults()).prompts(),
			promptsTarget(target));
	}

	/** The rows of {@link VolumeResult#scores()} as the evaluation's rows. */
	static List<MetricsRow> rows(final List<VolumeResult> results) {
		return results.stream().flatMap(r -> r.scores().stream()).map(Score::row).toList();
	}
}
