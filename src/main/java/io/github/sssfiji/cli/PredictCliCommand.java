package io.github.sssfiji.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.scijava.Context;
import org.scijava.plugin.Plugin;

import io.github.sssfiji.service.SssService;
import io.github.sssfiji.sss.modelfile.SssModel;
import io.github.sssfiji.sss.predict.PredictFiles;

/**
 * {@code predict --model FILE (--input FILE_OR_DIR | --list LIST) --out DIR}: one label map per input
 * volume, {@code <base name>.nii.gz}, with the input's geometry (see {@link PredictFiles}).
 */
@Plugin(type = CliCommand.class, name = "predict")
public class PredictCliCommand implements CliCommand {

	@Override
	public String usage() {
		return "--model FILE (--input FILE_OR_DIR | --list LIST_FILE) --out DIR [--batch 8] [--threads T]\n" +
			"       label maps (NIfTI, input geometry) predicted slice by slice with a trained .sss model";
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
		final int threads = args.getInt("threads", 0);
		args.rejectUnknown();
		if (threads > 0) context.service(SssService.class).setThreads(threads);
		final List<Path> inputs = PredictFiles.inputs(input, list);
		final SssService service = context.service(SssService.class);
		final SssModel model = service.model(modelFile, SssModel.class, (file, device) -> SssModel.load(file));
		final List<Path> written = PredictFiles.run(model, inputs, output, batch, out);
		out.println(written.size() + " label map(s) written to " + output.toAbsolutePath());
		return 0;
	}
}
