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
 * {@code suggest --model M.sss --data DIR [--split S] --out suggestions.csv [--count 10] [--spacing 2] [--clusters auto|N|none [--typical true|false] | --strata 3]}:
 * takes the dataset's unlabelled slices from groups of like slices that no label covers yet, the most
 * typical of a group or with {@code --typical false} the one the model knows least about, or with
 * {@code --strata} (or {@code --clusters none}) the least known spread over subjects and depth ranges
 * ({@link SliceSuggestions}), and writes {@code count} of them, in the order taken, as CSV
 * ({@code rank, name, volume, slice, score, entropy, rejected, disagreement, subject}), atomically.
 */
@Plugin(type = CliCommand.class, name = "suggest")
public class SuggestCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "--model FILE --data DIR [--split S] --out suggestions.csv [--count 10] [--spacing 2] [--clusters auto|N|none [--typical true|false] | --strata 3] [--batch 8] " +
			CliOptions.DEVICE_USAGE + "\n" +
			"       the unlabelled slices to label next, no two within --spacing slices of each other in one volume. By default the\n" +
			"       labelled and unlabelled slices are grouped by the model's features (--clusters auto: labelled slices + count groups;\n" +
			"       or a count) and each next suggestion comes from the group with the fewest labelled and suggested slices, the largest\n" +
			"       first: its most typical slice (closest on average to its 20 nearest neighbours in the group, TypiClust) or, with\n" +
			"       --typical false, its best-scored. The score is the model's uncertainty (entropy), PCSW's rejected pixels and, for a\n" +
			"       model that reads prompts, where prompted and unprompted predictions disagree. --strata R (or --clusters none, R = 3)\n" +
			"       instead takes the best-scored from the subjects (patients) with the fewest suggestions and, of these, from the depth\n" +
			"       range with the fewest (R ranges per volume; 1: subjects only; 0: score order)";
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
		if (args.has("clusters") && args.has("strata")) throw new CliException("give --strata or --clusters, not both");
		// groups of like slices unless depth ranges are asked for
		final String clustersValue = args.get("clusters", args.has("strata") ? SliceSuggestions.NO_CLUSTERS : SliceSuggestions.AUTO_CLUSTERS);
		final int clusters;
		try {
			clusters = SliceSuggestions.clusters(clustersValue);
		}
		catch (final IllegalArgumentException e) {
			throw new CliException("--clusters " + e.getMessage());
		}
		final boolean typical = args.getBoolean("typical", clusters >= 0);
		if (typical && clusters < 0) throw new CliException("--typical chooses within groups of like slices; --strata and --clusters none spread over depth ranges instead");
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
