package io.github.sssfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import ai.djl.ndarray.NDManager;
import io.github.sssfiji.data.Preprocessing;
import io.github.sssfiji.io.ImageFiles;
import io.github.sssfiji.io.MedicalImage;
import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.SlicePrompts;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.pcsw.Prompt;
import io.github.sssfiji.sss.pcsw.PromptsJson;
import io.github.sssfiji.sss.predict.OutputFormat;
import io.github.sssfiji.sss.predict.PredictFiles;
import io.github.sssfiji.sss.predict.Propagation;

/**
 * {@code propagate --model FILE --input FILE --prompts PROMPTS.json --out DIR}: segments a volume
 * from prompts on one or a few of its slices ({@link Propagation}: SAM-2 models with memory propagate
 * forward and backward from the prompted slices, the others carry the boxes from slice to slice),
 * and writes {@code DIR/<base name>.nii.gz} with the input's geometry (and with {@code --confidence
 * true} its confidence and entropy maps, as {@code predict}). The prompts file is the {@code pcsw}
 * command's form ({@link PromptsJson}); a model that reads no prompts is refused.
 */
@Plugin(type = CliCommand.class, name = "propagate")
public class PropagateCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "--model FILE --input FILE --prompts PROMPTS.json --out DIR [--batch 8] [--confidence false] [--threads T] " + CliOptions.DEVICE_USAGE + "\n" +
			"       segments a volume from box/click prompts on one or a few slices (the pcsw command's prompts.json form):\n" +
			"       SAM-2 models with memory propagate through the volume, the U-Net carries the boxes from slice to slice";
	}

	@Override
	public int run(final CliArguments args, final Context context, final PrintStream out) throws Exception {
		final Path modelFile = args.existingPath("model");
		final Path input = args.existingPath("input");
		final Path promptsFile = args.existingPath("prompts");
		final Path output = Path.of(args.require("out"));
		final int batch = args.getInt("batch", 8);
		if (batch < 1) throw new CliException("--batch must be at least 1, got " + batch);
		final boolean confidence = args.getBoolean("confidence", false);
		final int threads = args.getInt("threads", 0);
		if (threads < 0) throw new CliException("--threads must be at least 1 (or 0 for the engine's choice), got " + threads);
		final SssService service = context.service(SssService.class);
		CliOptions.device(args, service);
		args.rejectUnknown();
		CliOptions.folder("out", output);
		if (threads > 0 && !service.setThreads(threads, false))
			out.println("note: the engine already runs with " + service.threads() + " threads; --threads " + threads + " not applied");
		final List<Prompt> prompts = PromptsJson.read(promptsFile);
		final MedicalImage image = ImageFiles.read(input);
		final int[] dims = Preprocessing.volumeDims(image, input.toString());
		try (SssService.Lease<SssModel> lease = service.lease(modelFile, SssModel.class, SssModel::load)) {
			final SssModel model = lease.get();
			Propagation.requirePrompts(model.network(), modelFile.toString());
			final int classes = model.network().classes();
			Propagation.checkPrompts(prompts, dims, classes, promptsFile.toString(), input.getFileName().toString());
			final float[] values = image.toFloatArray();
			Preprocessing.normalise(values);
			java.nio.file.Files.createDirectories(output);
			final Path target = PredictFiles.target(input, output, OutputFormat.NIFTI, "option --out");
			final long start = System.nanoTime();
			try (NDManager root = service.newManager()) {
				final float[] probabilities = Propagation.probabilities(model.network(), values, dims, model.inputSize(), batch,
					SlicePrompts.of(prompts, dims[2], classes), root);
				PredictFiles.write(image, probabilities, classes, target, confidence);
			}
			out.printf(Locale.ROOT, "%s -> %s (%d prompts, %s, %.1f s)%n", input.getFileName(), target, prompts.size(),
				model.network().hasMemory() ? "propagated with memory" : "boxes carried from slice to slice", (System.nanoTime() - start) / 1e9);
		}
		return 0;
	}
}
