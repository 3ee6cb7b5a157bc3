// Does `suggest` find the slices its model gets wrong? Scores every unlabelled slice of a split as `suggest`
// does (SliceSuggestions.score), predicts it, and measures it against its ground truth (ACDC has it; analysis
// only: neither `suggest` nor training reads it): the share of its pixels labelled wrong. Prints the rank
// correlation (Spearman) of the score, and of its entropy term alone, with that share; the mean share of
// the K slices `suggest` picks (by score alone and spread, SliceSuggestions.pick, and covering groups of like slices,
// SliceSuggestions.cover), of the random arm's slices
// (RANDOM, a revealed.txt of bench/acdc/suggest.sh) and of all slices; and the oracle: the K slices picked by
// the same rules from the true share instead of the score, written as a suggestions CSV (ORACLE_CSV, spread
// with STRATA, default 3) that bench/acdc/suggest.sh trains from when it is OUT/suggestions.csv.
// Run from the repository root after `mvn -B -q -DskipTests package`, with the model that made the split's
// suggestions (bench/README.md):
//   MODEL=bench/out/ablation/unet/sss/best.sss SPLIT=3 RANDOM=bench/out/suggest-3/random/revealed.txt \
//     ORACLE_CSV=bench/acdc/suggest/split-3-oracle.csv jshell -R-Xmx3g --class-path target/sss-app.jar bench/acdc/suggest-oracle.jsh
// Environment: K (default 10), SPACING (default 2), STRATA (default 3). Data: ../shared/data/acdc.
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.predict.SlicePredictor;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.train.SliceSuggestions;
import io.github.sssfiji.sss.train.SliceSuggestions.Suggestion;
import io.github.sssfiji.sss.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.function.ToDoubleFunction;

/** Spearman's rank correlation of two series (ties share their mean rank). */
double spearman(final double[] a, final double[] b) {
	final double[] ra = ranks(a), rb = ranks(b);
	double ma = 0, mb = 0;
	for (int i = 0; i < a.length; i++) {
		ma += ra[i] / a.length;
		mb += rb[i] / a.length;
	}
	double cov = 0, va = 0, vb = 0;
	for (int i = 0; i < a.length; i++) {
		cov += (ra[i] - ma) * (rb[i] - mb);
		va += (ra[i] - ma) * (ra[i] - ma);
		vb += (rb[i] - mb) * (rb[i] - mb);
	}
	return cov / Math.sqrt(va * vb);
}

double[] ranks(final double[] x) {
	final Integer[] order = new Integer[x.length];
	for (int i = 0; i < x.length; i++) order[i] = i;
	Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
	final double[] r = new double[x.length];
	for (int i = 0; i < x.length;) {
		int j = i;
		while (j + 1 < x.length && x[order[j + 1]] == x[order[i]]) j++;
		for (int k = i; k <= j; k++) r[order[k]] = (i + j) / 2.0;
		i = j + 1;
	}
	return r;
}

final String modelFile = System.getenv("MODEL");
if (modelFile == null || !Files.isRegularFile(Path.of(modelFile))) {
	System.out.println("bench/acdc/suggest-oracle.jsh: set MODEL to the model file that made the suggestions; MODEL=" + modelFile);
	System.exit(2);
}
final int k = Integer.parseInt(System.getenv().getOrDefault("K", "10")), spacing = Integer.parseInt(System.getenv().getOrDefault("SPACING", "2")),
	strata = Integer.parseInt(System.getenv().getOrDefault("STRATA", "3"));
// the split's lists swapped, so that the unlabelled slices load with their labels
final Path data = Path.of("../shared/data/acdc"), lists = Files.createTempDirectory("sss-suggest-oracle");
final Path split = data.resolve("splits/unimatch/" + System.getenv().getOrDefault("SPLIT", "3"));
Files.copy(split.resolve("unlabeled.txt"), lists.resolve("labeled.txt"));
Files.copy(split.resolve("labeled.txt"), lists.resolve("unlabeled.txt"));
var slices = TrainingData.load(Datasets.open(data, lists.resolve("labeled.txt").toString(), ImageFiles.imageReader()), true, System.out);
final var volumes = slices.labelledRuns();
final List<Suggestion> scored;
final Map<String, Double> wrong = new HashMap<>();
try (var noGrad = Engines.noGrad(); var root = Engines.pytorch().newBaseManager(); var model = SssModel.load(Path.of(modelFile), root)) {
	final int classes = model.network().classes(), size = model.inputSize();
	scored = SliceSuggestions.score(model.network(), volumes, size, 8, PcswParameters.defaults(), root);
	for (var volume : volumes) {
		final int w = volume.get(0).width(), h = volume.get(0).height(), area = w * h, depth = volume.size();
		final float[] image = new float[area * depth];
		for (int z = 0; z < depth; z++)
			System.arraycopy(volume.get(z).image(), 0, image, z * area, area);
		final int[] label = SlicePredictor.argmax(SlicePredictor.probabilities(model.network(), image, new int[] { w, h, depth }, size, 8, root), classes);
		for (int z = 0; z < depth; z++) {
			final int[] truth = volume.get(z).labels();
			int errors = 0;
			for (int i = 0; i < area; i++)
				if (label[z * area + i] != truth[i]) errors++;
			wrong.put(volume.get(z).name(), (double) errors / area);
		}
	}
}
final double[] score = scored.stream().mapToDouble(Suggestion::score).toArray(), entropy = scored.stream().mapToDouble(Suggestion::entropy).toArray(),
	truth = scored.stream().mapToDouble(s -> wrong.get(s.name())).toArray();
System.out.printf("%s, split %s: %d unlabelled slices in %d volumes; wrong pixels %.3f %% of all%n", modelFile, split.getFileName(), scored.size(),
	volumes.size(), 100 * Arrays.stream(truth).average().orElse(0));
System.out.printf("Spearman with the share of wrong pixels: score %.3f, entropy term %.3f%n", spearman(score, truth), spearman(entropy, truth));
final ToDoubleFunction<List<String>> meanWrong = names -> names.stream().mapToDouble(wrong::get).average().orElse(Double.NaN);
final List<Suggestion> byTruth = scored.stream().map(s -> new Suggestion(s.name(), s.subject(), s.volume(), s.slice(), s.depth(), wrong.get(s.name()),
	s.entropy(), s.rejected(), s.disagreement())).toList();
for (final int st : new int[] { 0, strata }) {
	final List<Suggestion> suggested = SliceSuggestions.pick(scored, k, spacing, st), oracle = SliceSuggestions.pick(byTruth, k, spacing, st);
	System.out.printf("strata %d: the %d suggested slices %.3f %% wrong (%s); the oracle's %.3f %% (%s)%n", st, k,
		100 * meanWrong.applyAsDouble(suggested.stream().map(Suggestion::name).toList()), String.join(" ", suggested.stream().map(Suggestion::name).toList()),
		100 * meanWrong.applyAsDouble(oracle.stream().map(Suggestion::name).toList()), String.join(" ", oracle.stream().map(Suggestion::name).toList()));
	if (st == strata && System.getenv("ORACLE_CSV") != null) {
		Files.writeString(Path.of(System.getenv("ORACLE_CSV")), SliceSuggestions.csv(oracle));
		System.out.println("oracle suggestions (score = share of wrong pixels) written to " + System.getenv("ORACLE_CSV"));
	}
}
// covering groups of like slices (suggest --clusters auto), from the split read as `suggest` reads it: the groups depend on the order of the slices
final var asSuggested = TrainingData.load(Datasets.open(data, System.getenv().getOrDefault("SPLIT", "3"), ImageFiles.imageReader()), true, System.out);
try (var noGrad = Engines.noGrad(); var root = Engines.pytorch().newBaseManager(); var model = SssModel.load(Path.of(modelFile), root)) {
	final List<Suggestion> covering = SliceSuggestions.suggest(model.network(), asSuggested.labelled(), asSuggested.unlabelledVolumes(), k, spacing, strata,
		0, false, model.inputSize(), 8, root);
	System.out.printf("clusters auto: the %d suggested slices %.3f %% wrong (%s)%n", k, 100 * meanWrong.applyAsDouble(covering.stream()
		.map(Suggestion::name).toList()), String.join(" ", covering.stream().map(Suggestion::name).toList()));
}
if (System.getenv("RANDOM") != null) {
	final List<String> drawn = Files.readAllLines(Path.of(System.getenv("RANDOM"))).stream().filter(l -> !l.isBlank())
		.map(l -> Path.of(l).getFileName().toString().replaceFirst("\\.h5$", "")).toList();
	System.out.printf("the random arm's %d slices (%s): %.3f %% wrong%n", drawn.size(), System.getenv("RANDOM"), 100 * meanWrong.applyAsDouble(drawn));
}
Files.delete(lists.resolve("labeled.txt"));
Files.delete(lists.resolve("unlabeled.txt"));
Files.delete(lists);
/exit
