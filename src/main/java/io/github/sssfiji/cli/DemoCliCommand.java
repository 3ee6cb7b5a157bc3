package io.github.sssfiji.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.data.Dataset;
import io.github.sssfiji.data.DatasetItem;
import io.github.sssfiji.data.Datasets;
import io.github.sssfiji.eval.CasePair;
import io.github.sssfiji.eval.ClassMetrics;
import io.github.sssfiji.eval.EvaluationResult;
import io.github.sssfiji.eval.Evaluator;
import io.github.sssfiji.eval.LabelVolume;
import io.github.sssfiji.eval.MetricsSummary;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.sss.pcsw.Pcsw;
import io.github.sssfiji.sss.pcsw.PcswParameters;
import io.github.sssfiji.sss.pcsw.PcswResult;

/**
 * {@code demo [--data sample-data]}: the main job on the embedded defaults. Until the training engine
 * lands it exercises the pipeline that exists: it opens the sample dataset, describes a volume,
 * corrupts the held-back test labels with isolated and flickering blobs (as an imperfect
 * pseudo-label would be), filters them with PCSW, and reports Dice and HD95 before and after
 * against the references.
 */
@Plugin(type = CliCommand.class, name = "demo")
public class DemoCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "[--data sample-data]       the main job on the embedded sample data";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws IOException {
		final Path data = CliArguments.existing("--data", args.get("data", "sample-data"));
		args.rejectUnknown();
		final Dataset dataset = Datasets.open(data, "", ImageFiles.imageReader());
		out.println("dataset: " + dataset.summary());
		final Path firstLabel = dataset.test().get(0).labelPath().orElseThrow();
		out.println("info " + firstLabel + ":");
		out.println(InfoCliCommand.describe(firstLabel));

		final PcswParameters parameters = PcswParameters.cardiac();
		final List<CasePair> noisy = new ArrayList<>(), filtered = new ArrayList<>();
		final SplittableRandom random = new SplittableRandom(7);
		for (final DatasetItem item : dataset.test()) {
			final MedicalImage reference = item.readLabel();
			final int[] dims = reference.dims();
			final int[] corrupted = addBlobs(reference.toLabelArray(), dims, random);
			final PcswResult result = Pcsw.fromLabels(corrupted, dims, reference.spacing(), parameters);
			final LabelVolume ref = LabelVolume.of(reference);
			noisy.add(new CasePair(item.id(), new LabelVolume(item.id() + " (noisy)", corrupted, dims, reference.spacing()), ref));
			filtered.add(new CasePair(item.id(), new LabelVolume(item.id() + " (PCSW)", result.labels(), dims, reference.spacing()), ref));
			out.printf("%s: PCSW kept %d chains, %d prompts%n", item.id(), result.chains().size(), result.prompts().size());
		}
		final int[] classes = { 1, 2, 3 };
		report(out, "pseudo-labels with blobs", Evaluator.evaluate(noisy, classes), dataset.classNames());
		report(out, "after PCSW", Evaluator.evaluate(filtered, classes), dataset.classNames());
		return 0;
	}

	/** Adds 6 isolated blobs of random classes on random slices: what PCSW must reject. */
	private static int[] addBlobs(final int[] labels, final int[] dims, final SplittableRandom random) {
		final int[] out = labels.clone();
		final int nx = dims[0], ny = dims[1], nz = dims.length > 2 ? dims[2] : 1;
		for (int b = 0; b < 6; b++) {
			final int cls = 1 + random.nextInt(3), z = random.nextInt(nz), r = 3 + random.nextInt(3);
			final int cx = r + random.nextInt(nx - 2 * r), cy = r + random.nextInt(ny / 4);
			for (int y = cy - r; y <= cy + r; y++)
				for (int x = cx - r; x <= cx + r; x++)
					if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) out[(z * ny + y) * nx + x] = cls;
		}
		return out;
	}

	private static void report(final PrintStream out, final String title, final EvaluationResult result, final List<String> names) {
		out.println(title + ":");
		for (final Map.Entry<Integer, MetricsSummary> e : result.perClass().entrySet()) {
			final ClassMetrics m = e.getValue().means();
			out.printf("  %-4s Dice %.3f  HD95 %6.2f mm%n", names.get(e.getKey()), m.dice(), m.hd95());
		}
		out.printf("  mean Dice %.3f  HD95 %6.2f mm%n", result.mean().means().dice(), result.mean().means().hd95());
	}
}
