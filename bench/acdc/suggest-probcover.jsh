// ProbCover (Yehuda et al. 2022, "Active Learning Through a Covering Lens") as a ranking of a split's unlabelled
// slices, for the suggestion experiment (bench/acdc/suggest.sh reads the CSV it writes as OUT/suggestions.csv).
// A bench experiment, not a rule of `suggest`: it moves into SliceSuggestions only if it measures better.
// In the feature space of `suggest --clusters` (SliceSuggestions.features, unit length), every slice covers the
// slices within a radius delta; the labelled slices' balls count as covered, then each next pick is the unlabelled
// slice whose ball holds the most slices not yet covered (ties: first by name), none within SPACING slices of a
// picked one of its volume, until K. Delta is ProbCover's: the largest radius (of the pairwise distances'
// percentiles) at which at least ALPHA of the slices have a pure ball, pure meaning every slice in it shares the
// slice's k-means group (SliceSuggestions' groups: as many as labelled slices plus K, seed 0). Once all slices are
// covered, the rest follow by name (logged "all covered"). It prints how purity and the picks' number of subjects
// change with the radius, then the picks with what each covers.
// Run from the repository root after `mvn -B -q -DskipTests package`:
//   MODEL=RUN/best.sss SPLIT=1 CSV=bench/acdc/suggest/split-1-probcover.csv \
//     jshell -R-Xmx3g --class-path target/sss-app.jar bench/acdc/suggest-probcover.jsh
// Environment: K (default 10), SPACING (default 2), ALPHA (default 0.95), DELTA (a radius instead of ALPHA's).
// Data: ../shared/data/acdc.
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.djl.Engines;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.train.KMeans;
import io.github.sssfiji.sss.train.SliceSuggestions;
import io.github.sssfiji.sss.train.SliceSuggestions.Suggestion;
import io.github.sssfiji.sss.train.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

final String modelFile = System.getenv("MODEL"), csvFile = System.getenv("CSV");
if (modelFile == null || !Files.isRegularFile(Path.of(modelFile)) || csvFile == null) {
	System.out.println("bench/acdc/suggest-probcover.jsh: set MODEL to a model file trained on the split and CSV to the file to write; MODEL="
		+ modelFile + ", CSV=" + csvFile);
	System.exit(2);
}
final Map<String, String> env = System.getenv();
final int k = Integer.parseInt(env.getOrDefault("K", "10")), spacing = Integer.parseInt(env.getOrDefault("SPACING", "2"));
final double alpha = Double.parseDouble(env.getOrDefault("ALPHA", "0.95"));
final String split = env.getOrDefault("SPLIT", "3");
// the split read as `suggest` reads it, so that the slices come in its order
final var slices = TrainingData.load(Datasets.open(Path.of("../shared/data/acdc"), split, ImageFiles.imageReader()), true, System.out);
final var labelled = slices.labelled();
final var volumes = slices.unlabelledVolumes();
final List<Suggestion> scored;
final float[][] features;
try (var noGrad = Engines.noGrad(); var root = Engines.pytorch().newBaseManager(); var model = SssModel.load(Path.of(modelFile), root)) {
	scored = SliceSuggestions.score(model.network(), volumes, model.inputSize(), 8, PcswParameters.defaults(), root);
	final var all = new ArrayList<>(labelled);
	volumes.forEach(all::addAll);
	features = SliceSuggestions.features(model.network(), all, model.inputSize(), 8, root);
}
final int nl = labelled.size(), n = features.length;
if (n - nl != scored.size()) throw new IllegalStateException((n - nl) + " unlabelled features for " + scored.size() + " scored slices");
final double[][] distance = new double[n][n];
for (int i = 0; i < n; i++)
	for (int j = i + 1; j < n; j++) {
		double d = 0;
		for (int c = 0; c < features[i].length; c++) {
			final double t = features[i][c] - features[j][c];
			d += t * t;
		}
		distance[i][j] = distance[j][i] = Math.sqrt(d);
	}
final int[] group = KMeans.assign(features, Math.min(n, nl + k), 0);
/** The share of slices whose ball of radius r holds only slices of their own group. */
double purity(final double r) {
	int pure = 0;
	for (int i = 0; i < n; i++) {
		boolean ok = true;
		for (int j = 0; j < n && ok; j++)
			if (distance[i][j] <= r && group[j] != group[i]) ok = false;
		if (ok) pure++;
	}
	return (double) pure / n;
}
/** ProbCover's radius: the largest of the pairwise distances' 0.05 % ... 10 % percentiles at which a share alpha of the balls is pure. */
double radius(final double alpha) {
	final double[] pairs = new double[n * (n - 1) / 2];
	for (int i = 0, m = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			pairs[m++] = distance[i][j];
	Arrays.sort(pairs);
	double r = 0;
	for (int p = 1; p <= 200; p++) {
		final double candidate = pairs[(int) Math.min(pairs.length - 1, (long) pairs.length * p / 2000)];
		if (purity(candidate) < alpha) break;
		r = candidate;
	}
	return r;
}
final double delta = env.containsKey("DELTA") ? Double.parseDouble(env.get("DELTA")) : radius(alpha);
System.out.printf("%s, split %s: %d labelled and %d unlabelled slices, %d groups; delta %.4f (purity %.3f, alpha %.2f)%n", modelFile, split, nl,
	n - nl, Math.min(n, nl + k), delta, purity(delta), alpha);
/** ProbCover's greedy picks at radius r; with {@code log}, each pick and what it covers. */
List<Suggestion> probCover(final double r, final boolean log) {
	final boolean[] covered = new boolean[n];
	for (int i = 0; i < nl; i++)
		for (int j = 0; j < n; j++)
			if (distance[i][j] <= r) covered[j] = true;
	final List<Suggestion> picked = new ArrayList<>();
	final Map<Integer, List<Integer>> taken = new HashMap<>();
	final boolean[] used = new boolean[n];
	while (picked.size() < k) {
		int best = -1, bestGain = -1;
		for (int i = nl; i < n; i++) {
			if (used[i]) continue;
			final Suggestion s = scored.get(i - nl);
			if (taken.getOrDefault(s.volume(), List.of()).stream().anyMatch(t -> Math.abs(t - s.slice()) <= spacing)) continue;
			int gain = 0;
			for (int j = 0; j < n; j++)
				if (!covered[j] && distance[i][j] <= r) gain++;
			if (gain > bestGain || gain == bestGain && s.name().compareTo(scored.get(best - nl).name()) < 0) {
				best = i;
				bestGain = gain;
			}
		}
		if (best < 0) break;
		final Suggestion s = scored.get(best - nl);
		used[best] = true;
		for (int j = 0; j < n; j++)
			if (distance[best][j] <= r) covered[j] = true;
		picked.add(s);
		taken.computeIfAbsent(s.volume(), v -> new ArrayList<>()).add(s.slice());
		if (log) System.out.printf("%2d %-32s covers %d new (group %d)%s%n", picked.size(), s.name(), bestGain, group[best], bestGain == 0 ? ": all covered" : "");
	}
	return picked;
}
long subjects(final List<Suggestion> picked) {
	return picked.stream().map(Suggestion::subject).distinct().count();
}
// how purity and the picks' subjects change with the radius, so that the choice of delta can be read
for (final double r : new double[] { delta / 2, delta, 1.5 * delta, 2 * delta, 3 * delta, 4 * delta })
	System.out.printf("radius %.4f: purity %.3f, the picks name %d subjects%n", r, purity(r), subjects(probCover(r, false)));
final List<Suggestion> picked = probCover(delta, true);
Files.writeString(Path.of(csvFile), SliceSuggestions.csv(picked));
System.out.println("written to " + csvFile);
/exit
