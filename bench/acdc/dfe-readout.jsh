// What the decoder makes of DFE's output. For a run trained with DFE (RUN, a run folder of `train`, whose state
// gives the configuration and whose model file MODEL, default last.sss, gives the weights), samples unlabelled
// batches as training does at the iterations ITERATIONS (default "3000 3001 3002"), and decodes the first strong
// view three ways without prompts: the weak view from its encoder features, the strong view from its encoder
// features, and the strong view from DFE's enhancement of them with the other strong view as the reference
// (`dfeReference: strong`). Per way: the mean of the largest class probability (1 / classes where the decoder
// reads nothing), the share of pixels per class and the agreement with the weak view; per feature level of B
// (encoder) and B' (DFE): the spread over pixels (per channel, averaged) and the mean magnitude, so that a DFE
// output without spatial structure shows. Analysis only.
//   RUN=bench/out/ablation/sam2-released-dfe-prompted/sss-sam2 jshell -R-Xmx3g --class-path target/sss-app.jar bench/acdc/dfe-readout.jsh
// (DATA, default ../shared/data/acdc; SPLIT, default 3.)
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.sss.DfeNetwork;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.train.Batch;
import io.github.sssfiji.sss.train.BatchSampler;
import io.github.sssfiji.sss.train.Trainer;
import io.github.sssfiji.sss.train.TrainingConfig;
import io.github.sssfiji.sss.train.TrainingData;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

Path run = Path.of(System.getenv("RUN"));
TrainingConfig config = Trainer.savedConfig(run);
TrainingData data = TrainingData.load(Datasets.open(Path.of(System.getenv().getOrDefault("DATA", "../shared/data/acdc")),
	System.getenv().getOrDefault("SPLIT", "3"), ImageFiles.imageReader()), true, null);
BatchSampler sampler = new BatchSampler(config, data);
SssModel model = SssModel.load(run.resolve(System.getenv().getOrDefault("MODEL", "last.sss")), Device.cpu());
DfeNetwork net = (DfeNetwork) model.network();
NDManager manager = NDManager.newBaseManager(Device.cpu());

String describe(NDArray p) {
	long[] label = p.argMax(1).toLongArray();
	double[] share = new double[(int) p.getShape().get(1)];
	for (long l : label) share[(int) l] += 1.0 / label.length;
	return String.format(Locale.ROOT, "mean max p %.3f, class shares %s", p.max(new int[] { 1 }).mean().getFloat(),
		Arrays.toString(Arrays.stream(share).map(v -> Math.round(v * 1000) / 1000.0).toArray()));
}

double agreement(NDArray a, NDArray b) {
	long[] x = a.argMax(1).toLongArray(), y = b.argMax(1).toLongArray();
	int same = 0;
	for (int i = 0; i < x.length; i++) if (x[i] == y[i]) same++;
	return same / (double) x.length;
}

String levels(NDList features) {
	StringBuilder out = new StringBuilder();
	for (NDArray level : features) {
		long n = level.getShape().get(0), c = level.getShape().get(1);
		NDArray flat = level.reshape(n, c, -1);
		float spread = flat.sub(flat.mean(new int[] { 2 }, true)).square().mean(new int[] { 2 }).sqrt().mean().getFloat();
		out.append(String.format(Locale.ROOT, " [%s: pixel spread %.4f, |x| %.4f]", level.getShape(), spread, level.abs().mean().getFloat()));
	}
	return out.toString();
}

for (String word : System.getenv().getOrDefault("ITERATIONS", "3000 3001 3002").trim().split("\\s+")) {
	long t = Long.parseLong(word);
	Batch batch = sampler.sample(t, true);
	int n = batch.unlabelledCount(), s = batch.size();
	NDList weakFeatures = net.encoderFeatures(manager.create(batch.weakImages(), new Shape(n, 1, s, s)), 0, false);
	NDList strong1 = net.encoderFeatures(manager.create(batch.strong1(), new Shape(n, 1, s, s)), 0, false);
	NDList strong2 = net.encoderFeatures(manager.create(batch.strong2(), new Shape(n, 1, s, s)), 0, false);
	NDArray weak = net.decode(weakFeatures, null, false).softmax(1), raw = net.decode(strong1, null, false).softmax(1);
	NDList enhancedFeatures = net.dfe().enhance(strong2, strong1);
	NDArray enhanced = net.decode(enhancedFeatures, null, false).softmax(1);
	System.out.printf(Locale.ROOT, "iteration %d (%d unlabelled slices of %d x %d):%n", t, n, s, s);
	System.out.println("  weak view, encoder features:   " + describe(weak));
	System.out.printf(Locale.ROOT, "  strong view, encoder features: %s, agrees with the weak view %.3f%n", describe(raw), agreement(raw, weak));
	System.out.printf(Locale.ROOT, "  strong view, DFE-enhanced:     %s, agrees with the weak view %.3f%n", describe(enhanced), agreement(enhanced, weak));
	System.out.println("  B (encoder):" + levels(strong1));
	System.out.println("  B' (DFE):   " + levels(enhancedFeatures));
}
/exit
