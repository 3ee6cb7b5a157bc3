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
import io.github.sssfiji.sss.train.SliceSuggestions;
import io.github.sssfiji.sss.train.SliceSuggestions.Suggestion;
import io.github.sssfiji.sss.train.TrainingData;

/**
 * {@code suggest --model M.sss --data DIR [--split S] --out suggestions.csv [--count 10] [--spacing 2] [--strata 3 | --clusters auto [--typical true]]}:
 * ranks the dataset's unlabelled slices by what the model does not know about them, spread over
 * subjects and depth ranges or, with {@code --clusters}, over groups of like slices that no label covers
 * yet, the best-scored or with {@code --typical} the most typical of a group ({@link SliceSuggestions}), and writes {@code count} of them, in the order taken, as CSV
 * ({@code rank, name, volume, slice, score, entropy, rejected, disagreement, subject}), atomically.
 */
@Plugin(type = CliCommand.class, name = "suggest")
public class SuggestCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "--model FILE --data DIR [--split S] --out suggestions.csv [--count 10] [--spacing 2] [--strata 3 | --clusters auto|N [--typical true]] [--batch 8] " +
			CliOptions.DEVICE_USAGE + "\n" +
			"       the unlabelled slices to label next: ranked by the model's uncertainty (entropy), PCSW's rejected pixels and,\n" +
			"       for a model that reads prompts, where prompted and unprompted predictions disagree; no two within --spacing\n" +
			"       slices of each other in one volume; each next one from the subjects (patients) with the fewest suggestions\n" +
			"       and, of these, from the depth range with the fewest (--strata ranges per volume; 1: subjects only; 0: score order);\n" +
			"       --clusters instead groups the labelled and unlabelled slices by the model's features (auto: labelled slices + count\n" +
			"       groups) and takes each next one from the group with the fewest labelled and suggested slices, the largest first:\n" +
			"       its best-scored slice or, with --typical true, its most typical (closest on average to its 20 nearest neighbours in the group, TypiClust)";
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
		final String clustersValue = args.get("clusters", null);
		if (clustersValue != null && args.has("strata")) throw new CliException("give --strata or --clusters, not both");
		final int clusters;
		try {
			clusters = SliceSuggestions.clusters(clustersValue);
		}
		catch (final IllegalArgumentException e) {
			throw new CliException("--clusters " + e.getMessage());
		}
		final boolean typical = args.getBoolean("typical", false);
		if (typical && clusters < 0) throw new CliException("--typical chooses within groups of like slices: give --clusters too");
		final int batch = args.getInt("batch", 8);
		if (batch < 1) throw new CliException("--batch must be at least 1, got " + batch);
		final SssService service = context.service(SssService.class);
		CliOptions.device(args, service);
		args.rejectUnknown();
		CliOptions.newFile("out", target);
		final Dataset dataset = Datasets.open(data, split, ImageFiles.imageReader());
		if (dataset.unlabelled().isEmpty()) throw new InvalidInputException(data + ": the dataset has no unlabelled items to suggest from");
		final TrainingData slices = TrainingData.load(dataset, true, out);
		if (clusters > 0 && clusters > slices.labelled().size() + slices.unlabelled().size())
			throw new CliException("--clusters " + clusters + " is more than the " + (slices.labelled().size() + slices.unlabelled().size()) + " slices");
		final long start = System.nanoTime();
		final List<Suggestion> picked;
		try (SssService.Lease<SssModel> lease = service.lease(modelFile, SssModel.class, SssModel::load); NDManager root = service.newManager()) {
			final SssModel model = lease.get();
			picked = SliceSuggestions.suggest(model.network(), slices.labelled(), slices.unlabelledVolumes(), count, spacing, strata, clusters,
				typical, model.inputSize(), batch, root);
		}
		AtomicFiles.writeString(target, SliceSuggestions.csv(picked));
		out.printf(Locale.ROOT, "%d of %d unlabelled slices suggested -> %s (%.1f s)%n", picked.size(), slices.unlabelled().size(), target,
			(System.nanoTime() - start) / 1e9);
		return 0;
	}
}
