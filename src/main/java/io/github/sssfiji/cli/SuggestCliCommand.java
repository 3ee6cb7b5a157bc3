package io.github.sssfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.InvalidInputException;
import io.github.sssfiji.data.Dataset;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.io.AtomicFiles;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.train.SliceSuggestions;
import io.github.sssfiji.sss.train.SliceSuggestions.Suggestion;
import io.github.sssfiji.sss.train.TrainingData;

/**
 * {@code suggest --model M.sss --data DIR [--split S] --out suggestions.csv [--count 10] [--spacing 2] [--strata 3]}:
 * ranks the dataset's unlabelled slices by what the model does not know about them, spread over
 * subjects and depth ranges ({@link SliceSuggestions}), and writes {@code count} of them, in the order taken, as CSV
 * ({@code rank, name, volume, slice, score, entropy, rejected, disagreement, subject}), atomically.
 */
@Plugin(type = CliCommand.class, name = "suggest")
public class SuggestCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "--model FILE --data DIR [--split S] --out suggestions.csv [--count 10] [--spacing 2] [--strata 3] [--batch 8] " +
			CliOptions.DEVICE_USAGE + "\n" +
			"       the unlabelled slices to label next: ranked by the model's uncertainty (entropy), PCSW's rejected pixels and,\n" +
			"       for a model that reads prompts, where prompted and unprompted predictions disagree; no two within --spacing\n" +
			"       slices of each other in one volume; each next one from the subjects (patients) with the fewest suggestions\n" +
			"       and, of these, from the depth range with the fewest (--strata ranges per volume; 1: subjects only; 0: score order)";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws Exception {
		final Path modelFile = args.existingPath("model");
		final Path data = args.existingPath("data");
		final String split = args.get("split", "");
		final Path target = Path.of(args.require("out"));
		final int count = args.getInt("count", 10);
		if (count < 1) throw new CliException("--count must be at least 1, got " + count);
		final int spacing = args.getInt("spacing", 2);
		if (spacing < 0) throw new CliException("--spacing must be at least 0, got " + spacing);
		final int strata = args.getInt("strata", SliceSuggestions.STRATA);
		if (strata < 0) throw new CliException("--strata must be at least 0, got " + strata);
		final int batch = args.getInt("batch", 8);
		if (batch < 1) throw new CliException("--batch must be at least 1, got " + batch);
		final SssService service = context.service(SssService.class);
		CliOptions.device(args, service);
		args.rejectUnknown();
		CliOptions.newFile("out", target);
		final Dataset dataset = Datasets.open(data, split, ImageFiles.imageReader());
		if (dataset.unlabelled().isEmpty()) throw new InvalidInputException(data + ": the dataset has no unlabelled items to suggest from");
		final TrainingData slices = TrainingData.load(dataset, true, out);
		final long start = System.nanoTime();
		final List<Suggestion> picked;
		try (SssService.Lease<SssModel> lease = service.lease(modelFile, SssModel.class, SssModel::load); NDManager root = service.newManager()) {
			final SssModel model = lease.get();
			picked = SliceSuggestions.pick(SliceSuggestions.score(model.network(), slices.unlabelledVolumes(), model.inputSize(), batch,
				PcswParameters.defaults(), root), count, spacing, strata);
		}
		AtomicFiles.writeString(target, SliceSuggestions.csv(picked));
		out.printf(Locale.ROOT, "%d of %d unlabelled slices suggested -> %s (%.1f s)%n", picked.size(), slices.unlabelled().size(), target,
			(System.nanoTime() - start) / 1e9);
		return 0;
	}
}
