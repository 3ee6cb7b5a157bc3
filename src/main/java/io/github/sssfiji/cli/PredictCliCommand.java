package io.github.sssfiji.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.OutputFormat;
import io.github.sssfiji.sss.predict.PredictFiles;
import io.github.sssfiji.sss.predict.Shard;

/**
 * {@code predict --model FILE (--input FILE_OR_DIR | --list LIST) --out DIR}: one label map per input
 * volume, {@code <base name>.nii.gz} ({@code --format tiff}: {@code <base name>.tif}), with the
 * input's geometry (see {@link PredictFiles#run}, the same operation as SSS Segment Folder). A folder
 * gives every file a reader takes; the others are printed as skipped, with the reason. Existing label maps are skipped unless
 * {@code --overwrite true}; an input that fails is reported and the others go on. {@code --confidence
 * true} adds {@code <base name>.confidence.nii.gz} and {@code <base name>.entropy.nii.gz} per input;
 * {@code --tta true} averages the probabilities of each image and of its mirror along x.
 * {@code --shard i/n} predicts only the inputs of shard {@code i} of {@code n} ({@link Shard}: by a
 * hash of the base name), for the tasks of a cluster job array writing into one folder; names are
 * still checked over all inputs. Exit code 0 when no input failed (also when the shard holds none),
 * 1 when some did, 2 for bad options.
 */
@Plugin(type = CliCommand.class, name = "predict")
public class PredictCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "--model FILE (--input FILE_OR_DIR | --list LIST_FILE) --out DIR [--format nifti|tiff] [--batch 8] [--overwrite false] [--confidence false] " +
			"[--tta false] [--shard i/n] [--threads T] " +
			CliOptions.DEVICE_USAGE + "\n" +
			"       label maps (NIfTI, or with --format tiff ImageJ TIFF; input geometry) predicted slice by slice with a trained .sss\n" +
			"       model; a folder gives every file a reader takes (the others are listed as skipped, with the reason); existing label maps are\n" +
			"       skipped unless --overwrite true; a failed input is reported and the rest go on (exit code 1 if any failed);\n" +
			"       --confidence true also writes <base>.confidence.nii.gz (max class probability) and <base>.entropy.nii.gz\n" +
			"       (entropy in nats); --tta true averages the probabilities of each image and of its mirror along x;\n" +
			"       --shard i/n (i from 1 to n) predicts only shard i of n of the inputs (by a hash of the file name), e.g.\n" +
			"       --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with --array=1-n";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws Exception {
		final Path modelFile = args.existingPath("model");
		if (args.has("input") == args.has("list")) throw new CliException("give exactly one of --input and --list");
		final Path input = args.has("input") ? args.existingPath("input") : null;
		final Path list = args.has("list") ? args.existingPath("list") : null;
		final Path output = Path.of(args.require("out"));
		final int batch = args.getInt("batch", 8);
		if (batch < 1) throw new CliException("--batch must be at least 1, got " + batch);
		final boolean overwrite = args.getBoolean("overwrite", false);
		final boolean confidence = args.getBoolean("confidence", false);
		final boolean tta = args.getBoolean("tta", false);
		final OutputFormat format = OutputFormat.parse(args.get("format", "nifti"), "option --format");
		// an empty value (a script variable that came out empty) is refused rather than read as all: every task would do everything
		if (args.has("shard") && args.get("shard", "").isBlank()) throw new CliException("option --shard: give i/n, e.g. 2/8");
		final Shard shard = Shard.parse(args.get("shard", null), "option --shard");
		final int threads = args.getInt("threads", 0);
		if (threads < 0) throw new CliException("--threads must be at least 1 (or 0 for the engine's choice), got " + threads);
		final SssService service = context.service(SssService.class);
		CliOptions.device(args, service);
		args.rejectUnknown();
		if (threads > 0 && !service.setThreads(threads, false))
			out.println("note: the engine already runs with " + service.threads() + " threads; --threads " + threads + " not applied");
		final ImageFiles.Listing listing = PredictFiles.inputs(input, list);
		for (final ImageFiles.Skipped skipped : listing.skipped())
			out.println("skipped " + skipped);
		final List<Path> all = listing.images();
		// names are checked before the model loads, over all inputs so that every shard refuses a clash alike
		PredictFiles.targets(all, output, format, confidence, "option --out");
		final List<Path> inputs = shard.select(all);
		if (!shard.all()) out.println("shard " + shard + ": " + inputs.size() + " of " + all.size() + " inputs");
		if (inputs.isEmpty()) {
			out.println("nothing to do: no input falls in shard " + shard);
			return 0;
		}
		final PredictFiles.Outcome outcome;
		try (SssService.Lease<SssModel> model = service.lease(modelFile, SssModel.class, SssModel::load); NDManager root = service.newManager()) {
			out.println("device: " + service.device());
			outcome = PredictFiles.run(model.get(), inputs, output, format, batch, overwrite, confidence, tta, root, new PredictFiles.Listener() {

				@Override
				public void written(final Path file, final Path target, final double seconds) {
					out.printf(Locale.ROOT, "%s -> %s (%.2f s)%n", file.getFileName(), target, seconds);
				}

				@Override
				public void skipped(final Path file, final Path target) {
					// the label map marks an input done; one from a run without --confidence has no maps beside it
					final boolean mapsMissing = confidence
						&& !(Files.exists(PredictFiles.confidenceTarget(target)) && Files.exists(PredictFiles.entropyTarget(target)));
					out.println("skipped " + file.getFileName() + ": " + target + " exists (--overwrite true replaces it" +
						(mapsMissing ? " and writes its missing confidence maps" : "") + ")");
				}

				@Override
				public void failed(final Path file, final String reason) {
					out.println("failed " + file + ": " + reason);
				}
			});
		}
		out.println(outcome.counts() + "; label maps in " + output.toAbsolutePath());
		return outcome.failed().isEmpty() ? 0 : 1;
	}
}
